package io.fleetcpu.aggregates;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.GuestFeatures;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A guest CPU, or why there is none, and the catalog it was computed with. */
public record GuestCpuOutcome(
        @Nullable GuestCpu cpu, @Nullable String whyNone, CpuCatalog catalog) {

    public String describe() {
        return cpu != null ? GuestFeatures.describe(cpu) : "none (" + whyNone + ")";
    }

    /** The guest's features by name, or null when there is no guest CPU or it names no model. */
    @Nullable
    List<String> featureNames() {
        return cpu == null
                ? null
                : GuestFeatures.of(cpu, catalog).map(catalog::featureNames).orElse(null);
    }
}
