package io.fleetcpu.policy.grouping;

import java.util.List;

import io.fleetcpu.catalog.CatalogInfo;

/**
 * A partition of hosts into migration domains: every host given is in exactly one domain or in {@code ungrouped}.
 *
 * @param minimumModel      the floor asked for, or null
 * @param hostsBelowMinimum hosts whose own CPU lacks some feature of the minimum model (they are in domains whose
 *                          {@link MigrationDomain#meetsMinimum()} is false), in input order
 * @param ungrouped         hosts libvirt refuses, with the reason
 */
public record Grouping(Strategy strategy, String minimumModel, List<MigrationDomain> domains, GroupingCost cost,
                       List<String> hostsBelowMinimum, List<UngroupedHost> ungrouped, CatalogInfo catalog) {

    public Grouping {
        domains = List.copyOf(domains);
        hostsBelowMinimum = List.copyOf(hostsBelowMinimum);
        ungrouped = List.copyOf(ungrouped);
    }
}
