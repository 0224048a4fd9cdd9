package io.fleetcpu.guests;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An aggregate's guests: how many run which configuration, the rollout of its recommendation, who is stuck. */
@Schema(
        description = "The guests on an aggregate's hosts, as their agents last reported them: the configurations "
                + "they run, which are not on the recommended CPU, and which could not live-migrate to which member")
public record GuestInventoryView(
        @Schema(example = "rack-a") String aggregate,

        @Schema(
                description = "the aggregate's recommended CPU in short; left out when it has none (then "
                        + "recommendationProblem says why)",
                example = "custom EPYC-Rome +x2apic")
        @Nullable
        String recommendedCpu,

        @Schema(description = "why the aggregate has no recommended CPU (the 409 of GET .../recommended-cpu)") @Nullable
        String recommendationProblem,

        Summary summary,

        @Schema(description = "each configuration the guests run, most guests first")
        List<Configuration> configurations,

        @Schema(description = "every reported guest, by name")
        List<Guest> guests) {

    /** The counts. */
    @Schema(name = "GuestSummary", description = "The aggregate's guests in figures")
    public record Summary(
            @Schema(description = "member hosts whose agent reported its guests")
            int hostsReporting,

            @Schema(
                    description =
                            "member hosts that reported no guest inventory (an older agent, or " + "--max-guests 0)")
            int hostsNotReporting,

            @Schema(description = "guests reported") int guests,

            @Schema(description = "of them running") int running,

            @Schema(description = "guests the agents' cap (--max-guests) left out")
            int omitted,

            @Schema(description = "guests configured with the recommended CPU: the rollout's progress")
            int onRecommendation,

            @Schema(description = "guests configured otherwise")
            int notOnRecommendation,

            @Schema(description = "running guests that could not live-migrate to at least one member")
            int cannotMigrate,

            @Schema(description = "guests whose configuration could not be checked (configurations[].notChecked)")
            int notChecked) {}

    /** Guests configured alike. */
    @Schema(name = "GuestConfiguration", description = "A guest configuration: <cpu> and machine type")
    public record Configuration(
            @Schema(description = "the configuration's index, as guests[].configuration names it")
            int id,

            @Schema(description = "the CPU in short", example = "custom EPYC-Rome +x2apic -svm")
            String cpu,

            @Schema(
                    description = "custom, host-model, host-passthrough or maximum; left out for a domain without "
                            + "<cpu> (QEMU's default model, which cannot be checked: see notChecked)")
            @Nullable
            String mode,

            @Nullable String match,
            @Nullable String model,

            @Schema(description = "feature name to policy") Map<String, String> features,

            @Schema(example = "pc-q35-7.2") @Nullable String machineType,

            @Schema(description = "guests so configured") int guests,

            @Schema(description = "of them running") int running,

            @Schema(description = "whether this is the recommended CPU")
            boolean onRecommendation,

            @Schema(description = "running guests so configured that could not live-migrate to some member")
            int cannotMigrate,

            @Schema(description = "why the configuration could not be checked; left out when it was") @Nullable
            String notChecked) {}

    /** One guest. Its name and UUID are tenant data. */
    @Schema(name = "InventoryGuest", description = "A guest, where it runs and where it could not go")
    public record Guest(
            String name,
            UUID uuid,

            @Schema(description = "the host it is defined on")
            UUID hostId,

            String hostname,
            boolean running,

            @Schema(description = "its configuration's id") int configuration,

            boolean onRecommendation,

            @Schema(
                    description = "the members it could not move to: live-migrate to when it runs, be started on "
                            + "when it is shut off. Each kind of CPU once, with its hosts (this guest's own left out)")
            List<Stuck> cannotMigrateTo) {}

    /** Member hosts of one kind that cannot take the guest, and why. */
    @Schema(name = "GuestCannotMigrate", description = "Member hosts of one kind of CPU a guest could not move to")
    public record Stuck(
            @Schema(description = "the kind of CPU") String kind,

            @Schema(description = "its member hosts, the guest's own left out")
            List<String> hosts,

            @Schema(description = "libvirt's reason, and what blocks the move beyond the CPU")
            String reason,

            @Schema(description = "features the hosts lack") List<String> missingFeatures,

            @Schema(description = "what blocks the move beyond the CPU (machine type, address bits)")
            List<String> blockers) {}
}
