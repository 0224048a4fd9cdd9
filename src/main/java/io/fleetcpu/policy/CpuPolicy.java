package io.fleetcpu.policy;

import io.fleetcpu.policy.guest.MicroarchitectureLevel;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What an aggregate's operators want from its guest CPU: the trade-off between performance and live
 * migration, nested virtualisation, and which security mitigations guests get.
 *
 * @param strict refuse (rather than explain) when {@code nested} is {@code REQUIRED} and some host cannot do it
 * @param disabledMitigations with {@code mitigations = DISABLE}: the mitigation features guests do not get
 * @param minimumModel refuse to recommend a CPU that lacks any feature of this model
 * @param pinnedModel always this model; hosts that cannot run it are named
 * @param minimumLevel refuse to recommend a CPU below this x86-64 microarchitecture level, or null for none
 * @param machineType the versioned machine type guests are started with, whichever the hosts share; hosts that do not
 *     offer it are named. Null to take the newest they share
 */
public record CpuPolicy(
        Goal goal,
        Nested nested,
        boolean strict,
        MitigationMode mitigations,
        List<String> disabledMitigations,
        @Nullable String minimumModel,
        @Nullable String pinnedModel,
        @Nullable MicroarchitectureLevel minimumLevel,
        @Nullable String machineType) {

    /** A policy without a minimum level, pinning no machine type. */
    public CpuPolicy(
            Goal goal,
            Nested nested,
            boolean strict,
            MitigationMode mitigations,
            List<String> disabledMitigations,
            @Nullable String minimumModel,
            @Nullable String pinnedModel) {
        this(goal, nested, strict, mitigations, disabledMitigations, minimumModel, pinnedModel, null, null);
    }

    public static final CpuPolicy DEFAULT = of(Goal.MIGRATION, Nested.OFF);

    /** This goal and nested setting, not strict, every mitigation required, no minimum and nothing pinned. */
    public static CpuPolicy of(Goal goal, Nested nested) {
        return new CpuPolicy(goal, nested, false, MitigationMode.REQUIRE, List.of(), null, null);
    }

    /** What the recommendation optimises for. */
    public enum Goal {
        /** A named model every host runs: guests migrate anywhere in the aggregate. */
        MIGRATION,
        /** host-model when every host's host-model CPU is the same, otherwise as MIGRATION. */
        BALANCED,
        /** host-passthrough when every host is identical, otherwise as BALANCED. */
        PERFORMANCE
    }

    /** Whether guests may run hypervisors of their own. */
    public enum Nested {
        OFF,
        ALLOWED,
        REQUIRED
    }

    /** Whether guests get every mitigation feature the hosts share, or some are withheld for speed. */
    public enum MitigationMode {
        REQUIRE,
        DISABLE
    }

    public CpuPolicy {
        disabledMitigations = disabledMitigations == null ? List.of() : List.copyOf(disabledMitigations);
    }

    /** The lower-case word operators write for an enum value ({@code migration}, {@code allowed}, …). */
    public static String wireName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
