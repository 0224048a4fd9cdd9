package io.fleetcpu.policy;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.policy.baseline.Baseline;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.NamedCpu;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Recommends the guest CPU for a group of hosts that must keep live migration among them: libvirt's
 * baseline of the hosts, explained host by host (which hosts limit it, which features are left out). One part of
 * {@link PolicyRecommender}, which adds the aggregate's policy (modes, nested virtualisation, mitigations). It lives
 * with the recommender, not in {@code policy.baseline}, because its answer is the recommendation's
 * ({@link RecommendedCpu}); the baseline it explains is libvirt's and knows nothing of it.
 */
public final class BaselineExplainer {

    /** Asking "what without this host?" costs a baseline each; past this many, only the features are named. */
    private static final int MODELS_WITHOUT_HOST_LIMIT = 16;

    private final BaselineCalculator calculator;
    private final CpuCatalog catalog;

    public BaselineExplainer(BaselineCalculator calculator) {
        this.calculator = calculator;
        this.catalog = calculator.catalog();
    }

    /**
     * @param expandFeatures list every feature of the model, not only the extra and missing ones
     * @throws BaselineRefusedException when the hosts share no model, with the hosts in the way
     */
    public RecommendedCpu recommend(List<NamedCpu> hosts, boolean expandFeatures) {
        return recommend(hosts, expandFeatures, model -> true);
    }

    /** @param candidates the models the choice is limited to */
    public RecommendedCpu recommend(List<NamedCpu> hosts, boolean expandFeatures, Predicate<CpuModel> candidates) {
        Baseline baseline = calculator.baseline(hosts, expandFeatures, false, candidates);
        List<FeatureSet> sets = hosts.stream().map(calculator::expand).toList();
        return new RecommendedCpu(
                "custom",
                baseline,
                new RecommendedCpu.Reasons(
                        hosts.size(), limitingHosts(hosts, sets, baseline, candidates), leftOut(hosts, sets, baseline)),
                catalog.info());
    }

    /** A host limits the aggregate when all the other hosts share features it lacks. */
    private List<RecommendedCpu.LimitingHost> limitingHosts(
            List<NamedCpu> hosts, List<FeatureSet> sets, Baseline baseline, Predicate<CpuModel> candidates) {
        int n = sets.size();
        if (n < 2) {
            return List.of();
        }
        // Intersections of all hosts before i and after i, so "all but host i" costs one step per host.
        FeatureSet[] before = new FeatureSet[n];
        FeatureSet[] after = new FeatureSet[n];
        for (int i = 1; i < n; i++) {
            before[i] = i == 1 ? sets.get(0) : before[i - 1].intersection(sets.get(i - 1));
        }
        for (int i = n - 2; i >= 0; i--) {
            after[i] = i == n - 2 ? sets.get(n - 1) : after[i + 1].intersection(sets.get(i + 1));
        }
        List<RecommendedCpu.LimitingHost> limiting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FeatureSet others = i == 0 ? after[0] : i == n - 1 ? before[n - 1] : before[i].intersection(after[i]);
            FeatureSet gained = others.minus(baseline.featureSet());
            if (gained.isEmpty()) {
                continue;
            }
            String modelWithout =
                    limiting.size() < MODELS_WITHOUT_HOST_LIMIT ? modelWithout(hosts, i, candidates) : null;
            limiting.add(
                    new RecommendedCpu.LimitingHost(hosts.get(i).host(), catalog.featureNames(gained), modelWithout));
        }
        return limiting;
    }

    private @Nullable String modelWithout(List<NamedCpu> hosts, int skipped, Predicate<CpuModel> candidates) {
        List<NamedCpu> others = IntStream.range(0, hosts.size())
                .filter(j -> j != skipped)
                .mapToObj(hosts::get)
                .toList();
        try {
            return calculator.baseline(others, false, false, candidates).model();
        } catch (BaselineRefusedException e) {
            return null;
        }
    }

    private List<RecommendedCpu.LeftOutFeature> leftOut(
            List<NamedCpu> hosts, List<FeatureSet> sets, Baseline baseline) {
        FeatureSet.Builder union = FeatureSet.builder();
        sets.forEach(union::addAll);
        FeatureSet missing = union.build().minus(baseline.featureSet());
        return missing.indexes()
                .mapToObj(feature -> new RecommendedCpu.LeftOutFeature(
                        catalog.features().get(feature).name(),
                        IntStream.range(0, sets.size())
                                .filter(i -> !sets.get(i).contains(feature))
                                .mapToObj(i -> hosts.get(i).host())
                                .toList()))
                .toList();
    }
}
