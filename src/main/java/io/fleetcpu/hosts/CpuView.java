package io.fleetcpu.hosts;

/**
 * Which view of a host's CPU fleetcpu computes with. The hypervisor's view is what a guest can
 * really get there (KVM and QEMU may not pass on every feature the silicon has), so it is used
 * whenever the host sent it; the physical view otherwise.
 */
public enum CpuView {
    HYPERVISOR("hypervisor"), HOST("host");

    private final String wireName;

    CpuView(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static CpuView of(Host host) {
        return host.getHypervisorCpu() != null ? HYPERVISOR : HOST;
    }

    /** The CPU of the host in this view. */
    public static HostCpu cpuOf(Host host) {
        return of(host) == HYPERVISOR ? host.getHypervisorCpu() : host.getCpu();
    }
}
