package io.fleetcpu.fleet;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answer to a migration check: per target host, libvirt's verdict and what is missing. */
@Schema(description = "Whether the guest can migrate to each target host, as libvirt's virConnectCompareCPU would judge it")
public record MigrationCheckView(
        @Schema(description = "the guest CPU checked, in short", example = "custom Haswell-noTSX (+3 -1)") String guest,
        @Schema(description = "true when every target host can run the guest") boolean compatible,
        List<TargetVerdict> targets) {

    /** libvirt's verdict for one target host. */
    @Schema(description = "One target host: identical, superset or incompatible, and why")
    public record TargetVerdict(
            @Schema(example = "compute-17") String host,
            UUID id,
            @Schema(description = "which view of the host's CPU was compared: hypervisor or host", example = "hypervisor")
            String cpuView,
            @Schema(description = "identical, superset (the host has more) or incompatible", example = "incompatible")
            String result,
            boolean compatible,
            @Schema(description = "features the guest needs that the host lacks", example = "[\"hle\", \"rtm\"]")
            List<String> missingFeatures,
            @Schema(description = "features the guest forbids that the host has") List<String> forbiddenButPresent,
            @Schema(description = "why, in words") String reason) {
    }
}
