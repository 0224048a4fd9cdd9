package io.fleetcpu.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fleetcpu.policy.NestedState;
import java.util.List;
import java.util.Map;
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
        @Nullable String cpuMap,
        @Nullable Guests guests) {

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

    /**
     * The host's domains, running and defined, as configured: compact, never disks, networks or metadata.
     *
     * @param total   how many domains the host has; more than {@code domains} when the agent's cap left some out
     * @param domains at most the agent's {@code --max-guests} of them
     */
    public record Guests(int total, List<Guest> domains) {

        public Guests {
            domains = List.copyOf(domains);
        }
    }

    /**
     * One domain.
     *
     * @param machineType {@code <os><type machine>}, as libvirt stored it at define time (a versioned type)
     * @param cpu         its {@code <cpu>}; null when it has none (QEMU's default model)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Guest(
            String name,
            String uuid,
            boolean running,
            @Nullable String machineType,
            @Nullable GuestCpu cpu) {}

    /**
     * A guest's {@code <cpu>}: its mode, match, model and the policy of each listed feature.
     *
     * @param features feature name to policy ({@code require}, {@code disable}...), in the definition's order
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GuestCpu(
            String mode, @Nullable String match, @Nullable String model, Map<String, String> features) {}

    /** @param cpuMap the digest of the host's libvirt's cpu_map ({@link HostCpuMap}), or null when it has none */
    public static Registration of(
            LibvirtFacts libvirt,
            KernelFacts kernel,
            List<String> aggregates,
            @Nullable String agentVersion,
            @Nullable String cpuMap,
            @Nullable Guests guests) {
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
                cpuMap,
                guests);
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
                null,
                guests);
    }
}
