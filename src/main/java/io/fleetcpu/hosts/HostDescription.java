package io.fleetcpu.hosts;

import java.util.List;
import java.util.UUID;

/** A registration after it was read and checked: everything that will be stored for the host. */
record HostDescription(
        UUID id,
        String hostname,
        List<String> aggregates,
        HostCpu cpu,
        String capabilitiesXml,
        String domainCapabilitiesXml,
        String expandedCpuXml) {
}
