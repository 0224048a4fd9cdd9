package io.fleetcpu.agent;

import org.jspecify.annotations.Nullable;

/**
 * What libvirt says about this host, as the agent sends it. Mirrors
 * {@code io.fleetcpu.agent.libvirt.LibvirtHostFacts} so the command can be tested without libvirt.
 *
 * @param capabilitiesXml       {@code virsh capabilities}
 * @param domainCapabilitiesXml {@code virsh domcapabilities}, or null when the driver cannot answer it
 * @param expandedCpuXml        the host CPU with every feature spelled out
 * @param migratableCpuXml      the same, limited to what can be live-migrated
 * @param hypervisorCpuXml      the CPU QEMU itself can give a guest on this host, or null
 * @param libvirtVersion        e.g. {@code 9.0.0}
 * @param qemuVersion           e.g. {@code 7.2.0}, or null
 * @param hostUuid              libvirt's host UUID ({@code /capabilities/host/uuid})
 * @param notes                 why a field is null, or which fallback was taken; shown with {@code --verbose}
 * @param guests                the host's domains as configured; null when none were asked for
 */
public record LibvirtFacts(
        String capabilitiesXml,
        @Nullable String domainCapabilitiesXml,
        String expandedCpuXml,
        @Nullable String migratableCpuXml,
        @Nullable String hypervisorCpuXml,
        String libvirtVersion,
        @Nullable String qemuVersion,
        String hostUuid,
        java.util.List<String> notes,
        Registration.@Nullable Guests guests) {

    public LibvirtFacts {
        notes = notes == null ? java.util.List.of() : java.util.List.copyOf(notes);
    }
}
