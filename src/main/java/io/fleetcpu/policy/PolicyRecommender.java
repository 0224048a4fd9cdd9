package io.fleetcpu.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuFeature;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.policy.PolicyHost.NestedState;
import io.fleetcpu.policy.PolicyRecommendation.HostGap;
import io.fleetcpu.policy.PolicyRecommendation.NestedFix;
import io.fleetcpu.policy.PolicyRecommendation.NestedReport;

/**
 * Turns an aggregate's hosts and policy into the guest CPU to configure: host-passthrough, host-model or a named
 * model, with nested virtualisation and mitigations as the policy asks, and every choice explained.
 */
public final class PolicyRecommender {

    private final CpuCatalog catalog;
    private final BaselineCalculator calculator;
    private final Recommender recommender;
    private final Set<String> obsoleteModels;

    /** @param obsoleteModels models never recommended unless pinned (486, pentium, qemu32, …) */
    public PolicyRecommender(CpuCatalog catalog, Set<String> obsoleteModels) {
        this.catalog = catalog;
        this.calculator = new BaselineCalculator(catalog);
        this.recommender = new Recommender(calculator);
        this.obsoleteModels = Set.copyOf(obsoleteModels);
    }

    /**
     * @param expandFeatures for a named model, list every feature of it (libvirt's EXPAND_FEATURES form)
     * @throws BaselineRefusedException when the hosts share no model
     * @throws PolicyConflictException when the policy cannot be met and says to refuse rather than explain
     */
    public PolicyRecommendation recommend(List<PolicyHost> hosts, CpuPolicy policy, boolean expandFeatures) {
        Draft draft = new Draft();
        List<NamedCpu> named = hosts.stream().map(PolicyHost::named).toList();
        RecommendedCpu baseline = namedModel(hosts, named, policy, draft);
        List<FeatureSet> physical = hosts.stream().map(h -> calculator.expand(new NamedCpu(h.name(), h.cpu()))).toList();
        CpuModel model = catalog.model(baseline.baseline().model()).orElseThrow();
        FeatureSet guest = baseline.baseline().featureSet();
        checkMinimum(hosts, named, policy, guest, model);

        String vendor = baseline.baseline().vendor() != null ? baseline.baseline().vendor()
                : model.vendor() != null ? model.vendor() : firstVendor(hosts);
        List<FeatureSet> effective = named.stream().map(calculator::expand).toList();
        NestedReport nested = nested(hosts, effective, policy, vendor, draft);
        mitigations(policy, guest, draft);

        GuestCpu.Mode mode = mode(hosts, physical, policy, draft);
        GuestCpu cpu;
        if (mode == GuestCpu.Mode.CUSTOM) {
            draft.explanations.add(0, draft.modelExplanation);
            Baseline b = baseline.baseline();
            FeatureSet required = catalog.featureSet(b.featureNames(FeaturePolicy.REQUIRE))
                    .union(draft.require.minus(model.features())).minus(draft.disable);
            // A withheld feature is written out even where the model lacks it, so that no consumer adds it back.
            FeatureSet disabled = catalog.featureSet(b.featureNames(FeaturePolicy.DISABLE)).union(draft.disable)
                    .minus(draft.require);
            cpu = GuestCpu.custom(model.name(), b.vendor(),
                    b.fallbackForbid() && draft.require.isEmpty() && draft.disable.isEmpty(),
                    calculator.featureList(model, required, disabled, expandFeatures));
        } else {
            List<CpuFeaturePolicy> features = new ArrayList<>();
            catalog.featureNames(draft.require).forEach(n -> features.add(new CpuFeaturePolicy(n, FeaturePolicy.REQUIRE)));
            catalog.featureNames(draft.disable).forEach(n -> features.add(new CpuFeaturePolicy(n, FeaturePolicy.DISABLE)));
            cpu = mode == GuestCpu.Mode.HOST_MODEL ? GuestCpu.hostModel(features) : GuestCpu.hostPassthrough(features);
        }
        return new PolicyRecommendation(cpu, draft.explanations, draft.warnings,
                mode == GuestCpu.Mode.CUSTOM ? baseline.reasons() : new RecommendedCpu.Reasons(hosts.size(), List.of(), List.of()),
                nested, draft.gaps, catalog.info());
    }

    /** What the policy adds to or takes from the guest CPU, and why. */
    private static final class Draft {
        FeatureSet require = FeatureSet.empty();
        FeatureSet disable = FeatureSet.empty();
        final List<String> explanations = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<HostGap> gaps = new ArrayList<>();
        String modelExplanation;
    }

    // ---- the named model ---------------------------------------------------------------------------------------

    private RecommendedCpu namedModel(List<PolicyHost> hosts, List<NamedCpu> named, CpuPolicy policy, Draft draft) {
        if (policy.pinnedModel() != null) {
            return pinned(hosts, named, policy.pinnedModel(), draft);
        }
        Predicate<CpuModel> candidates = candidates(hosts, draft);
        try {
            RecommendedCpu cpu = recommender.recommend(named, false, candidates);
            draft.modelExplanation = "model " + cpu.baseline().model() + ": the newest model whose features every host "
                    + "has, with the fewest features to add or take away (libvirt's baseline of the hosts)";
            return cpu;
        } catch (BaselineRefusedException e) {
            if (e.reason() != BaselineRefusedException.Reason.NO_SUITABLE_MODEL) {
                throw e;
            }
            throw new BaselineRefusedException(e.reason(), "no CPU model fits every host once obsolete models "
                    + obsoleteModels.stream().sorted().toList() + " and models some host's hypervisor cannot run are "
                    + "left out; pin a model in the aggregate's policy to choose one anyway", e.conflictingHosts());
        }
    }

    /** Models every host's hypervisor can run, never an obsolete one. */
    private Predicate<CpuModel> candidates(List<PolicyHost> hosts, Draft draft) {
        boolean everyHostSaid = hosts.stream().allMatch(h -> h.usableModels() != null);
        Set<String> usable = null;
        if (everyHostSaid) {
            usable = new HashSet<>(hosts.get(0).usableModels());
            for (PolicyHost h : hosts) {
                usable.retainAll(h.usableModels());
            }
            draft.explanations.add("candidate models: the " + usable.size() + " named models every host's hypervisor "
                    + "reports usable in its domain capabilities");
        }
        Set<String> allowed = usable;
        return model -> !obsoleteModels.contains(model.name()) && (allowed == null || allowed.contains(model.name()));
    }

    private RecommendedCpu pinned(List<PolicyHost> hosts, List<NamedCpu> named, String pinnedName, Draft draft) {
        CpuModel pinned = catalog.model(pinnedName).orElseThrow(
                () -> new IllegalArgumentException("the catalog has no model " + pinnedName));
        List<FeatureSet> sets = named.stream().map(calculator::expand).toList();
        FeatureSet.Builder common = sets.get(0).toBuilder();
        sets.forEach(common::retainAll);
        FeatureSet shared = common.build();
        for (int i = 0; i < hosts.size(); i++) {
            FeatureSet missing = pinned.features().minus(sets.get(i));
            if (!missing.isEmpty()) {
                draft.gaps.add(new HostGap(hosts.get(i).name(), catalog.featureNames(missing)));
            }
        }
        FeatureSet required = shared.minus(pinned.features());
        List<CpuFeaturePolicy> features = calculator.featureList(pinned, required, FeatureSet.empty(), false);
        Baseline baseline = new Baseline(pinned.name(), pinned.vendor(), true, features,
                pinned.features().union(required), catalog.info());
        draft.modelExplanation = "model " + pinned.name() + ": pinned by the aggregate's policy";
        if (!draft.gaps.isEmpty()) {
            draft.warnings.add("hosts " + draft.gaps.stream().map(HostGap::host).collect(Collectors.joining(", "))
                    + " cannot run the pinned model " + pinned.name() + ": guests with it will not start or migrate there");
        }
        return new RecommendedCpu("custom", baseline, new RecommendedCpu.Reasons(hosts.size(), List.of(), List.of()),
                catalog.info());
    }

    private void checkMinimum(List<PolicyHost> hosts, List<NamedCpu> named, CpuPolicy policy, FeatureSet guest,
            CpuModel model) {
        if (policy.minimumModel() == null) {
            return;
        }
        CpuModel minimum = catalog.model(policy.minimumModel()).orElseThrow(
                () -> new IllegalArgumentException("the catalog has no model " + policy.minimumModel()));
        FeatureSet lacking = minimum.features().minus(guest);
        if (lacking.isEmpty()) {
            return;
        }
        List<String> blocking = new ArrayList<>();
        for (NamedCpu host : named) {
            if (!calculator.expand(host).containsAll(minimum.features())) {
                blocking.add(host.host());
            }
        }
        throw new PolicyConflictException("the hosts' common CPU (" + model.name() + ") is below the minimum model "
                + minimum.name() + ": it lacks " + String.join(", ", catalog.featureNames(lacking))
                + "; hosts " + String.join(", ", blocking) + " lack features of " + minimum.name()
                + " — move them to another aggregate or lower minimumModel", blocking);
    }

    // ---- nested virtualisation ---------------------------------------------------------------------------------

    /** Decided on what guests can really get on each host (the hypervisor's view where known). */
    private NestedReport nested(List<PolicyHost> hosts, List<FeatureSet> effective, CpuPolicy policy, String vendor,
            Draft draft) {
        String flag = "AMD".equals(vendor) || "Hygon".equals(vendor) ? "svm" : "vmx";
        String module = flag.equals("svm") ? "kvm_amd" : "kvm_intel";
        int index = catalog.feature(flag).map(CpuFeature::index).orElseThrow();
        List<String> ready = new ArrayList<>();
        List<NestedFix> toFix = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            PolicyHost host = hosts.get(i);
            if (!effective.get(i).contains(index)) {
                without.add(host.name());
            } else if (host.nested() == NestedState.ENABLED) {
                ready.add(host.name());
            } else {
                toFix.add(new NestedFix(host.name(), CpuPolicy.wireName(host.nested()), List.of(
                        "modprobe -r " + module + "   # with no guests running on the host",
                        "modprobe " + module + " nested=1",
                        "echo 'options " + module + " nested=1' > /etc/modprobe.d/" + module + "-nested.conf"
                                + "   # keeps it after a reboot")));
            }
        }
        FeatureSet flagSet = FeatureSet.of(index);
        boolean provided = false;
        if (policy.nested() == CpuPolicy.Nested.OFF) {
            if (without.size() < hosts.size()) {
                draft.disable = draft.disable.union(flagSet);
                draft.explanations.add("nested virtualisation off: guests do not get " + flag);
            }
        } else if (without.isEmpty() && toFix.isEmpty()) {
            draft.require = draft.require.union(flagSet);
            provided = true;
            draft.explanations.add("nested virtualisation " + CpuPolicy.wireName(policy.nested()) + ": every host has "
                    + flag + " and nested enabled in " + module + ", so guests get " + flag);
        } else {
            String why = (without.isEmpty() ? "" : "hosts " + String.join(", ", without) + " have no " + flag)
                    + (without.isEmpty() || toFix.isEmpty() ? "" : "; ")
                    + (toFix.isEmpty() ? "" : "hosts " + toFix.stream().map(NestedFix::host).collect(Collectors.joining(", "))
                            + " do not have nested enabled in " + module + " (see the commands for each)");
            if (policy.nested() == CpuPolicy.Nested.REQUIRED && policy.strict()) {
                List<String> blocking = new ArrayList<>(without);
                toFix.forEach(f -> blocking.add(f.host()));
                throw new PolicyConflictException("nested virtualisation is required but not possible on every host: "
                        + why, blocking);
            }
            if (without.size() < hosts.size()) {
                // Some hosts could give the flag; a guest that gets it there could not migrate to the others.
                draft.disable = draft.disable.union(flagSet);
            }
            String sentence = "nested virtualisation " + CpuPolicy.wireName(policy.nested()) + " but guests do not get "
                    + flag + ": " + why;
            draft.explanations.add(sentence);
            if (policy.nested() == CpuPolicy.Nested.REQUIRED) {
                draft.warnings.add(sentence);
            }
        }
        return new NestedReport(CpuPolicy.wireName(policy.nested()), flag, provided, ready, toFix, without);
    }

    // ---- mitigations -------------------------------------------------------------------------------------------

    private void mitigations(CpuPolicy policy, FeatureSet guest, Draft draft) {
        if (policy.mitigations() == CpuPolicy.MitigationMode.REQUIRE) {
            List<String> present = catalog.featureNames(guest).stream().filter(MitigationFeatures::isMitigation).toList();
            draft.explanations.add(present.isEmpty()
                    ? "mitigations required: the hosts share no mitigation feature"
                    : "mitigations required: guests get every mitigation feature the hosts share: "
                            + String.join(", ", present));
            return;
        }
        FeatureSet withheld = catalog.featureSet(policy.disabledMitigations());
        draft.disable = draft.disable.union(withheld);
        draft.require = draft.require.minus(withheld);
        for (String feature : policy.disabledMitigations()) {
            draft.warnings.add("mitigation " + feature + " disabled by policy: "
                    + MitigationFeatures.exposure(feature).orElse("guests lose this mitigation"));
        }
        draft.explanations.add("mitigations disabled by policy: " + String.join(", ", policy.disabledMitigations()));
    }

    // ---- goal --------------------------------------------------------------------------------------------------

    private GuestCpu.Mode mode(List<PolicyHost> hosts, List<FeatureSet> physical, CpuPolicy policy, Draft draft) {
        if (policy.goal() == CpuPolicy.Goal.PERFORMANCE) {
            List<String> differences = differingHosts(hosts, physical);
            if (differences.isEmpty()) {
                draft.explanations.add("goal performance: every host has the same CPU (model, signature, microcode, "
                        + "features), so guests get host-passthrough");
                return GuestCpu.Mode.HOST_PASSTHROUGH;
            }
            draft.explanations.add("goal performance: host-passthrough needs identical hosts, but "
                    + String.join("; ", differences) + "; falling back to balanced");
        }
        if (policy.goal() != CpuPolicy.Goal.MIGRATION) {
            String why = hostModelsDiffer(hosts);
            if (why == null) {
                draft.explanations.add("goal " + CpuPolicy.wireName(policy.goal()) + ": every host's host-model CPU is "
                        + "the same, so guests get host-model");
                return GuestCpu.Mode.HOST_MODEL;
            }
            draft.explanations.add("goal " + CpuPolicy.wireName(policy.goal()) + ": host-model needs the same host-model "
                    + "CPU on every host, but " + why + "; falling back to a named model");
        } else {
            draft.explanations.add("goal migration: a named model every host runs, so guests can migrate anywhere in "
                    + "the aggregate");
        }
        return GuestCpu.Mode.CUSTOM;
    }

    /** Each host that differs from the first, and how. */
    private List<String> differingHosts(List<PolicyHost> hosts, List<FeatureSet> physical) {
        PolicyHost first = hosts.get(0);
        List<String> differences = new ArrayList<>();
        List<String> unidentified = hosts.stream().filter(h -> h.microcode() == null || h.signature() == null)
                .map(PolicyHost::name).toList();
        if (!unidentified.isEmpty()) {
            differences.add("hosts " + String.join(", ", unidentified) + " did not report their CPU signature and "
                    + "microcode, so they cannot be shown to be identical");
        }
        for (int i = 1; i < hosts.size(); i++) {
            PolicyHost h = hosts.get(i);
            List<String> what = new ArrayList<>();
            if (!Objects.equals(first.cpu().model(), h.cpu().model())) {
                what.add("model " + h.cpu().model() + " instead of " + first.cpu().model());
            }
            if (!Objects.equals(first.signature(), h.signature())) {
                what.add("signature " + h.signature() + " instead of " + first.signature());
            }
            if (!Objects.equals(first.microcode(), h.microcode())) {
                what.add("microcode " + h.microcode() + " instead of " + first.microcode());
            }
            FeatureSet extra = physical.get(i).minus(physical.get(0));
            FeatureSet missing = physical.get(0).minus(physical.get(i));
            if (!extra.isEmpty() || !missing.isEmpty()) {
                what.add("features " + featureDiff(extra, missing));
            }
            if (!what.isEmpty()) {
                differences.add("host " + h.name() + " differs from " + first.name() + " in " + String.join(", ", what));
            }
        }
        return differences;
    }

    private String hostModelsDiffer(List<PolicyHost> hosts) {
        List<String> unknown = hosts.stream().filter(h -> h.hypervisorCpu() == null).map(PolicyHost::name).toList();
        if (!unknown.isEmpty()) {
            return "hosts " + String.join(", ", unknown) + " did not report their hypervisor's host-model CPU";
        }
        Map<FeatureSet, List<String>> groups = new LinkedHashMap<>();
        for (PolicyHost h : hosts) {
            FeatureSet set = calculator.expand(new NamedCpu(h.name(), h.hypervisorCpu()));
            groups.computeIfAbsent(set, k -> new ArrayList<>()).add(h.name());
        }
        if (groups.size() == 1) {
            return null;
        }
        return "the host-model CPUs fall into " + groups.size() + " kinds: " + groups.values().stream()
                .map(names -> String.join(", ", names)).map(s -> "[" + s + "]").collect(Collectors.joining(" "));
    }

    private String featureDiff(FeatureSet extra, FeatureSet missing) {
        List<String> parts = new ArrayList<>();
        catalog.featureNames(extra).forEach(n -> parts.add("+" + n));
        catalog.featureNames(missing).forEach(n -> parts.add("-" + n));
        return String.join(" ", parts);
    }

    private static String firstVendor(List<PolicyHost> hosts) {
        return hosts.stream().map(h -> h.effectiveCpu().vendor()).filter(Objects::nonNull).findFirst().orElse(null);
    }
}
