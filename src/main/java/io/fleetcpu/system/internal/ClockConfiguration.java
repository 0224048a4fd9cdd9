package io.fleetcpu.system.internal;

import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One clock for every timestamp fleetcpu stores. It ticks in microseconds, PostgreSQL's precision,
 * so the time in the answer to a write is the time every later read shows.
 */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
