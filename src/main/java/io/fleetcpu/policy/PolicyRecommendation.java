package io.fleetcpu.policy;

import java.util.List;

import io.fleetcpu.catalog.CatalogInfo;

/**
 * An aggregate's guest CPU under its policy, with every choice explained.
 *
 * @param cpu the guest CPU to configure, in every consumer's terms through {@link CpuConfigRenderer}
 * @param explanations each choice the policy made, in an operator's words
 * @param warnings what the operator must know before using the answer (exposures, unmet requirements)
 * @param reasons for a named model: the hosts that hold it down and the features left out
 * @param nested what nested virtualisation needs on each host
 * @param hostsThatCannotRun hosts that lack features of the recommended CPU (a pinned model), with what they lack
 */
public record PolicyRecommendation(
        GuestCpu cpu,
        List<String> explanations,
        List<String> warnings,
        RecommendedCpu.Reasons reasons,
        NestedReport nested,
        List<HostGap> hostsThatCannotRun,
        CatalogInfo catalog) {

    public PolicyRecommendation {
        explanations = List.copyOf(explanations);
        warnings = List.copyOf(warnings);
        hostsThatCannotRun = List.copyOf(hostsThatCannotRun);
    }

    /** A host and the features of the recommended CPU it lacks. */
    public record HostGap(String host, List<String> missingFeatures) {
    }

    /**
     * @param flag {@code vmx} (Intel) or {@code svm} (AMD, Hygon)
     * @param provided whether guests get the flag
     * @param readyHosts hosts with the flag and nested enabled in their kvm module
     * @param hostsToFix hosts with the flag whose kvm module does not (or may not) allow nesting, with the fix
     * @param hostsWithoutFlag hosts whose CPU cannot run nested guests at all
     */
    public record NestedReport(String requested, String flag, boolean provided, List<String> readyHosts,
            List<NestedFix> hostsToFix, List<String> hostsWithoutFlag) {
    }

    /** The commands that turn nested virtualisation on for a host's kvm module. */
    public record NestedFix(String host, String nestedState, List<String> commands) {
    }
}
