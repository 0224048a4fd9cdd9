package io.fleetcpu.policy;

import java.util.List;
import java.util.stream.Collectors;

import io.fleetcpu.catalog.CatalogInfo;

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
    public record Reasons(int hostsConsidered, List<LimitingHost> limitingHosts, List<LeftOutFeature> featuresLeftOut) {
    }

    /**
     * A host that holds the aggregate's CPU down.
     *
     * @param featuresOthersShare features every other host has and this one lacks
     * @param modelWithoutHost the model the aggregate would get without this host (null when not computed)
     */
    public record LimitingHost(String host, List<String> featuresOthersShare, String modelWithoutHost) {
    }

    /** A feature left out of the guest CPU because these hosts lack it. */
    public record LeftOutFeature(String feature, List<String> hostsWithout) {
    }

    /** The {@code <cpu>} element for a domain definition. */
    public String libvirtXml() {
        return baseline.toLibvirtXml();
    }

    /**
     * The {@code [libvirt]} lines of {@code nova.conf}: nova takes extra flags by name and, since the
     * Stein release, a leading {@code -} to turn a model's flag off.
     */
    public NovaConf novaConf() {
        String extraFlags = baseline.features().stream()
                .map(f -> f.policy() == FeaturePolicy.DISABLE ? "-" + f.name() : f.name())
                .collect(Collectors.joining(", "));
        return new NovaConf(mode, baseline.model(), extraFlags);
    }

    /** {@code nova.conf} settings that make every instance in the aggregate boot with this CPU. */
    public record NovaConf(String cpuMode, String cpuModels, String cpuModelExtraFlags) {

        public String toIni() {
            StringBuilder ini = new StringBuilder("[libvirt]\n")
                    .append("cpu_mode = ").append(cpuMode).append('\n')
                    .append("cpu_models = ").append(cpuModels).append('\n');
            if (!cpuModelExtraFlags.isEmpty()) {
                ini.append("cpu_model_extra_flags = ").append(cpuModelExtraFlags).append('\n');
            }
            return ini.toString();
        }
    }
}
