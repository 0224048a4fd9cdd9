package io.fleetcpu.hosts;

import java.util.List;

/**
 * Whether a host can run what its aggregates' other hosts run, so guests can migrate onto it. Implemented by
 * the aggregates feature; the hosts feature asks it when it shows one host.
 */
public interface AdmissionCheck {

    /** One entry per aggregate of the host whose guests could not migrate onto it. */
    List<BelowBaseline> check(HostFacts host, List<String> aggregateIds);

    /**
     * @param guestCpu the CPU the aggregate's other hosts run, in short
     * @param missingFeatures its features this host lacks
     * @param blockers what else stops guests of the other hosts from moving here: a machine type of their migration
     *     contract this host does not offer, fewer address bits than they get (as a migration check says it)
     */
    record BelowBaseline(String aggregate, String guestCpu, List<String> missingFeatures, List<String> blockers) {}
}
