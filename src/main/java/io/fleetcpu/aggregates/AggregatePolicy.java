package io.fleetcpu.aggregates;

import io.fleetcpu.policy.CpuPolicy;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An aggregate's policy as operators write and read it. Left-out fields take their defaults; the
 * service checks every field and names the wrong ones.
 */
@Schema(
        description = "How the aggregate trades guest CPU performance against live migration, nested "
                + "virtualisation and security mitigations")
public record AggregatePolicy(
        @Schema(
                description =
                        "migration (default): a named model every host runs; balanced: host-model when every "
                                + "host's host-model CPU is the same; performance: host-passthrough when every host is identical",
                example = "migration",
                allowableValues = {"migration", "balanced", "performance"})
        @Nullable
        String goal,

        @Schema(
                description = "off (default), allowed or required: whether guests get vmx/svm to run hypervisors "
                        + "of their own",
                example = "off",
                allowableValues = {"off", "allowed", "required"})
        @Nullable
        String nestedVirtualization,

        @Schema(
                description = "with nestedVirtualization 'required': refuse with 409 when some host cannot do it, "
                        + "instead of explaining it in the answer",
                example = "false")
        @Nullable
        Boolean strict,

        @Nullable Mitigations mitigations,

        @Schema(
                description = "refuse (409) rather than recommend a CPU without every feature of this model",
                example = "SandyBridge")
        @Nullable
        String minimumModel,

        @Schema(
                description = "always recommend this model; hosts that cannot run it are named",
                example = "Haswell-noTSX")
        @Nullable
        String pinnedModel,

        @Schema(
                description = "refuse (409, naming the kinds of CPU below it) rather than recommend a CPU below this "
                        + "x86-64 microarchitecture level of the x86-64 psABI (RHEL 9 guests need x86-64-v2, RHEL 10 "
                        + "x86-64-v3)",
                example = "x86-64-v2",
                allowableValues = {"x86-64-baseline", "x86-64-v2", "x86-64-v3", "x86-64-v4"})
        @Nullable
        String minimumLevel,

        @Schema(
                description = "start guests with this versioned machine type (migrationContract.machineType) rather "
                        + "than the newest every host offers; hosts that do not offer it are named in the contract's "
                        + "notes. An alias (q35, pc) is refused: it stands for another type on each host",
                example = "pc-q35-7.2")
        @Nullable
        String machineType) {

    /** Whether guests get every mitigation feature the hosts share, or some are withheld. */
    @Schema(
            description = "require (default): guests get every mitigation feature all hosts have; disable: the "
                    + "features listed are withheld (rendered as policy='disable'), with a warning naming the exposure")
    public record Mitigations(
            @Schema(
                    example = "require",
                    allowableValues = {"require", "disable"})
            @Nullable
            String mode,

            @Schema(
                    description = "with mode 'disable': the mitigation features to withhold",
                    example = "[\"spec-ctrl\"]")
            @Nullable
            List<String> disable) {}

    static AggregatePolicy of(CpuPolicy policy) {
        return new AggregatePolicy(
                CpuPolicy.wireName(policy.goal()),
                CpuPolicy.wireName(policy.nested()),
                policy.strict(),
                new Mitigations(CpuPolicy.wireName(policy.mitigations()), policy.disabledMitigations()),
                policy.minimumModel(),
                policy.pinnedModel(),
                policy.minimumLevel() == null ? null : policy.minimumLevel().operatorName(),
                policy.machineType());
    }
}
