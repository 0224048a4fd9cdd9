package io.fleetcpu.hosts;

/**
 * Which view of a host's CPU fleetcpu computes with. The hypervisor's view is what a guest can
 * really get there (KVM and QEMU may not pass on every feature the silicon has), so it is used
 * whenever the host sent it; the physical view otherwise.
 */
public enum CpuViewpoint {
    HYPERVISOR("hypervisor"),
    HOST("host");

    private final String wireName;

    CpuViewpoint(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static CpuViewpoint of(HostFacts host) {
        return host.hypervisorCpu() != null ? HYPERVISOR : HOST;
    }
}
