package io.fleetcpu.hosts;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an agent (or a person with curl) sends to register a host. The CPU comes from libvirt's
 * own documents when the host runs libvirt, or as a structured {@code cpu} otherwise.
 */
@Schema(
        description =
                "A host registration: who the host is, which aggregates it joins, and its CPU as libvirt reports it")
public record HostReport(
        @Schema(
                description =
                        "libvirt's host UUID (virsh capabilities: /capabilities/host/uuid); may be left out when capabilitiesXml carries it",
                example = "4c4c4544-0046-3510-8057-b7c04f4e3232")
        @Nullable
        String uuid,

        @Schema(description = "the host's name as operators know it", example = "compute-17") @Nullable
        String hostname,

        @Schema(
                description = "the aggregates the host's agent puts it in; missing ones are created with the default "
                        + "policy. The host leaves those an earlier registration put it in and this one does not name (left "
                        + "out, it is []); those an operator put it in stay. At most 100 "
                        + "(fleetcpu.request.max-aggregates-per-host)")
        @Nullable
        List<String> aggregates,

        @Schema(description = "the whole 'virsh capabilities' document") @Nullable
        String capabilitiesXml,

        @Schema(description = "the whole 'virsh domcapabilities' document") @Nullable
        String domainCapabilitiesXml,

        @Schema(
                description =
                        "the host CPU with every feature spelled out, as 'virsh cpu-baseline --features' prints it")
        @Nullable
        String expandedCpuXml,

        @Schema(
                description =
                        "the same with VIR_CONNECT_BASELINE_CPU_MIGRATABLE: features that block migration left out")
        @Nullable
        String migratableCpuXml,

        @Schema(
                description =
                        "the CPU a guest on this host can really get: virConnectBaselineHypervisorCPU with "
                                + "EXPAND_FEATURES over the domain capabilities' host-model CPU; when sent, fleetcpu computes with it")
        @Nullable
        String hypervisorCpuXml,

        @Schema(description = "for hosts without libvirt: the CPU as arch, vendor, model and features") @Nullable
        ReportedCpu cpu,

        @Schema(description = "the kernel's KVM facts") @Nullable
        ReportedKernel kernel,

        @Schema(description = "versions of the virtualisation stack") @Nullable
        SoftwareVersions versions,

        @Schema(
                description = "the SHA-256 digest of the host's libvirt's x86 cpu_map (index.xml and x86_*.xml: see "
                        + "PUT /cpu-maps/{digest}), which the host is then read with; a map the service does not "
                        + "hold is refused (422 naming cpuMap): upload it first. Left out, the host is read with the "
                        + "bundled map of its libvirt version",
                example = "3f2a9c1e0b7d5a8e4c6f1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f")
        @Nullable
        String cpuMap,

        @Schema(
                description = "the host's domains, running and defined, as configured (virsh dumpxml --inactive): "
                        + "the set replaces the one the last registration reported. Left out, the host reports no "
                        + "guests and those reported before are forgotten. Guest names and UUIDs are tenant data: "
                        + "only viewers and operators read them (GET /aggregates/{id}/guests)")
        @Nullable
        ReportedGuests guests) {

    /** The host's domains, at most the agent's cap of them. */
    @Schema(
            description = "The host's domains: how many it has, and at most 1000 of them "
                    + "(fleetcpu.request.max-guests-per-host; the agent's --max-guests)")
    public record ReportedGuests(
            @Schema(
                    description = "how many domains the host has; more than domains lists when the agent's cap "
                            + "left some out",
                    example = "3")
            @Nullable
            Integer total,

            @Schema(description = "the domains reported") @Nullable
            List<ReportedGuest> domains) {}

    /** One domain: who it is and how it is configured to run; never disks, networks or metadata. */
    @Schema(description = "A domain: its name, UUID, whether it runs, its machine type and its <cpu>")
    public record ReportedGuest(
            @Schema(description = "<name>", example = "instance-0000002a") @Nullable
            String name,

            @Schema(description = "<uuid>", example = "0f3c2b9e-1d47-4c1e-9a55-3e2b8f6d7a10") @Nullable
            String uuid,

            @Schema(description = "whether the domain runs now (else it is defined and shut off)") @Nullable
            Boolean running,

            @Schema(description = "<os><type machine>: the versioned machine type", example = "pc-q35-7.2") @Nullable
            String machineType,

            @Schema(description = "its <cpu>; left out when the domain has none (QEMU's default model)") @Nullable
            ReportedGuestCpu cpu) {}

    /** A domain's {@code <cpu>}. */
    @Schema(description = "A domain's <cpu> as configured: mode, match, model and each listed feature's policy")
    public record ReportedGuestCpu(
            @Schema(description = "custom, host-model, host-passthrough or maximum", example = "custom") @Nullable
            String mode,

            @Schema(description = "minimum, exact or strict; left out when not written", example = "exact") @Nullable
            String match,

            @Schema(description = "<model>", example = "EPYC-Rome") @Nullable
            String model,

            @Schema(
                    description = "feature name to policy (force, require, optional, disable, forbid); at most 1000 "
                            + "(fleetcpu.request.max-features-per-cpu)",
                    example = "{\"x2apic\": \"require\", \"svm\": \"disable\"}")
            @Nullable
            Map<String, String> features) {}

    /** A CPU described without libvirt documents, in libvirt's names. */
    @Schema(description = "A CPU in libvirt's words: a named model from the catalog plus features")
    public record ReportedCpu(
            @Schema(example = "x86_64") @Nullable String arch,
            @Schema(example = "Intel") @Nullable String vendor,

            @Schema(example = "Haswell-noTSX-IBRS") @Nullable
            String model,

            @Schema(
                    description = "features on top of the model (or every feature, when the model is unknown); "
                            + "features and disabledFeatures together at most 1000 (fleetcpu.request.max-features-per-cpu), "
                            + "as for the <feature> elements of each CPU in the documents")
            @Nullable
            List<String> features,

            @Schema(description = "features of the model this CPU does not have") @Nullable
            List<String> disabledFeatures) {}

    /**
     * The kernel's facts as a registration sends them: {@link KernelFacts} (the same schema) with {@code nested} still
     * the word, so that a wrong word is refused as a field of the 422 that names every wrong field of the
     * registration (not a 400 for unreadable JSON). {@code internal.HostReportReader} checks it and converts it once to
     * {@link io.fleetcpu.policy.NestedState}; no other code reads this record.
     */
    @Schema(name = KernelFacts.SCHEMA, description = KernelFacts.DESCRIPTION)
    public record ReportedKernel(
            @Schema(description = KernelFacts.RELEASE, example = "6.1.0-18-amd64") @Nullable
            String release,

            @Schema(description = KernelFacts.KVM_MODULE, example = "kvm_intel") @Nullable
            String kvmModule,

            @Schema(description = KernelFacts.NESTED, example = "enabled") @Nullable
            String nested,

            @Schema(description = KernelFacts.VIRTUALIZATION_FLAG, example = "vmx") @Nullable
            String virtualizationFlag) {}
}
