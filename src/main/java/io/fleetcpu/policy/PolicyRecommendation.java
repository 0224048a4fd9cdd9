package io.fleetcpu.policy;

import io.fleetcpu.catalog.CatalogInfo;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.MicroarchitectureLevel;
import io.fleetcpu.policy.render.CpuConfigRenderer;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An aggregate's guest CPU under its policy, with every choice explained.
 *
 * @param cpu the guest CPU to configure, in every consumer's terms through {@link CpuConfigRenderer}
 * @param explanations each choice the policy made, in an operator's words
 * @param warnings what the operator must know before using the answer (exposures, unmet requirements)
 * @param reasons for a named model: the hosts that hold it down and the features left out
 * @param nested what nested virtualisation needs on each host
 * @param hostsThatCannotRun hosts that lack features of the recommended CPU (a pinned model), with what they lack
 * @param level the x86-64 microarchitecture level the guest CPU reaches, and which hosts cost a higher one
 */
public record PolicyRecommendation(
        GuestCpu cpu,
        List<String> explanations,
        List<String> warnings,
        RecommendedCpu.Reasons reasons,
        @Nullable NestedReport nested,
        List<HostGap> hostsThatCannotRun,
        LevelReport level,
        CatalogInfo catalog) {

    public PolicyRecommendation {
        explanations = List.copyOf(explanations);
        warnings = List.copyOf(warnings);
        hostsThatCannotRun = List.copyOf(hostsThatCannotRun);
    }

    /** The same recommendation with these warnings after its own. */
    public PolicyRecommendation withWarnings(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new PolicyRecommendation(cpu, explanations, all, reasons, nested, hostsThatCannotRun, level, catalog);
    }

    /**
     * The same recommendation with every host named anew, in the lists and in the sentences: the engine may compute
     * over stand-ins (one per kind of CPU) that the caller names for people.
     */
    public PolicyRecommendation renamed(UnaryOperator<String> rename) {
        RecommendedCpu.Reasons r = reasons;
        RecommendedCpu.Reasons renamedReasons = new RecommendedCpu.Reasons(
                r.hostsConsidered(),
                r.limitingHosts().stream()
                        .map(l -> new RecommendedCpu.LimitingHost(
                                rename.apply(l.host()), l.featuresOthersShare(), l.modelWithoutHost()))
                        .toList(),
                r.featuresLeftOut().stream()
                        .map(f -> new RecommendedCpu.LeftOutFeature(
                                f.feature(),
                                f.hostsWithout().stream().map(rename).toList(),
                                f.hostsWithoutCount()))
                        .toList());
        NestedReport n = nested;
        NestedReport renamedNested = n == null
                ? null
                : new NestedReport(
                        n.requested(),
                        n.flag(),
                        n.provided(),
                        n.readyHosts().stream().map(rename).toList(),
                        n.hostsToFix().stream()
                                .map(f -> new NestedFix(
                                        rename.apply(f.host()),
                                        f.nestedState(),
                                        f.commands().stream().map(rename).toList()))
                                .toList(),
                        n.hostsToFixCount(),
                        n.hostsWithoutFlag().stream().map(rename).toList());
        return new PolicyRecommendation(
                cpu,
                explanations.stream().map(rename).toList(),
                warnings.stream().map(rename).toList(),
                renamedReasons,
                renamedNested,
                hostsThatCannotRun.stream()
                        .map(g -> new HostGap(rename.apply(g.host()), g.missingFeatures()))
                        .toList(),
                new LevelReport(
                        level.level(),
                        level.lostLevel(),
                        level.hostsBelowLostLevel().stream().map(rename).toList(),
                        level.hostsBelowLostLevelCount()),
                catalog);
    }

    /**
     * The same recommendation with each list of hosts lacking a left-out feature, and of hosts whose nesting needs
     * fixing, cut to its first {@code named} entries, and counted in hosts: the engine may compute over stand-ins
     * for several hosts each (kinds of CPU), and an answer for a large aggregate stays short.
     *
     * @param hostsOf how many hosts a name stands for
     */
    public PolicyRecommendation shortened(int named, ToIntFunction<String> hostsOf) {
        RecommendedCpu.Reasons r = reasons;
        RecommendedCpu.Reasons shortReasons = new RecommendedCpu.Reasons(
                r.hostsConsidered(),
                r.limitingHosts(),
                r.featuresLeftOut().stream()
                        .map(f -> new RecommendedCpu.LeftOutFeature(
                                f.feature(),
                                first(f.hostsWithout(), named),
                                f.hostsWithout().stream().mapToInt(hostsOf).sum()))
                        .toList());
        NestedReport n = nested;
        NestedReport shortNested = n == null
                ? null
                : new NestedReport(
                        n.requested(),
                        n.flag(),
                        n.provided(),
                        n.readyHosts(),
                        first(n.hostsToFix(), named),
                        n.hostsToFix().stream()
                                .mapToInt(f -> hostsOf.applyAsInt(f.host()))
                                .sum(),
                        n.hostsWithoutFlag());
        LevelReport l = level;
        LevelReport shortLevel = new LevelReport(
                l.level(),
                l.lostLevel(),
                first(l.hostsBelowLostLevel(), named),
                l.hostsBelowLostLevel().stream().mapToInt(hostsOf).sum());
        return new PolicyRecommendation(
                cpu, explanations, warnings, shortReasons, shortNested, hostsThatCannotRun, shortLevel, catalog);
    }

    private static <T> List<T> first(List<T> list, int n) {
        return list.size() <= n ? list : List.copyOf(list.subList(0, n));
    }

    /**
     * The x86-64 microarchitecture level of the guest CPU (x86-64 psABI; {@link MicroarchitectureLevel}).
     *
     * @param level the level the guest CPU reaches, or null when it lacks some feature of x86-64-baseline
     * @param lostLevel the next level up, when some host's guests would reach it on their own; else null
     * @param hostsBelowLostLevel the hosts that cost it: those whose own level is below {@code lostLevel} (the first
     *        of them, when there are many); empty when the policy costs it (a pinned model, withheld features)
     * @param hostsBelowLostLevelCount how many hosts they are
     */
    public record LevelReport(
            @Nullable String level,
            @Nullable String lostLevel,
            List<String> hostsBelowLostLevel,
            int hostsBelowLostLevelCount) {

        public LevelReport {
            hostsBelowLostLevel = List.copyOf(hostsBelowLostLevel);
        }

        public LevelReport(@Nullable String level, @Nullable String lostLevel, List<String> hostsBelowLostLevel) {
            this(level, lostLevel, hostsBelowLostLevel, hostsBelowLostLevel.size());
        }
    }

    /** A host and the features of the recommended CPU it lacks. */
    public record HostGap(String host, List<String> missingFeatures) {}

    /**
     * @param flag {@code vmx} (Intel) or {@code svm} (AMD, Hygon)
     * @param provided whether guests get the flag
     * @param readyHosts hosts with the flag and nested enabled in their kvm module
     * @param hostsToFix hosts with the flag whose kvm module does not (or may not) allow nesting, with the fix (the
     *        first of them, when there are many)
     * @param hostsToFixCount how many hosts need the fix
     * @param hostsWithoutFlag hosts whose CPU cannot run nested guests at all
     */
    public record NestedReport(
            String requested,
            String flag,
            boolean provided,
            List<String> readyHosts,
            List<NestedFix> hostsToFix,
            int hostsToFixCount,
            List<String> hostsWithoutFlag) {

        public NestedReport(
                String requested,
                String flag,
                boolean provided,
                List<String> readyHosts,
                List<NestedFix> hostsToFix,
                List<String> hostsWithoutFlag) {
            this(requested, flag, provided, readyHosts, hostsToFix, hostsToFix.size(), hostsWithoutFlag);
        }
    }

    /** The commands that turn nested virtualisation on for a host's kvm module. */
    public record NestedFix(String host, NestedState nestedState, List<String> commands) {}
}
