package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.GuestModels;
import io.fleetcpu.hosts.HostCpu;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostGuests;
import io.fleetcpu.hosts.KernelFacts;
import io.fleetcpu.hosts.SoftwareVersions;
import io.fleetcpu.policy.migration.MigrationFacts;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A registration after it was read and checked: everything that will be stored for the host.
 *
 * @param hypervisorCpu the CPU a guest on this host really gets, when the agent sent it
 * @param guestModels from the domain capabilities, when the agent sent them
 * @param catalog the catalog the CPU was read with, chosen by the host's libvirt version
 * @param migration what the capabilities and versions say beyond the CPU
 * @param guests the host's guests as reported; null when the report has none
 */
record HostDescription(
        UUID id,
        String hostname,
        List<String> aggregates,
        HostCpu cpu,
        @Nullable HostCpu hypervisorCpu,
        @Nullable GuestModels guestModels,
        KernelFacts kernel,
        @Nullable SoftwareVersions versions,
        Documents documents,
        String catalog,
        MigrationFacts migration,
        @Nullable HostGuests guests) {

    /** The kind of CPU the host reports. */
    CpuKindFacts kind() {
        return CpuKindFacts.of(cpu, hypervisorCpu, guestModels, kernel, catalog, migration);
    }

    /** The facts as a host with them would have them. */
    HostFacts facts() {
        return new HostFacts(id, hostname, cpu, hypervisorCpu, kernel, versions, guestModels, catalog, migration);
    }

    /** A digest of everything the report says: an equal digest means an equal report. */
    String digest(CpuKindFacts kind) {
        StringBuilder text = new StringBuilder();
        text.append(id)
                .append('\n')
                .append(hostname)
                .append('\n')
                .append(new java.util.TreeSet<>(aggregates))
                .append('\n')
                .append(kind.canonicalForm())
                .append('\n')
                .append(kernel.release())
                .append('\n')
                .append(versions)
                .append('\n')
                .append(guests);
        for (String document : new String[] {
            documents.capabilitiesXml(),
            documents.domainCapabilitiesXml(),
            documents.expandedCpuXml(),
            documents.migratableCpuXml(),
            documents.hypervisorCpuXml()
        }) {
            text.append('\n')
                    .append(document == null ? -1 : document.length())
                    .append(':')
                    .append(document);
        }
        return sha256(text.toString());
    }

    /** SHA-256 of the text's UTF-8 bytes, in hexadecimal. */
    static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The raw documents, kept so a better parser can read them again. */
    record Documents(
            @Nullable String capabilitiesXml,
            @Nullable String domainCapabilitiesXml,
            @Nullable String expandedCpuXml,
            @Nullable String migratableCpuXml,
            @Nullable String hypervisorCpuXml) {}
}
