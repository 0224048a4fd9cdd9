package io.fleetcpu.aggregates;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;
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
        List<PlatformBlockingHost> platformBlockingHosts,

        @Schema(
                description = "the guests the change would strand: those on hosts that stay that could not move to "
                        + "a host it adds, and those on hosts it takes out that could move to no host left")
        Stranded strandedGuests) {

    /** The guests a change would strand. */
    @Schema(
            name = "WhatIfStrandedGuests",
            description = "Guests the change would strand, as the hosts' agents last reported them")
    public record Stranded(
            @Schema(description = "how many") int count,

            @Schema(
                    description = "true when the guests' names and UUIDs are left out: they are tenant data, for a "
                            + "viewer's or operator's token")
            boolean namesWithheld,

            List<StrandedGuest> guests) {}

    /** One guest a change would strand, and why. */
    @Schema(name = "WhatIfStrandedGuest", description = "A guest the change would strand, and why")
    public record StrandedGuest(
            @Schema(description = "left out without a viewer's or operator's token") @Nullable
            String name,

            @Schema(description = "left out without a viewer's or operator's token") @Nullable
            UUID uuid,

            @Schema(description = "the host it is on") String hostname,

            boolean running,

            @Schema(description = "its CPU in short", example = "custom EPYC-Rome +x2apic")
            String cpu,

            @Nullable String machineType,

            @Schema(
                    description = "why it would be stranded",
                    example = "cannot move to added host compute-9: the target host lacks features sse4a")
            String why) {}

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
