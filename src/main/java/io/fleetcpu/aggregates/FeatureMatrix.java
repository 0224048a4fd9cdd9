package io.fleetcpu.aggregates;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An aggregate's kinds of CPU against features: which features guests can get on each kind, and which the
 * recommended CPU gives them.
 *
 * @param features every feature some kind has or the guest CPU gives, by name
 * @param guestFeatures the recommended CPU's features (empty for host-model and host-passthrough)
 * @param differing the features some kinds have and others lack
 */
public record FeatureMatrix(List<String> features, List<Row> rows, Set<String> guestFeatures, Set<String> differing) {

    /** One kind of CPU and the features guests can get on its hosts. */
    public record Row(KindView kind, Set<String> features) {

        public boolean has(String feature) {
            return features.contains(feature);
        }
    }

    static FeatureMatrix of(List<Row> rows, List<String> guestFeatures) {
        TreeSet<String> columns = new TreeSet<>(guestFeatures);
        rows.forEach(r -> columns.addAll(r.features()));
        Set<String> differing = columns.stream()
                .filter(f ->
                        rows.stream().anyMatch(r -> r.has(f)) && !rows.stream().allMatch(r -> r.has(f)))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        return new FeatureMatrix(List.copyOf(columns), List.copyOf(rows), Set.copyOf(guestFeatures), differing);
    }

    public boolean inGuestCpu(String feature) {
        return guestFeatures.contains(feature);
    }

    /** Whether some kinds have the feature and others lack it: where the kinds differ. */
    public boolean differs(String feature) {
        return differing.contains(feature);
    }
}
