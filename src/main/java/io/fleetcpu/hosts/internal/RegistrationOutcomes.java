package io.fleetcpu.hosts.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Registrations answered, by outcome (docs/metrics.md): counted once committed. */
@Component
class RegistrationOutcomes {

    private final Counter created;
    private final Counter changed;
    private final Counter unchanged;

    RegistrationOutcomes(MeterRegistry meters) {
        this.created = counter(meters, "created");
        this.changed = counter(meters, "changed");
        this.unchanged = counter(meters, "unchanged");
    }

    void unchanged() {
        unchanged.increment();
    }

    void written(boolean newHost) {
        (newHost ? created : changed).increment();
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("fleetcpu.registrations")
                .tag("outcome", outcome)
                .description("Host registrations answered, by outcome: created (a new host), changed (the report "
                        + "differed from the one stored), unchanged (the same report again)")
                .register(meters);
    }
}
