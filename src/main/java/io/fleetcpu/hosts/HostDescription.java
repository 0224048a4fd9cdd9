package io.fleetcpu.hosts;

import java.util.List;
import java.util.UUID;

/**
 * A registration after it was read and checked: everything that will be stored for the host.
 *
 * @param hypervisorCpu the CPU a guest on this host really gets, when the agent sent it
 * @param guestModels from the domain capabilities, when the agent sent them
 */
record HostDescription(
        UUID id,
        String hostname,
        List<String> aggregates,
        HostCpu cpu,
        HostCpu hypervisorCpu,
        GuestModels guestModels,
        KernelFacts kernel,
        SoftwareVersions versions,
        Documents documents) {

    /** The raw documents, kept so a better parser can read them again. */
    record Documents(String capabilitiesXml, String domainCapabilitiesXml, String expandedCpuXml,
            String migratableCpuXml, String hypervisorCpuXml) {
    }
}
