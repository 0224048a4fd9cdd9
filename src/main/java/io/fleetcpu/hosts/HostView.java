package io.fleetcpu.hosts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A host as the API shows it. */
@Schema(description = "A registered host and its CPU")
public record HostView(
        @Schema(description = "libvirt's host UUID") UUID id,
        @Schema(example = "compute-17") String hostname,

        @Schema(description = "ids of the aggregates the host is in, sorted")
        List<String> aggregates,

        @Schema(
                description = "those of its aggregates an operator put it in (PUT /aggregates/{id}/hosts/{hostId}), "
                        + "sorted: its agent's registrations leave them alone")
        List<String> aggregatesAddedByOperator,

        @Schema(
                description = "the host's kind of CPU: hosts with equal CPU facts share it (GET /hosts?kind= lists "
                        + "them)",
                example = "3f9a0c1d5e7b24a68c0d9e1f2a3b4c5d")
        String kind,

        @Schema(description = "the physical CPU, as libvirt describes the host")
        HostCpu cpu,

        @Schema(
                description =
                        "the CPU a guest on this host can really get, as the hypervisor reports it "
                                + "(virConnectBaselineHypervisorCPU of the host-model CPU); absent when the host did not send it")
        @Nullable
        HostCpu hypervisorCpu,

        @Schema(
                description = "which of the two views baselines and recommendations use for this host: "
                        + "'hypervisor' when the host sent it, else 'host'",
                example = "hypervisor")
        String cpuView,

        @Schema(
                description = "the x86-64 microarchitecture level (x86-64 psABI) guests get on this host, from the "
                        + "view in cpuView: x86-64-baseline, x86-64-v2, x86-64-v3 or x86-64-v4 (RHEL 9 guests need x86-64-v2, "
                        + "RHEL 10 x86-64-v3); null below the baseline or for a CPU model the catalog does not know",
                example = "x86-64-v3")
        @Nullable
        String level,

        @Schema(
                description = "the CPU catalog (libvirt cpu_map) the host's CPU was read with: the map its agent "
                        + "sent (cpuMap), else chosen by its libvirt version: libvirt 9.x → 'libvirt 9.0', 10 and 11 → "
                        + "'libvirt 11.3', 12 and later → 'libvirt 12.8', not reported → the configured one "
                        + "(fleetcpu.catalog.libvirt-version)",
                example = "libvirt 11.3")
        @Nullable
        String catalog,

        @Schema(
                description =
                        "the digest of that cpu_map (GET /cpu-maps/{digest}); null for a map of no single file set")
        @Nullable
        String cpuMap,

        @Nullable GuestModels guestModels,
        KernelFacts kernel,
        @Nullable SoftwareVersions versions,
        MigrationFactsView migration,

        @Schema(
                description = "the raw libvirt documents the host sent: kind → URL path of the document",
                example = "{\"capabilities\": \"/hosts/4c4c4544-0046-3510-8057-b7c04f4e3232/documents/capabilities\"}")
        Map<String, String> documents,

        @Schema(
                description = "aggregates whose other hosts run a CPU this host cannot (missingFeatures), or start "
                        + "guests with a machine type or address bits it cannot give (blockers, from their migration "
                        + "contract): guests could not migrate onto it (shown on single-host answers)")
        @Nullable
        List<AdmissionCheck.BelowBaseline> belowBaseline,

        @Schema(description = "when the host first registered")
        Instant registeredAt,

        @Schema(
                description = "when its facts (name, CPU, kernel, versions, libvirt documents) last changed; "
                        + "joining or leaving aggregates does not move it")
        Instant updatedAt,

        @Schema(description = "when its agent last reported, changed or not")
        Instant lastSeenAt,

        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable RegistrationChanges registration) {

    /** The answer to a registration: the host, and what the registration changed. */
    public HostView registered(RegistrationChanges changes) {
        return new HostView(
                id,
                hostname,
                aggregates,
                aggregatesAddedByOperator,
                kind,
                cpu,
                hypervisorCpu,
                cpuView,
                level,
                catalog,
                cpuMap,
                guestModels,
                kernel,
                versions,
                migration,
                documents,
                belowBaseline,
                registeredAt,
                updatedAt,
                lastSeenAt,
                changes);
    }
}
