package io.fleetcpu.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The fleet gauges of {@code /actuator/prometheus} (docs/metrics.md).
 *
 * @param refreshInterval a scrape reads the fleet's kept counts and answers again at most this often; scrapes in
 *        between are answered from the figures read last (0s: every scrape reads them)
 * @param maxAggregates per-aggregate gauges are given for at most this many aggregates (the first by id); the rest
 *        are counted in {@code fleetcpu_aggregates_unlisted}
 */
@ConfigurationProperties("fleetcpu.metrics")
public record MetricsProperties(
        @DefaultValue("30s") Duration refreshInterval,
        @DefaultValue("500") int maxAggregates) {

    public MetricsProperties {
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "fleetcpu.metrics.refresh-interval must not be negative, got " + refreshInterval);
        }
        if (maxAggregates < 0 || maxAggregates > 10_000) {
            throw new IllegalArgumentException("fleetcpu.metrics.max-aggregates must be between 0 and 10000 (each "
                    + "aggregate adds 7 series to every scrape), got " + maxAggregates);
        }
    }
}
