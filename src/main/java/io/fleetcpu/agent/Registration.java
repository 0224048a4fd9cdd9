package io.fleetcpu.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fleetcpu.policy.NestedState;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /hosts}: the service's registration contract. Null fields are left out, so a host whose
 * libvirt cannot give domain capabilities simply does not send them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Registration(
        String uuid,
        @Nullable String hostname,
        List<String> aggregates,
        String capabilitiesXml,
        @Nullable String domainCapabilitiesXml,
        String expandedCpuXml,
        @Nullable String migratableCpuXml,
        @Nullable String hypervisorCpuXml,
        Kernel kernel,
        Versions versions,
        @Nullable String cpuMap) {

    /** @param nested written as its word ({@link NestedState#wireName()}, Jackson's {@code @JsonValue}) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Kernel(
            @Nullable String release,
            @Nullable String kvmModule,
            NestedState nested,
            @Nullable String virtualizationFlag) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Versions(
            String libvirt, @Nullable String qemu, @Nullable String agent) {}

    /** @param cpuMap the digest of the host's libvirt's cpu_map ({@link HostCpuMap}), or null when it has none */
    public static Registration of(
            LibvirtFacts libvirt,
            KernelFacts kernel,
            List<String> aggregates,
            @Nullable String agentVersion,
            @Nullable String cpuMap) {
        return new Registration(
                libvirt.hostUuid(),
                kernel.hostname(),
                List.copyOf(aggregates),
                libvirt.capabilitiesXml(),
                libvirt.domainCapabilitiesXml(),
                libvirt.expandedCpuXml(),
                libvirt.migratableCpuXml(),
                libvirt.hypervisorCpuXml(),
                new Kernel(kernel.release(), kernel.kvmModule(), kernel.nested(), kernel.virtualizationFlag()),
                new Versions(libvirt.libvirtVersion(), libvirt.qemuVersion(), agentVersion),
                cpuMap);
    }

    /** The same registration without a cpu_map: the service reads the host with the map of its libvirt version. */
    public Registration withoutCpuMap() {
        return new Registration(
                uuid,
                hostname,
                aggregates,
                capabilitiesXml,
                domainCapabilitiesXml,
                expandedCpuXml,
                migratableCpuXml,
                hypervisorCpuXml,
                kernel,
                versions,
                null);
    }
}
