package io.fleetcpu.aggregates;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a change of an aggregate's hosts would do to its recommended CPU. */
@Schema(description = "The aggregate's recommended CPU before and after a change of its hosts, and what it costs")
public record WhatIfView(
        @Schema(example = "haswell-east") String aggregate,
        Side before,
        Side after,

        @Schema(description = "features guests would get after that they do not get now")
        List<String> featuresGained,

        @Schema(description = "features guests get now that they would not get after")
        List<String> featuresLost,

        @Schema(
                description = "hosts of the changed aggregate that cannot run today's CPU: guests running now could "
                        + "not migrate onto them")
        List<RecommendedCpuView.BelowBaseline> blockingHosts,

        @Schema(
                description = "hosts of the changed aggregate that cannot take guests started with today's migration "
                        + "contract (a machine type they do not offer, fewer address bits): guests running now could "
                        + "not migrate onto them, and the contract after is lower")
        List<PlatformBlockingHost> platformBlockingHosts) {

    /** Hosts of one kind that cannot take guests started with today's migration contract. */
    @Schema(
            name = "WhatIfPlatformBlockingHost",
            description = "Hosts of one kind, named by the first of them, that guests started with today's migration "
                    + "contract cannot move to, with why (as a migration check's blockers say it)")
    public record PlatformBlockingHost(
            @Schema(example = "compute-17 (+3 alike)") String host, List<String> blockers) {}

    /** Hosts of one kind of CPU on one side of the change. */
    @Schema(name = "WhatIfKind", description = "Hosts of one kind of CPU, named by the first of them")
    public record KindCount(
            @Schema(description = "the kind's id") String kind,
            @Schema(example = "compute-17 (+3 alike)") String name,
            @Schema(example = "4") int hosts) {}

    /** The recommendation on one side of the change. */
    @Schema(name = "WhatIfSide", description = "The recommendation with one set of hosts")
    public record Side(
            @Schema(description = "how many hosts") int hostCount,

            @Schema(description = "the hosts by kind of CPU")
            List<KindCount> kinds,

            @Schema(
                    description = "the guest CPU in short, or none with the reason",
                    example = "custom Haswell-noTSX (+3 -1)")
            String cpu,

            @Schema(example = "custom") @Nullable String mode,
            @Schema(example = "Haswell-noTSX") @Nullable String model,
            List<RecommendedCpuView.Feature> features,

            @Schema(
                    description = "what guests are started with beyond the CPU on this side, as recommended-cpu says "
                            + "it; null without hosts")
            @Nullable
            MigrationContractView migrationContract) {}
}
