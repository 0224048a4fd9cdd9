package io.fleetcpu.agent.libvirt;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The questions about CPUs that the agent asks libvirt through {@link LibvirtNative}, on one connection. An
 * interface so that the reader's fallbacks (kvm refused → qemu, call unsupported → note) can be tested without a
 * driver that behaves that way.
 */
interface CpuQueries {

    /** {@code virConnectBaselineCPU}. */
    String baselineCpu(List<String> hostCpuXml, boolean expandFeatures, boolean migratable);

    /** {@code virConnectGetDomainCapabilities}; any argument may be null for the hypervisor's default. */
    String domainCapabilities(
            @Nullable String emulator, @Nullable String arch, @Nullable String machine, @Nullable String virtType);

    /** {@code virConnectBaselineHypervisorCPU}; emulator, arch, machine and virtType may be null for defaults. */
    String baselineHypervisorCpu(
            @Nullable String emulator,
            @Nullable String arch,
            @Nullable String machine,
            @Nullable String virtType,
            List<String> cpuXml,
            boolean expandFeatures,
            boolean migratable);
}
