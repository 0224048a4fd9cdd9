package io.fleetcpu.policy;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureDefinition;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.CpuSignature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.PolicyRecommendation.HostGap;
import io.fleetcpu.policy.PolicyRecommendation.LevelReport;
import io.fleetcpu.policy.PolicyRecommendation.NestedFix;
import io.fleetcpu.policy.PolicyRecommendation.NestedReport;
import io.fleetcpu.policy.baseline.Baseline;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.NamedCpu;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.GuestVisibility;
import io.fleetcpu.policy.guest.MicroarchitectureLevel;
import io.fleetcpu.policy.render.NestedCommands;
import io.fleetcpu.policy.render.NovaCpuModels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Turns an aggregate's hosts and policy into the guest CPU to configure: host-passthrough, host-model or a named
 * model, with nested virtualisation and mitigations as the policy asks, and every choice explained.
 */
public final class PolicyRecommender {

    /**
     * The models never recommended unless an aggregate pins them, by default ({@code fleetcpu.policy.obsolete-models}):
     * too old to be worth a guest's while, or unknown to upstream QEMU.
     */
    public static final List<String> OBSOLETE_MODELS = List.of(
            "486",
            "pentium",
            "pentium2",
            "pentium3",
            "pentiumpro",
            "coreduo",
            "n270",
            "qemu32",
            "kvm32",
            "cpu64-rhel5",
            "cpu64-rhel6");

    /** Hosts named in a sentence before the rest are counted: answers stay short for large aggregates. */
    private static final int HOSTS_NAMED = 5;

    private final CpuCatalog catalog;
    private final BaselineCalculator calculator;
    private final BaselineExplainer explainer;
    private final GuestVisibility visibility;
    private final Set<String> obsoleteModels;
    private final FeatureSet nonMigratable;
    private final FeatureSet underSvm;
    private final FeatureSet underVmx;

    /** @param obsoleteModels models never recommended unless pinned (486, pentium, qemu32, …) */
    public PolicyRecommender(CpuCatalog catalog, GuestVisibility visibility, Set<String> obsoleteModels) {
        this(new BaselineCalculator(catalog), visibility, obsoleteModels);
    }

    /** With the calculator the catalog's other parts share ({@link CpuEngine}). */
    PolicyRecommender(BaselineCalculator calculator, GuestVisibility visibility, Set<String> obsoleteModels) {
        CpuCatalog catalog = calculator.catalog();
        this.catalog = catalog;
        this.calculator = calculator;
        this.explainer = new BaselineExplainer(calculator);
        this.visibility = visibility;
        this.obsoleteModels = Set.copyOf(obsoleteModels);
        this.nonMigratable = catalog.featureSet(catalog.features().stream()
                .filter(f -> !f.migratable())
                .map(FeatureDefinition::name)
                .toList());
        this.underSvm = nestedDependents("svm");
        this.underVmx = nestedDependents("vmx");
    }

    /**
     * The guest CPU for the hosts under the policy, computed from what guests can get on each host
     * ({@link GuestVisibility}).
     *
     * @param expandFeatures for a named model, list every feature of it (libvirt's EXPAND_FEATURES form)
     * @throws BaselineRefusedException when no mode the policy allows can serve every host
     * @throws PolicyConflictException when the policy cannot be met and says to refuse rather than explain
     */
    public PolicyRecommendation recommend(List<PolicyHost> hosts, CpuPolicy policy, boolean expandFeatures) {
        Draft draft = new Draft();
        List<GuestVisibility.View> views = hosts.stream()
                .map(h -> visibility.of(h.cpu(), h.hypervisorCpu()))
                .toList();
        List<NamedCpu> named = IntStream.range(0, hosts.size())
                .mapToObj(i -> new NamedCpu(hosts.get(i).name(), views.get(i).cpu()))
                .toList();
        warnAboutPhysicalViews(hosts, views, draft);
        calculator.checkArchitectures(named);
        List<FeatureSet> visible = named.stream().map(calculator::expand).toList();

        GuestCpu.Mode mode = mode(hosts, policy, draft);
        RecommendedCpu baseline = null;
        CpuModel model = null;
        FeatureSet guest;
        String vendor;
        if (mode == GuestCpu.Mode.CUSTOM) {
            baseline = namedModel(hosts, named, policy, draft);
            model = catalog.model(baseline.baseline().model()).orElseThrow();
            guest = baseline.baseline().featureSet();
            vendor = baseline.baseline().vendor() != null
                    ? baseline.baseline().vendor()
                    : model.vendor() != null ? model.vendor() : firstVendor(named);
        } else {
            guest = common(visible);
            vendor = firstVendor(named);
        }
        checkMinimum(named, visible, policy, guest, model != null ? model.name() : mode.libvirtName());
        checkMinimumLevel(named, visible, policy, guest, model != null ? model.name() : mode.libvirtName());
        NestedReport nested = nested(hosts, visible, policy, vendor, draft);
        mitigations(policy, guest, draft);

        GuestCpu cpu;
        FeatureSet guestFeatures;
        if (mode == GuestCpu.Mode.CUSTOM) {
            draft.explanations.add(0, draft.modelExplanation);
            // both were found for the custom mode above
            Objects.requireNonNull(baseline);
            Objects.requireNonNull(model);
            Baseline b = baseline.baseline();
            FeatureSet required = catalog.featureSet(b.featureNames(FeaturePolicy.REQUIRE))
                    .union(draft.require.minus(model.features()))
                    .minus(draft.disable);
            required = leaveOutNonMigratable(required, model, draft);
            // A withheld feature is written out even where the model lacks it, so that no consumer adds it back.
            FeatureSet disabled = catalog.featureSet(b.featureNames(FeaturePolicy.DISABLE))
                    .union(draft.disable)
                    .minus(draft.require);
            guestFeatures = model.features().union(required).minus(disabled);
            cpu = GuestCpu.custom(
                    model.name(),
                    b.vendor(),
                    b.fallbackForbid() && draft.require.isEmpty() && draft.disable.isEmpty(),
                    calculator.featureList(model, required, withoutVmxCapabilities(disabled, model), expandFeatures));
        } else {
            List<CpuFeature> features = new ArrayList<>();
            catalog.featureNames(draft.require).forEach(n -> features.add(new CpuFeature(n, FeaturePolicy.REQUIRE)));
            catalog.featureNames(draft.disable).forEach(n -> features.add(new CpuFeature(n, FeaturePolicy.DISABLE)));
            cpu = mode == GuestCpu.Mode.HOST_MODEL ? GuestCpu.hostModel(features) : GuestCpu.hostPassthrough(features);
            guestFeatures = guest.union(draft.require).minus(draft.disable);
        }
        LevelReport level = level(named, visible, guestFeatures, draft);
        return new PolicyRecommendation(
                cpu,
                draft.explanations,
                draft.warnings,
                baseline != null ? baseline.reasons() : new RecommendedCpu.Reasons(hosts.size(), List.of(), List.of()),
                nested,
                draft.gaps,
                level,
                catalog.info());
    }

    /**
     * The named models every host can run and the features every host gives guests, for nova's ordered
     * {@code cpu_models} and its Placement traits. A model is listed when every host's guest-visible CPU
     * ({@link GuestVisibility}) has all its features, it is no other vendor's than a host's, every host that reported
     * its domain capabilities reports it usable, it is not obsolete, and no host's hypervisor marks it deprecated;
     * oldest first (catalog order). The recommended model is listed whatever it is (a pinned model some host lacks),
     * in its place.
     *
     * <p>Deprecated models are fleetcpu's rule, not nova's: nova (nova/virt/libvirt/driver.py
     * {@code _check_cpu_compatibility}, openstack/nova 00a030403f) has no rule for deprecated models; at start it
     * compares each listed model with the hypervisor ({@code _compare_cpu}, virConnectCompareHypervisorCPU). QEMU
     * removes a deprecated model in a later release; that comparison then fails and nova-compute refuses to start
     * ("Configured CPU model: … are not compatible with host CPU").
     *
     * @param recommended the recommended named model, or null (host modes)
     */
    public NovaCpuModels novaCpuModels(List<PolicyHost> hosts, @Nullable String recommended) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no hosts");
        }
        List<CpuDescription> views = hosts.stream()
                .map(h -> visibility.of(h.cpu(), h.hypervisorCpu()).cpu())
                .toList();
        List<FeatureSet> visible = views.stream().map(calculator::expand).toList();
        FeatureSet shared = common(visible);
        Set<String> vendors = views.stream()
                .map(CpuDescription::vendor)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        Set<String> deprecated =
                hosts.stream().flatMap(h -> h.deprecatedModels().stream()).collect(Collectors.toSet());
        Predicate<CpuModel> everyHostRuns = m -> !obsolete(m)
                && !deprecated.contains(m.name())
                && (m.vendor() == null
                        || vendors.isEmpty()
                        || Set.of(m.vendor()).equals(vendors))
                && shared.containsAll(m.features())
                && hosts.stream()
                        .allMatch(h ->
                                h.usableModels() == null || h.usableModels().contains(m.name()));
        List<CpuModel> models = catalog.models().stream()
                .filter(m -> m.name().equals(recommended) || everyHostRuns.test(m))
                .sorted(Comparator.comparingInt(CpuModel::position))
                .toList();
        FeatureSet.Builder modelFeatures = FeatureSet.builder();
        models.forEach(m -> modelFeatures.addAll(m.features()));
        return new NovaCpuModels(
                models.stream().map(CpuModel::name).toList(),
                catalog.featureNames(shared),
                catalog.featureNames(modelFeatures.build()));
    }

    /** Hosts read from their physical CPU: what was taken away, and how to get an exact answer. */
    private void warnAboutPhysicalViews(List<PolicyHost> hosts, List<GuestVisibility.View> views, Draft draft) {
        List<String> physical = new ArrayList<>();
        Set<String> removed = new java.util.TreeSet<>();
        for (int i = 0; i < hosts.size(); i++) {
            if (!views.get(i).hypervisor()) {
                physical.add(hosts.get(i).name());
                removed.addAll(views.get(i).removed());
            }
        }
        if (physical.isEmpty()) {
            return;
        }
        draft.warnings.add(hostList(physical) + " sent no hypervisor view of their CPU (what guests can really get "
                + "there), so fleetcpu read their physical CPU without the features KVM never gives guests"
                + (removed.isEmpty()
                        ? ""
                        : " (" + String.join(", ", catalog.featureNames(catalog.featureSet(removed))) + ")")
                + "; the answer may still ask for a feature their hypervisor does not give: register them with the "
                + "fleetcpu agent, which sends the hypervisor's view");
    }

    /** "hosts a, b, c and 7 more" */
    private static String text(@Nullable CpuSignature signature) {
        return signature == null ? "null" : signature.text();
    }

    private static String hostList(List<String> hosts) {
        if (hosts.size() == 1) {
            return "host " + hosts.get(0);
        }
        String named = String.join(", ", hosts.subList(0, Math.min(HOSTS_NAMED, hosts.size())));
        return "hosts " + named + (hosts.size() > HOSTS_NAMED ? " and " + (hosts.size() - HOSTS_NAMED) + " more" : "");
    }

    /** libvirt's migratable semantics: features cpu_map marks migratable='no' are not asked for. */
    private FeatureSet leaveOutNonMigratable(FeatureSet required, CpuModel model, Draft draft) {
        // Only features asked for on top of the model, as libvirt's MIGRATABLE flag does: the model stays whole.
        FeatureSet leftOut = required.intersection(nonMigratable).minus(model.features());
        if (leftOut.isEmpty()) {
            return required;
        }
        draft.explanations.add(
                "left out so that guests can live-migrate: " + String.join(", ", catalog.featureNames(leftOut))
                        + " (libvirt's CPU map marks them migratable='no': libvirt refuses to "
                        + "migrate or save a guest that has them, as libvirt's MIGRATABLE baseline does)");
        return required.minus(leftOut);
    }

    private static FeatureSet common(List<FeatureSet> sets) {
        FeatureSet.Builder common = sets.get(0).toBuilder();
        sets.forEach(common::retainAll);
        return common.build();
    }

    /** What the policy adds to or takes from the guest CPU, and why. */
    private static final class Draft {
        FeatureSet require = FeatureSet.empty();
        FeatureSet disable = FeatureSet.empty();
        final List<String> explanations = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<HostGap> gaps = new ArrayList<>();

        @Nullable
        String modelExplanation;
        /** Why the host modes the goal asked for could not be used. */
        final List<String> modeRefusals = new ArrayList<>();
    }

    // ---- the named model ---------------------------------------------------------------------------------------

    private RecommendedCpu namedModel(List<PolicyHost> hosts, List<NamedCpu> named, CpuPolicy policy, Draft draft) {
        if (policy.pinnedModel() != null) {
            return pinned(hosts, named, policy.pinnedModel(), draft);
        }
        Predicate<CpuModel> candidates = candidates(hosts, draft);
        try {
            RecommendedCpu cpu = explainer.recommend(named, false, candidates);
            draft.modelExplanation = "model " + cpu.baseline().model() + ": the newest model whose features every host "
                    + "has, with the fewest features to add or take away (libvirt's baseline of the hosts)";
            return cpu;
        } catch (BaselineRefusedException e) {
            if (e.reason() != BaselineRefusedException.Reason.NO_SUITABLE_MODEL) {
                throw e;
            }
            String hostModes = policy.goal() == CpuPolicy.Goal.MIGRATION
                    ? "; or, if guests need not migrate across different hosts, set the goal to balanced (host-model) "
                            + "or performance (host-passthrough)"
                    : "; " + String.join("; ", draft.modeRefusals);
            throw new BaselineRefusedException(
                    e.reason(),
                    "no CPU model fits every host once obsolete models "
                            + obsoleteModels.stream().sorted().toList()
                            + " and models some host's hypervisor cannot run are "
                            + "left out (" + e.getMessage()
                            + "); pin a model in the aggregate's policy (pinnedModel) to "
                            + "choose one anyway" + hostModes,
                    e.conflictingHosts());
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
        return model -> !obsolete(model) && (allowed == null || allowed.contains(model.name()));
    }

    /**
     * Whether a model is obsolete: named in the list, or a version of one that is ({@code 486-v1} of {@code 486}:
     * libvirt 11's cpu_map defines each QEMU version {@code <name>-v<N>} as a model that includes the unversioned
     * one). KubeVirt's DefaultObsoleteCPUModels lists the {@code -v1} names beside each model for the same reason.
     */
    private boolean obsolete(CpuModel model) {
        if (obsoleteModels.contains(model.name())) {
            return true;
        }
        String base = model.includes();
        return base != null
                && obsoleteModels.contains(base)
                && model.name().matches(java.util.regex.Pattern.quote(base) + "-v[0-9]+");
    }

    private RecommendedCpu pinned(List<PolicyHost> hosts, List<NamedCpu> named, String pinnedName, Draft draft) {
        CpuModel pinned = catalog.model(pinnedName)
                .orElseThrow(() -> new IllegalArgumentException("the catalog has no model " + pinnedName));
        List<FeatureSet> sets = named.stream().map(calculator::expand).toList();
        FeatureSet shared = common(sets);
        for (int i = 0; i < hosts.size(); i++) {
            FeatureSet missing = pinned.features().minus(sets.get(i));
            if (!missing.isEmpty()) {
                draft.gaps.add(new HostGap(hosts.get(i).name(), catalog.featureNames(missing)));
            }
        }
        FeatureSet required = shared.minus(pinned.features());
        List<CpuFeature> features = calculator.featureList(pinned, required, FeatureSet.empty(), false);
        Baseline baseline = new Baseline(
                pinned.name(),
                pinned.vendor(),
                true,
                features,
                pinned.features().union(required),
                catalog.info());
        draft.modelExplanation = "model " + pinned.name() + ": pinned by the aggregate's policy";
        if (!draft.gaps.isEmpty()) {
            draft.warnings.add("hosts " + draft.gaps.stream().map(HostGap::host).collect(Collectors.joining(", "))
                    + " cannot run the pinned model " + pinned.name()
                    + ": guests with it will not start or migrate there");
        }
        return new RecommendedCpu(
                "custom", baseline, new RecommendedCpu.Reasons(hosts.size(), List.of(), List.of()), catalog.info());
    }

    private void checkMinimum(
            List<NamedCpu> named, List<FeatureSet> visible, CpuPolicy policy, FeatureSet guest, String answer) {
        if (policy.minimumModel() == null) {
            return;
        }
        CpuModel minimum = catalog.model(policy.minimumModel())
                .orElseThrow(() -> new IllegalArgumentException("the catalog has no model " + policy.minimumModel()));
        FeatureSet lacking = minimum.features().minus(guest);
        if (lacking.isEmpty()) {
            return;
        }
        List<String> blocking = new ArrayList<>();
        for (int i = 0; i < named.size(); i++) {
            if (!visible.get(i).containsAll(minimum.features())) {
                blocking.add(named.get(i).host());
            }
        }
        throw new PolicyConflictException(
                "the hosts' common CPU (" + answer + ") is below the minimum model "
                        + minimum.name() + ": it lacks " + String.join(", ", catalog.featureNames(lacking))
                        + "; hosts " + String.join(", ", blocking) + " lack features of " + minimum.name()
                        + " — move them to another aggregate or lower minimumModel",
                blocking);
    }

    /** Like {@link #checkMinimum}, for the policy's x86-64 microarchitecture level. */
    private void checkMinimumLevel(
            List<NamedCpu> named, List<FeatureSet> visible, CpuPolicy policy, FeatureSet guest, String answer) {
        MicroarchitectureLevel minimum = policy.minimumLevel();
        if (minimum == null) {
            return;
        }
        List<String> lacking = minimum.missingFrom(guest, catalog);
        if (lacking.isEmpty()) {
            return;
        }
        List<String> blocking = new ArrayList<>();
        List<String> below = new ArrayList<>();
        for (int i = 0; i < named.size(); i++) {
            if (!minimum.missingFrom(visible.get(i), catalog).isEmpty()) {
                blocking.add(named.get(i).host());
                below.add(named.get(i).host() + " ("
                        + levelName(MicroarchitectureLevel.reachedBy(visible.get(i), catalog)) + ")");
            }
        }
        String answerLevel = levelName(MicroarchitectureLevel.reachedBy(guest, catalog));
        throw new PolicyConflictException(
                "the hosts' common CPU (" + answer + ", " + answerLevel + ") is below the "
                        + "minimum level " + minimum.operatorName() + ": it lacks " + String.join(", ", lacking)
                        + (blocking.isEmpty()
                                ? "; every host reaches " + minimum.operatorName() + " on its own — the policy's "
                                        + "pinned model is below it"
                                : "; hosts below " + minimum.operatorName() + ": " + String.join(", ", below))
                        + " — move them to another aggregate or lower minimumLevel",
                blocking);
    }

    /** The level the guest CPU reaches and, when some host's guests would get a higher one alone, who costs it. */
    private LevelReport level(List<NamedCpu> named, List<FeatureSet> visible, FeatureSet guest, Draft draft) {
        Optional<MicroarchitectureLevel> reached = MicroarchitectureLevel.reachedBy(guest, catalog);
        int reachedRank = reached.map(l -> l.ordinal() + 1).orElse(0);
        List<Optional<MicroarchitectureLevel>> own = visible.stream()
                .map(v -> MicroarchitectureLevel.reachedBy(v, catalog))
                .toList();
        int best = own.stream()
                .mapToInt(l -> l.map(x -> x.ordinal() + 1).orElse(0))
                .max()
                .orElse(0);
        String reachedName = levelName(reached);
        if (best <= reachedRank) {
            draft.explanations.add("x86-64 microarchitecture level " + reachedName + " (x86-64 psABI): no host "
                    + "reaches a higher one");
            return new LevelReport(
                    reached.map(MicroarchitectureLevel::operatorName).orElse(null), null, List.of());
        }
        MicroarchitectureLevel lost = MicroarchitectureLevel.values()[reachedRank];
        List<String> below = new ArrayList<>();
        for (int i = 0; i < named.size(); i++) {
            if (own.get(i).map(l -> l.ordinal() < lost.ordinal()).orElse(true)) {
                below.add(named.get(i).host());
            }
        }
        List<String> lacking = lost.missingFrom(guest, catalog);
        draft.explanations.add("x86-64 microarchitecture level " + reachedName + " (x86-64 psABI): "
                + lost.operatorName() + " is lost (the guest CPU lacks " + String.join(", ", lacking) + ")"
                + (below.isEmpty()
                        ? " to the policy (pinned model or withheld features), though every host reaches it"
                        : " because of " + hostList(below) + ", below " + lost.operatorName() + " on their own"));
        return new LevelReport(
                reached.map(MicroarchitectureLevel::operatorName).orElse(null), lost.operatorName(), below);
    }

    private static String levelName(Optional<MicroarchitectureLevel> level) {
        return level.map(MicroarchitectureLevel::operatorName).orElse("below x86-64-baseline");
    }

    // ---- nested virtualisation ---------------------------------------------------------------------------------

    /** Decided on what guests can really get on each host (the hypervisor's view where known). */
    private NestedReport nested(
            List<PolicyHost> hosts,
            List<FeatureSet> effective,
            CpuPolicy policy,
            @Nullable String vendor,
            Draft draft) {
        String flag = "AMD".equals(vendor) || "Hygon".equals(vendor) ? "svm" : "vmx";
        String module = flag.equals("svm") ? "kvm_amd" : "kvm_intel";
        int index = catalog.feature(flag).map(FeatureDefinition::index).orElseThrow();
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
                toFix.add(new NestedFix(host.name(), host.nested(), NestedCommands.enableNested(module)));
            }
        }
        // Without the flag, the features that only exist under it (svm's leaf 0x8000000A: npt, avic, …; vmx-*)
        // must go too: a guest without svm that is asked for npt is refused.
        FeatureSet flagSet =
                FeatureSet.of(index).union((flag.equals("svm") ? underSvm : underVmx).intersection(union(effective)));
        boolean provided = false;
        if (policy.nested() == CpuPolicy.Nested.OFF) {
            if (without.size() < hosts.size()) {
                draft.disable = draft.disable.union(flagSet);
                draft.explanations.add("nested virtualisation off: guests do not get " + flag);
            }
        } else if (without.isEmpty() && toFix.isEmpty()) {
            draft.require = draft.require.union(FeatureSet.of(index));
            provided = true;
            draft.explanations.add("nested virtualisation " + CpuPolicy.wireName(policy.nested()) + ": every host has "
                    + flag + " and nested enabled in " + module + ", so guests get " + flag);
        } else {
            String why = (without.isEmpty() ? "" : "hosts " + String.join(", ", without) + " have no " + flag)
                    + (without.isEmpty() || toFix.isEmpty() ? "" : "; ")
                    + (toFix.isEmpty()
                            ? ""
                            : "hosts " + toFix.stream().map(NestedFix::host).collect(Collectors.joining(", "))
                                    + " do not have nested enabled in " + module + " (see the commands for each)");
            if (policy.nested() == CpuPolicy.Nested.REQUIRED && policy.strict()) {
                List<String> blocking = new ArrayList<>(without);
                toFix.forEach(f -> blocking.add(f.host()));
                throw new PolicyConflictException(
                        "nested virtualisation is required but not possible on every host: " + why, blocking);
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

    /**
     * A guest without vmx gets none of the vmx-* capabilities, whether or not they are written out: QEMU's
     * {@code feature_dependencies} in target/i386/cpu.c ties every VMX feature word (procbased, secondary, pinbased,
     * exit, entry, basic, misc, EPT/VPID caps, vmfunc) to CPUID.1:ECX.VMX, and {@code x86_cpu_expand_features} clears
     * them when vmx is off ("Not an error unless the dependent feature was added explicitly"). So the disabled
     * features written for a named model leave out the vmx-* capabilities that are not part of the model: nobody
     * adds them back (libvirt does not count an {@code added='yes'} feature as part of a model, nor asks a host for
     * it). Those the model itself has (libvirt 11.3's versioned and newer models list them as plain features) stay
     * written: libvirt's check of a guest CPU against the host asks the host for every feature of the model that is
     * not disabled (x86Compute in src/cpu/cpu_x86.c), and a host without nested virtualisation has none.
     */
    private FeatureSet withoutVmxCapabilities(FeatureSet disabled, CpuModel model) {
        int vmx = catalog.feature("vmx").map(FeatureDefinition::index).orElse(-1);
        if (vmx < 0 || !disabled.contains(vmx)) {
            return disabled;
        }
        return disabled.minus(underVmx.minus(model.features()));
    }

    private FeatureSet nestedDependents(String flag) {
        FeatureSet.Builder set = FeatureSet.builder();
        for (FeatureDefinition f : catalog.features()) {
            boolean dependent = flag.equals("svm")
                    ? f.bits().stream()
                            .anyMatch(b -> b.toLowerCase(java.util.Locale.ROOT).contains("0x8000000a"))
                    : f.name().startsWith("vmx-");
            if (dependent) {
                set.add(f.index());
            }
        }
        return set.build();
    }

    private static FeatureSet union(List<FeatureSet> sets) {
        FeatureSet.Builder union = FeatureSet.builder();
        sets.forEach(union::addAll);
        return union.build();
    }

    // ---- mitigations -------------------------------------------------------------------------------------------

    private void mitigations(CpuPolicy policy, FeatureSet guest, Draft draft) {
        if (policy.mitigations() == CpuPolicy.MitigationMode.REQUIRE) {
            List<String> present = catalog.featureNames(guest).stream()
                    .filter(MitigationFeatures::isMitigation)
                    .toList();
            draft.explanations.add(
                    present.isEmpty()
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

    private GuestCpu.Mode mode(List<PolicyHost> hosts, CpuPolicy policy, Draft draft) {
        if (policy.goal() == CpuPolicy.Goal.PERFORMANCE) {
            List<String> differences = differingHosts(hosts);
            differences.addAll(unsupported(hosts, GuestCpu.Mode.HOST_PASSTHROUGH));
            if (differences.isEmpty()) {
                draft.explanations.add("goal performance: every host has the same CPU (model, signature, microcode, "
                        + "features), so guests get host-passthrough");
                draft.warnings.add("host-passthrough: guests see the host CPU as it is; they can live-migrate only "
                        + "between hosts identical in CPU, microcode, kernel and QEMU, and not at all with features "
                        + "that block migration (invtsc) — use goal balanced or migration for guests that must move");
                return GuestCpu.Mode.HOST_PASSTHROUGH;
            }
            String why = "host-passthrough needs identical hosts whose hypervisors support it, but "
                    + String.join("; ", differences);
            draft.modeRefusals.add(why);
            draft.explanations.add("goal performance: " + why + "; falling back to balanced");
        }
        if (policy.goal() != CpuPolicy.Goal.MIGRATION) {
            List<String> reasons = new ArrayList<>(unsupported(hosts, GuestCpu.Mode.HOST_MODEL));
            String differ = hostModelsDiffer(hosts);
            if (differ != null) {
                reasons.add(differ);
            }
            if (reasons.isEmpty()) {
                draft.explanations.add("goal " + CpuPolicy.wireName(policy.goal()) + ": every host's host-model CPU is "
                        + "the same, so guests get host-model");
                return GuestCpu.Mode.HOST_MODEL;
            }
            String why = "host-model needs the same host-model CPU on every host, but " + String.join("; ", reasons);
            draft.modeRefusals.add(why);
            draft.explanations.add(
                    "goal " + CpuPolicy.wireName(policy.goal()) + ": " + why + "; falling back to a named model");
        } else {
            draft.explanations.add("goal migration: a named model every host runs, so guests can migrate anywhere in "
                    + "the aggregate");
        }
        return GuestCpu.Mode.CUSTOM;
    }

    /** Hosts whose domain capabilities say their hypervisor cannot run this mode (e.g. host-passthrough under TCG). */
    private static List<String> unsupported(List<PolicyHost> hosts, GuestCpu.Mode mode) {
        List<String> names = hosts.stream()
                .filter(h -> !h.supports(mode))
                .map(PolicyHost::name)
                .toList();
        return names.isEmpty()
                ? List.of()
                : List.of(
                        "the hypervisors of " + hostList(names) + " do not support " + mode.libvirtName()
                                + " (their domain capabilities say so; under emulation, without KVM, host-passthrough never is)");
    }

    /** Each host that differs from the first, and how. */
    private List<String> differingHosts(List<PolicyHost> hosts) {
        PolicyHost first = hosts.get(0);
        List<String> differences = new ArrayList<>();
        if (hosts.size() == 1) {
            return differences;
        }
        List<FeatureSet> physical = hosts.stream()
                .map(h -> calculator.expand(new NamedCpu(h.name(), h.cpu())))
                .toList();
        List<String> unidentified = hosts.stream()
                .filter(h -> h.microcode() == null || h.signature() == null)
                .map(PolicyHost::name)
                .toList();
        if (!unidentified.isEmpty()) {
            differences.add("hosts " + String.join(", ", unidentified) + " did not report their CPU signature and "
                    + "microcode, so they cannot be shown to be identical");
        }
        for (int i = 1; i < hosts.size(); i++) {
            PolicyHost h = hosts.get(i);
            List<String> what = new ArrayList<>();
            if (!Objects.equals(first.cpu().model(), h.cpu().model())) {
                what.add("model " + h.cpu().model() + " instead of "
                        + first.cpu().model());
            }
            if (!Objects.equals(first.signature(), h.signature())) {
                what.add("signature " + text(h.signature()) + " instead of " + text(first.signature()));
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
                differences.add(
                        "host " + h.name() + " differs from " + first.name() + " in " + String.join(", ", what));
            }
        }
        return differences;
    }

    private @Nullable String hostModelsDiffer(List<PolicyHost> hosts) {
        List<String> unknown = hosts.stream()
                .filter(h -> h.hypervisorCpu() == null)
                .map(PolicyHost::name)
                .toList();
        if (!unknown.isEmpty()) {
            return "hosts " + String.join(", ", unknown) + " did not report their hypervisor's host-model CPU";
        }
        Map<FeatureSet, List<String>> groups = new LinkedHashMap<>();
        for (PolicyHost h : hosts) {
            // every host has it: those without were named above
            FeatureSet set = calculator.expand(new NamedCpu(h.name(), Objects.requireNonNull(h.hypervisorCpu())));
            groups.computeIfAbsent(set, k -> new ArrayList<>()).add(h.name());
        }
        if (groups.size() == 1) {
            return null;
        }
        return "the host-model CPUs fall into " + groups.size() + " kinds: "
                + groups.values().stream()
                        .map(names -> String.join(", ", names))
                        .map(s -> "[" + s + "]")
                        .collect(Collectors.joining(" "));
    }

    private String featureDiff(FeatureSet extra, FeatureSet missing) {
        List<String> parts = new ArrayList<>();
        catalog.featureNames(extra).forEach(n -> parts.add("+" + n));
        catalog.featureNames(missing).forEach(n -> parts.add("-" + n));
        return String.join(" ", parts);
    }

    private @Nullable String firstVendor(List<NamedCpu> hosts) {
        return hosts.stream()
                .map(h -> h.cpu().vendor() != null
                        ? h.cpu().vendor()
                        : catalog.model(Objects.requireNonNull(h.cpu().model()))
                                .map(CpuModel::vendor)
                                .orElse(null))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }
}
