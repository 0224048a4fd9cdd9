package io.fleetcpu.policy.grouping;

import io.fleetcpu.catalog.CatalogInfo;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A partition of hosts into migration domains: every host given is in exactly one domain or in {@code ungrouped}.
 *
 * @param minimumModel      the floor asked for, or null
 * @param minimumLevel      the x86-64 microarchitecture level asked for as a floor (x86-64-v2 …), or null
 * @param hostsBelowMinimum hosts whose own CPU lacks some feature of the minimum model or level (they are in domains whose
 *                          {@link MigrationDomain#meetsMinimum()} is false), in input order
 * @param ungrouped         hosts libvirt refuses, with the reason
 * @param notes             what else kept domains apart: hosts that share no versioned machine type
 */
public record Grouping(
        Strategy strategy,
        @Nullable String minimumModel,
        @Nullable String minimumLevel,
        List<MigrationDomain> domains,
        GroupingCost cost,
        List<String> hostsBelowMinimum,
        List<UngroupedHost> ungrouped,
        CatalogInfo catalog,
        List<String> notes) {

    public Grouping {
        domains = List.copyOf(domains);
        notes = List.copyOf(notes);
        hostsBelowMinimum = List.copyOf(hostsBelowMinimum);
        ungrouped = List.copyOf(ungrouped);
    }

    /** The floor in words ("model SandyBridge", "level x86-64-v2", both), or null for none. */
    public @Nullable String minimum() {
        List<String> parts = new ArrayList<>();
        if (minimumModel != null) {
            parts.add("model " + minimumModel);
        }
        if (minimumLevel != null) {
            parts.add("level " + minimumLevel);
        }
        return parts.isEmpty() ? null : String.join(" and ", parts);
    }
}
