package io.fleetcpu.policy;

import io.fleetcpu.catalog.CatalogInfo;
import io.fleetcpu.policy.baseline.Baseline;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The guest CPU an aggregate should run, with why: what an operator pastes into the cloud's
 * configuration and what they need to know to change the answer.
 *
 * @param mode libvirt's CPU mode: {@code custom}, a named model every host runs
 * @param baseline the model, vendor and features, exactly as libvirt's baseline of the hosts
 */
public record RecommendedCpu(String mode, Baseline baseline, Reasons reasons, CatalogInfo catalog) {

    /**
     * @param hostsConsidered how many hosts the recommendation covers
     * @param limitingHosts hosts without which the aggregate would gain features
     * @param featuresLeftOut features some hosts have that the guest CPU leaves out, with the hosts lacking them
     */
    public record Reasons(
            int hostsConsidered, List<LimitingHost> limitingHosts, List<LeftOutFeature> featuresLeftOut) {}

    /**
     * A host that holds the aggregate's CPU down.
     *
     * @param featuresOthersShare features every other host has and this one lacks
     * @param modelWithoutHost the model the aggregate would get without this host (null when not computed)
     */
    public record LimitingHost(
            String host,
            List<String> featuresOthersShare,
            @Nullable String modelWithoutHost) {}

    /**
     * A feature left out of the guest CPU because these hosts lack it.
     *
     * @param hostsWithout the hosts lacking it, or the first of them when there are many
     * @param hostsWithoutCount how many hosts lack it
     */
    public record LeftOutFeature(String feature, List<String> hostsWithout, int hostsWithoutCount) {

        public LeftOutFeature(String feature, List<String> hostsWithout) {
            this(feature, hostsWithout, hostsWithout.size());
        }
    }
}
