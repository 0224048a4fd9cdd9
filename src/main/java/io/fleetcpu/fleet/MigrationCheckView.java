package io.fleetcpu.fleet;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The answer to a migration check: per target host, libvirt's verdict and what is missing. */
@Schema(
        description =
                "Whether the guest can migrate to each target host, as libvirt's virConnectCompareCPU would judge it")
public record MigrationCheckView(
        @Schema(description = "the guest CPU checked, in short", example = "custom Haswell-noTSX (+3 -1)")
        String guest,

        @Schema(description = "true when every target host can run the guest")
        boolean compatible,

        List<TargetVerdict> targets) {

    /** libvirt's verdict for the target hosts of one kind of CPU. */
    @Schema(
            description = "The target hosts of one kind of CPU (one host, when a host was the target): identical, "
                    + "superset or incompatible, and why")
    public record TargetVerdict(
            @Schema(description = "the host, or the kind named by its first host", example = "compute-17")
            String host,

            @Schema(description = "the host's id, when the verdict is for one host") @Nullable
            UUID id,

            @Schema(description = "the kind of CPU judged") String kind,

            @Schema(description = "how many target hosts the verdict is for", example = "1")
            int hosts,

            @Schema(
                    description = "which view of the host's CPU was compared: hypervisor or host",
                    example = "hypervisor")
            String cpuView,

            @Schema(
                    description = "libvirt's verdict on the CPU: identical, superset (the host has more) or "
                            + "incompatible",
                    example = "incompatible")
            String result,

            @Schema(description = "true when the CPU fits and nothing in blockers stops the move")
            boolean compatible,

            @Schema(
                    description = "what stops the move beyond the CPU: a machine type the host does not offer, fewer "
                            + "physical address bits than the guest sees",
                    example = "[\"host compute-17 gives at most 39 physical address bits; the guest sees 46\"]")
            List<String> blockers,

            @Schema(
                    description = "what the guest asked beyond the CPU that this host did not report, so could not be "
                            + "checked",
                    example = "[\"machine type: the host reported none\"]")
            List<String> unchecked,

            @Schema(description = "features the guest needs that the host lacks", example = "[\"hle\", \"rtm\"]")
            List<String> missingFeatures,

            @Schema(description = "features the guest forbids that the host has")
            List<String> forbiddenButPresent,

            @Schema(description = "why, in words: libvirt's words on the CPU, then the blockers, if any")
            String reason) {}
}
