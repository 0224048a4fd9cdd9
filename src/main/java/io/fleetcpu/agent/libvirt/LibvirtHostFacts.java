package io.fleetcpu.agent.libvirt;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the agent learns about one compute node from its libvirt, raw documents as libvirt wrote them (so the
 * service can re-read them with a better parser later). A field is null when this driver cannot answer that
 * question; {@link #notes()} then says why.
 *
 * @param hostUuid              libvirt's host UUID ({@code /capabilities/host/uuid}), the host's key in fleetcpu
 * @param capabilitiesXml       {@code virsh capabilities}
 * @param domainCapabilitiesXml {@code virsh domcapabilities} for the host's arch, the default emulator and machine,
 *                              and {@link #domainType()}; null when the driver has no domain capabilities
 * @param domainType            the virt type the domain capabilities (and the hypervisor CPU) are for: {@code kvm},
 *                              or {@code qemu} (emulated) when the hypervisor refused kvm; null with them
 * @param expandedCpuXml        the host CPU with every feature spelled out ({@code virsh cpu-baseline --features}
 *                              of the capabilities' host CPU)
 * @param migratableCpuXml      the same without the features that block live migration ({@code --migratable});
 *                              null when the driver refuses that flag (the test driver)
 * @param hypervisorCpuXml      the host-model CPU of the domain capabilities with every feature spelled out
 *                              ({@code virsh hypervisor-cpu-baseline --features}): what a guest on this host can
 *                              really get from QEMU/KVM; null without domain capabilities or host-model
 * @param libvirtVersion        the daemon's libvirt, e.g. {@code 9.0.0}
 * @param qemuVersion           the hypervisor's version when it is QEMU, e.g. {@code 7.2.0}; null for other drivers
 * @param notes                 why fields are null, or which fallback was taken, one sentence each
 * @param domains               the connection's domains as configured, at most the cap asked for; null when none
 *                              were asked for
 */
public record LibvirtHostFacts(
        UUID hostUuid,
        String capabilitiesXml,
        @Nullable String domainCapabilitiesXml,
        @Nullable String domainType,
        String expandedCpuXml,
        @Nullable String migratableCpuXml,
        @Nullable String hypervisorCpuXml,
        String libvirtVersion,
        @Nullable String qemuVersion,
        List<String> notes,
        LibvirtConnection.@Nullable Domains domains) {

    public LibvirtHostFacts {
        Objects.requireNonNull(hostUuid, "hostUuid");
        Objects.requireNonNull(capabilitiesXml, "capabilitiesXml");
        Objects.requireNonNull(expandedCpuXml, "expandedCpuXml");
        Objects.requireNonNull(libvirtVersion, "libvirtVersion");
        notes = List.copyOf(notes);
    }
}
