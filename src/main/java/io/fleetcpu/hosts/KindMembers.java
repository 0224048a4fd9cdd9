package io.fleetcpu.hosts;

import java.util.List;
import java.util.UUID;

/**
 * The hosts of one kind of CPU in an aggregate (or in the fleet): how many, and a few of them by name.
 *
 * @param exampleHosts the first few by hostname (at most {@link #EXAMPLES}), when asked for
 */
public record KindMembers(String kindId, CpuKindFacts facts, int hosts, List<HostRef> exampleHosts) {

    /** How many hosts of a kind answers name; GET /hosts?kind= lists them all. */
    public static final int EXAMPLES = 3;

    public KindMembers {
        exampleHosts = List.copyOf(exampleHosts);
    }

    /** A host by id and name. */
    public record HostRef(UUID id, String hostname) {}

    /** Which view of its CPU the kind contributes: the hypervisor's, when its hosts sent it. */
    public CpuViewpoint cpuView() {
        return facts.hypervisorCpu() != null ? CpuViewpoint.HYPERVISOR : CpuViewpoint.HOST;
    }

    /** The facts of one host of this kind, under a name, for computations that take hosts. */
    public HostFacts asHost(String name) {
        return HostFacts.ofKind(name, facts);
    }
}
