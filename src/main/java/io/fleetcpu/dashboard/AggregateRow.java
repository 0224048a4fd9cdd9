package io.fleetcpu.dashboard;

import io.fleetcpu.aggregates.AggregateView;
import io.fleetcpu.aggregates.KindView;
import io.fleetcpu.aggregates.RecommendedCpuView;
import io.fleetcpu.policy.PolicyRecommendation;
import io.fleetcpu.policy.RecommendedCpu;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One aggregate in the fleet page's list, as its recommendation answers it.
 *
 * @param featuresGivenUp features some hosts have that the guest CPU leaves out
 * @param hostsBelowBaseline hosts lacking features all the others share (they run the guest CPU, and hold it down),
 *     counted from the kinds the answer names
 * @param nested nested virtualisation in a few words, or null when the recommendation gave no report
 * @param problem why there is no recommendation (no hosts, no common model, a policy that cannot be met)
 */
record AggregateRow(
        String id,
        @Nullable String description,
        int hosts,
        @Nullable String goal,
        @Nullable String mode,
        @Nullable String model,
        @Nullable String level,
        List<String> featuresGivenUp,
        int hostsBelowBaseline,
        @Nullable String nested,
        @Nullable String problem) {

    static AggregateRow of(AggregateView aggregate, DashboardController.Attempt<RecommendedCpuView> answer) {
        RecommendedCpuView cpu = answer.value();
        if (cpu == null) {
            return new AggregateRow(
                    aggregate.id(),
                    aggregate.description(),
                    aggregate.hostCount(),
                    aggregate.policy().goal(),
                    null,
                    null,
                    null,
                    List.of(),
                    0,
                    null,
                    answer.title() + ": " + answer.problem());
        }
        RecommendedCpu.Reasons reasons = cpu.reasons();
        return new AggregateRow(
                aggregate.id(),
                aggregate.description(),
                cpu.hostCount(),
                cpu.policy().goal(),
                cpu.mode(),
                cpu.model(),
                cpu.level(),
                reasons == null
                        ? List.of()
                        : reasons.featuresLeftOut().stream()
                                .map(RecommendedCpu.LeftOutFeature::feature)
                                .toList(),
                hostsOf(
                        cpu.kinds(),
                        cpu.belowBaseline().stream()
                                .map(RecommendedCpuView.BelowBaseline::host)
                                .toList()),
                nested(cpu.nested()),
                null);
    }

    /** How many hosts the kinds of CPU named (as the answer names them) hold. */
    static int hostsOf(List<KindView> kinds, List<String> named) {
        Map<String, Integer> hostsByName = new HashMap<>();
        kinds.forEach(k -> hostsByName.put(k.name(), k.hosts()));
        return named.stream().mapToInt(n -> hostsByName.getOrDefault(n, 1)).sum();
    }

    private static @Nullable String nested(PolicyRecommendation.@Nullable NestedReport nested) {
        if (nested == null) {
            return null;
        }
        String guests = nested.provided() ? "guests get " + nested.flag() : "guests do not get " + nested.flag();
        // with nested virtualisation off nothing needs fixing: the count says what allowing it would take
        String fix = nested.hostsToFixCount() == 0
                ? ""
                : nested.requested().equals("off")
                        ? "; " + nested.hostsToFixCount() + " hosts would need nested enabled to allow it"
                        : "; " + nested.hostsToFixCount() + " hosts to fix";
        String without = nested.hostsWithoutFlag().isEmpty()
                ? ""
                : "; " + nested.hostsWithoutFlag().size() + " kinds without " + nested.flag();
        return nested.requested() + ": " + guests + fix + without;
    }
}
