package io.fleetcpu.policy.grouping;

/**
 * What a grouping costs in features, for comparing strategies.
 *
 * @param domains                  number of migration domains
 * @param kinds                    distinct CPU kinds among the grouped hosts
 * @param groupedHosts             hosts in some domain
 * @param hostsGivingUpFeatures    hosts whose domain's guest CPU lacks at least one of their features
 * @param featuresGivenUp          sum over hosts of the features each gives up (a host-weighted total)
 * @param mostGivenUpByOneHost     the most features one host gives up
 * @param featuresKeptByGuests     sum over hosts of their guest CPU's feature count (a host-weighted total)
 */
public record GroupingCost(
        int domains,
        int kinds,
        int groupedHosts,
        int hostsGivingUpFeatures,
        long featuresGivenUp,
        int mostGivenUpByOneHost,
        long featuresKeptByGuests) {}
