package io.fleetcpu.policy.baseline;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.baseline.BaselineRefusedException.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The guest CPU a set of hosts can all run, computed exactly as libvirt 9.0's {@code virConnectBaselineCPU}
 * (x86 driver) computes it from the same host CPUs, so an operator gets the same answer from fleetcpu as from
 * {@code virsh cpu-baseline}. Each feature of the catalog stands for one distinct CPUID/MSR bit (the catalog
 * checks this), so libvirt's arithmetic on CPUID data is done here on feature sets.
 */
public final class BaselineCalculator {

    private final CpuCatalog catalog;
    /** Models newest first: libvirt's decode walks the map from its end. */
    private final List<CpuModel> decodeOrder;

    private final FeatureSet nonMigratable;
    private final Map<LibvirtDriver, FeatureSet> droppedBy = new EnumMap<>(LibvirtDriver.class);

    public BaselineCalculator(CpuCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        List<CpuModel> reversed = new ArrayList<>(catalog.models());
        java.util.Collections.reverse(reversed);
        this.decodeOrder = List.copyOf(reversed);
        FeatureSet.Builder b = FeatureSet.builder();
        catalog.features().stream().filter(f -> !f.migratable()).forEach(f -> b.add(f.index()));
        this.nonMigratable = b.build();
        for (LibvirtDriver driver : LibvirtDriver.values()) {
            FeatureSet.Builder dropped = FeatureSet.builder();
            driver.droppedFeatures(catalog.info().libvirtVersion())
                    .forEach(name -> catalog.feature(name).ifPresent(f -> dropped.add(f.index())));
            droppedBy.put(driver, dropped.build());
        }
    }

    public CpuCatalog catalog() {
        return catalog;
    }

    /** Every feature of a host's CPU: its model's features, plus the required ones, minus the disabled ones. */
    public FeatureSet expand(CpuDescription cpu) {
        return expand(new NamedCpu("(unnamed)", cpu));
    }

    public FeatureSet expand(NamedCpu host) {
        CpuModel model = modelOf(host);
        return features(host, model);
    }

    /**
     * @param expandFeatures list every feature of the baseline (libvirt's {@code VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES})
     * @param migratable     leave out features that prevent live migration ({@code VIR_CONNECT_BASELINE_CPU_MIGRATABLE})
     * @throws BaselineRefusedException where libvirt refuses the same hosts, and for an empty list or non-x86 hosts
     */
    public Baseline baseline(List<NamedCpu> hosts, boolean expandFeatures, boolean migratable) {
        return baseline(hosts, expandFeatures, migratable, model -> true);
    }

    /**
     * The baseline as one libvirt driver answers it: {@link LibvirtDriver#QEMU} is what an operator's libvirtd
     * says, {@link LibvirtDriver#TEST} the CPU code alone (what the other methods answer).
     */
    public Baseline baseline(List<NamedCpu> hosts, boolean expandFeatures, boolean migratable, LibvirtDriver driver) {
        return baseline(hosts, expandFeatures, migratable, model -> true, Objects.requireNonNull(driver, "driver"));
    }

    /**
     * The baseline with the choice of model limited to some candidates, as libvirt's
     * virConnectBaselineHypervisorCPU limits it to the models the hypervisor can run. A model all hosts name is
     * preferred only when it is a candidate.
     */
    public Baseline baseline(
            List<NamedCpu> hosts, boolean expandFeatures, boolean migratable, Predicate<CpuModel> candidates) {
        return baseline(hosts, expandFeatures, migratable, candidates, LibvirtDriver.TEST);
    }

    /**
     * The baseline as libvirt 9.0's {@code virConnectBaselineHypervisorCPU} (QEMU driver, x86) computes it: the
     * hosts' common features are limited to the features the hypervisor can give ({@code hypervisorFeatures}, the
     * properties QEMU reports for its host CPU model), the model to the hypervisor's models, and the model is always
     * printed with {@code fallback='forbid'} (qemuConnectBaselineHypervisorCPU, src/qemu/qemu_driver.c). A model
     * QEMU cannot run as it is has blockers (QEMU's unavailable-features): x86DataToCPU (src/cpu/cpu_x86.c) lists
     * each blocker that the CPU does not have as an extra feature as disabled, which also counts in the choice of
     * model. Unlike
     * {@code virConnectBaselineCPU}, that API reads a {@code <cpu>} without {@code <arch>} as a guest CPU, so its
     * {@code disable} policies take the feature away, the meaning fleetcpu gives a host's {@code disabledFeatures}
     * (docs/guest-cpus.md, "How libvirt reads feature policies in a baseline"). The MIGRATABLE form is not modelled:
     * libvirt then asks QEMU for the migratable properties instead.
     *
     * @param hypervisorModels   the hypervisor's models by name, each with its blockers (empty when usable)
     * @param hypervisorFeatures the features the hypervisor knows
     */
    public Baseline hypervisorBaseline(
            List<NamedCpu> hosts,
            boolean expandFeatures,
            Map<String, FeatureSet> hypervisorModels,
            FeatureSet hypervisorFeatures) {
        Objects.requireNonNull(hypervisorModels, "hypervisorModels");
        Baseline b = baseline(
                hosts,
                expandFeatures,
                false,
                m -> hypervisorModels.containsKey(m.name()),
                LibvirtDriver.TEST,
                Objects.requireNonNull(hypervisorFeatures, "hypervisorFeatures"),
                m -> hypervisorModels.getOrDefault(m.name(), FeatureSet.empty()));
        return new Baseline(b.model(), b.vendor(), true, b.features(), b.featureSet(), b.catalog());
    }

    private Baseline baseline(
            List<NamedCpu> hosts,
            boolean expandFeatures,
            boolean migratable,
            Predicate<CpuModel> candidates,
            LibvirtDriver driver) {
        return baseline(hosts, expandFeatures, migratable, candidates, driver, null, m -> FeatureSet.empty());
    }

    /**
     * @param within   the features the answer may use at all, or null for any (virCPUx86Baseline's features)
     * @param blockers each candidate model's blockers (x86DataToCPU's hvModel->blockers)
     */
    private Baseline baseline(
            List<NamedCpu> hosts,
            boolean expandFeatures,
            boolean migratable,
            Predicate<CpuModel> candidates,
            LibvirtDriver driver,
            @Nullable FeatureSet within,
            Function<CpuModel, FeatureSet> blockers) {
        if (hosts == null || hosts.isEmpty()) {
            throw new BaselineRefusedException(
                    Reason.NO_HOSTS, "no hosts given: a baseline needs at least one host CPU", List.of());
        }
        checkArchitectures(hosts);

        NamedCpu first = hosts.get(0);
        FeatureSet.Builder common = features(first, modelOf(first)).toBuilder();

        // Vendor rules as libvirt applies them: the first host counts only with an explicit vendor; later hosts
        // fall back to their model's vendor; the vendor is printed only if every host names one.
        String firstVendor = first.cpu().vendor();
        boolean outputVendor = firstVendor != null;
        String vendor = null;
        NamedCpu vendorHost = null;
        if (firstVendor != null) {
            vendor = knownVendor(first, firstVendor);
            vendorHost = first;
        }
        String preferred = first.cpu().model();
        boolean matchingNames = true;

        for (int i = 1; i < hosts.size(); i++) {
            NamedCpu host = hosts.get(i);
            CpuDescription cpu = host.cpu();
            if (matchingNames && !Objects.equals(preferred, cpu.model())) {
                preferred = null;
                matchingNames = false;
            }
            CpuModel model = modelOf(host);
            FeatureSet hostFeatures = features(host, model);
            if (cpu.vendor() != null && model.vendor() != null && !cpu.vendor().equals(model.vendor())) {
                throw new BaselineRefusedException(
                        Reason.VENDOR_MISMATCH,
                        "host " + host.host() + " reports CPU vendor " + cpu.vendor() + " but names CPU model "
                                + model.name() + ", which is a " + model.vendor() + " model",
                        List.of(host.host()));
            }
            String hostVendor = cpu.vendor();
            if (hostVendor == null) {
                outputVendor = false;
                hostVendor = model.vendor();
            }
            if (hostVendor != null) {
                if (vendor == null) {
                    vendor = knownVendor(host, hostVendor);
                    vendorHost = host;
                } else if (!vendor.equals(hostVendor)) {
                    throw new BaselineRefusedException(
                            Reason.VENDOR_MISMATCH,
                            "hosts " + Objects.requireNonNull(vendorHost).host() + " (" + vendor + ") and "
                                    + host.host() + " (" + hostVendor
                                    + ") have different CPU vendors; no guest CPU can run on both, so put them in "
                                    + "different aggregates",
                            distinct(vendorHost.host(), host.host()));
                }
            }
            common.retainAll(hostFeatures);
        }

        if (within != null) {
            common.retainAll(within);
        }
        FeatureSet data = common.build();
        if (data.isEmpty()) {
            throw new BaselineRefusedException(
                    Reason.INCOMPATIBLE,
                    "the CPUs of hosts " + String.join(", ", names(hosts)) + " have no feature in common",
                    names(hosts));
        }

        Set<String> named = new LinkedHashSet<>();
        hosts.forEach(h -> named.add(h.cpu().model()));
        Decoded decoded = decode(data, vendor, preferred, named, hosts, candidates, blockers);
        FeatureSet required = decoded.required;
        FeatureSet disabled = decoded.disabled;
        if (migratable) {
            // Libvirt drops non-migratable features only from the listed ones, not from the model itself.
            required = required.minus(nonMigratable);
            disabled = disabled.minus(nonMigratable);
        }
        // After the model is chosen and before the expansion, as qemuConnectBaselineCPU does: a dropped feature
        // that the model itself has comes back with the model.
        FeatureSet dropped = Objects.requireNonNull(droppedBy.get(driver)); // the constructor fills it for every driver
        required = required.minus(dropped);
        disabled = disabled.minus(dropped);
        FeatureSet guestFeatures = decoded.model.features().union(required).minus(disabled);
        List<CpuFeature> listed = expandFeatures
                ? expandedList(decoded.model, required, disabled)
                : shortList(
                        decoded.model,
                        decoded.model.features().union(blockers.apply(decoded.model)),
                        required,
                        disabled);
        return new Baseline(
                decoded.model.name(),
                outputVendor ? vendor : null,
                decoded.model.name().equals(preferred),
                listed,
                guestFeatures,
                catalog.info());
    }

    // ---- decode: libvirt's x86Decode for a guest CPU without signature ----------------------------------------

    private record Decoded(CpuModel model, FeatureSet required, FeatureSet disabled) {
        /*
         * Libvirt's virCPUx86CompareCandidateFeatureList for guest CPUs (src/cpu/cpu_x86.c): a disabled feature
         * costs more than an extra one (2, 3, 4... for the first, second, third...), because a guest missing a
         * model's feature surprises software that trusts the model name. Its loop runs over the candidate's
         * feature list (the required features, then the disabled ones) while the index is below a count of
         * enabled features that it lowers at each disabled feature it meets, so it stops half-way through the
         * disabled ones: of d disabled features it charges only the first ceil(d/2), and counts the others as
         * extra features. The score here is that count, bug for bug, since it decides which model libvirt
         * answers (an older model with two features disabled scores 3, not 5).
         */
        private int charged() {
            return (disabled.size() + 1) / 2;
        }

        int disabledPenalty() {
            int k = charged();
            return 2 * k + k * (k - 1) / 2;
        }

        int score() {
            return required.size() + disabled.size() - charged() + disabledPenalty();
        }

        /**
         * @param named whether the hosts name this candidate, when they name more than one model: libvirt then
         *              also takes a named model that has a lower disabled-feature penalty than the current one,
         *              even at a higher score
         */
        boolean betterThan(Decoded current, boolean named) {
            return score() < current.score()
                    || (score() == current.score() && disabledPenalty() < current.disabledPenalty())
                    || (named && disabledPenalty() < current.disabledPenalty());
        }
    }

    private Decoded decode(
            FeatureSet data,
            @Nullable String vendor,
            @Nullable String preferred,
            Set<String> named,
            List<NamedCpu> hosts,
            Predicate<CpuModel> candidates,
            Function<CpuModel, FeatureSet> blockers) {
        Decoded best = null;
        for (CpuModel candidate : decodeOrder) {
            if (!candidates.test(candidate)) {
                continue;
            }
            if (vendor != null && candidate.vendor() != null && !vendor.equals(candidate.vendor())) {
                continue;
            }
            if (!candidate.decodeGuest()) {
                continue;
            }
            // A feature the map marks removed from the model is listed as disabled when the CPU lacks it, so
            // that a consumer still counting it in the model does not give it to the guest.
            // A blocker is listed as disabled unless the CPU has it as an extra feature, even when the CPU has
            // it as one of the model's own (x86DataToCPU tests it against the extra features only).
            FeatureSet extra = data.minus(candidate.features());
            Decoded d = new Decoded(
                    candidate,
                    extra,
                    candidate
                            .features()
                            .union(candidate.removedFeatures())
                            .minus(data)
                            .union(blockers.apply(candidate).minus(extra)));
            if (candidate.name().equals(preferred)) {
                return d;
            }
            // Newest first; an older model wins only with a strictly better score, or, when the hosts name
            // several models, as one of them with fewer disabled features (libvirt 9.0's x86Baseline passes every
            // model the hosts name to x86Decode as preferred; x86DecodeUseCandidate stops at a preferred model
            // only when there is a single one).
            if (best == null || d.betterThan(best, named.size() > 1 && named.contains(candidate.name()))) {
                best = d;
            }
        }
        if (best == null) {
            throw new BaselineRefusedException(
                    Reason.NO_SUITABLE_MODEL,
                    "the catalog (libvirt " + catalog.info().libvirtVersion() + ") has no CPU model for the common "
                            + "features of hosts " + String.join(", ", names(hosts)),
                    names(hosts));
        }
        return best;
    }

    /**
     * A guest CPU's feature lines as libvirt prints them: the short form (required ones, then disabled ones, in
     * catalog order) or the expanded form (every feature of the model as well, sorted by name).
     */
    public List<CpuFeature> featureList(CpuModel model, FeatureSet required, FeatureSet disabled, boolean expanded) {
        return expanded
                ? expandedList(model, required, disabled)
                : shortList(model, model.features(), required, disabled);
    }

    /** @param modelData the model's features and its blockers: listed disabled before the removed features */
    private List<CpuFeature> shortList(CpuModel model, FeatureSet modelData, FeatureSet required, FeatureSet disabled) {
        List<CpuFeature> out = new ArrayList<>(required.size() + disabled.size());
        catalog.featureNames(required).forEach(n -> out.add(new CpuFeature(n, FeaturePolicy.REQUIRE)));
        // The model's own features first, in catalog order; a feature the map marks removed from the model comes
        // last, as libvirt's virCPUx86DisableRemovedFeatures appends it after x86DataToCPU has listed the others,
        // walking the model's removed features in the order its file lists them (not the catalog's: Icelake-Server
        // of libvirt 11.3 and 12.8 gives intel-pt, then mpx).
        FeatureSet own = disabled.intersection(modelData);
        catalog.featureNames(own).forEach(n -> out.add(new CpuFeature(n, FeaturePolicy.DISABLE)));
        List<String> removed = catalog.featureNames(disabled.minus(own));
        model.removedOrder().stream()
                .filter(removed::contains)
                .forEach(n -> out.add(new CpuFeature(n, FeaturePolicy.DISABLE)));
        removed.stream()
                .filter(n -> !model.removedOrder().contains(n))
                .forEach(n -> out.add(new CpuFeature(n, FeaturePolicy.DISABLE)));
        return out;
    }

    /** Libvirt 9.0 prints the expanded form sorted by feature name (byte order), disabled ones in place. */
    private List<CpuFeature> expandedList(CpuModel model, FeatureSet required, FeatureSet disabled) {
        FeatureSet all = model.features().union(required).union(disabled);
        List<CpuFeature> out = new ArrayList<>(all.size());
        all.indexes()
                .forEach(i -> out.add(new CpuFeature(
                        catalog.features().get(i).name(),
                        disabled.contains(i) ? FeaturePolicy.DISABLE : FeaturePolicy.REQUIRE)));
        out.sort(Comparator.comparing(CpuFeature::name));
        return out;
    }

    // ---- reading one host ----------------------------------------------------------------------------------

    /** Refuses hosts of different or non-x86 architectures, as libvirt does, before anything else is read. */
    public void checkArchitectures(List<NamedCpu> hosts) {
        Set<String> arches = new TreeSet<>();
        List<String> offending = new ArrayList<>();
        for (NamedCpu host : hosts) {
            String arch = host.cpu().arch();
            if (arch == null || arch.isBlank()) {
                throw new BaselineRefusedException(
                        Reason.UNSUPPORTED_ARCH,
                        "host " + host.host() + " does not say which CPU architecture it has",
                        List.of(host.host()));
            }
            arches.add(arch);
            if (!catalog.supportsArch(arch)) {
                offending.add(host.host());
            }
        }
        if (offending.isEmpty()) {
            return;
        }
        if (arches.size() > 1) {
            throw new BaselineRefusedException(
                    Reason.MIXED_ARCH,
                    "the hosts have different CPU architectures (" + String.join(", ", arches) + "); hosts "
                            + String.join(", ", offending) + " are not x86, and a guest CPU cannot be shared across "
                            + "architectures",
                    offending);
        }
        throw new BaselineRefusedException(
                Reason.UNSUPPORTED_ARCH,
                "hosts " + String.join(", ", offending) + " have architecture "
                        + arches.iterator().next() + "; the catalog only covers x86 (x86_64, i686)",
                offending);
    }

    private CpuModel modelOf(NamedCpu host) {
        String name = host.cpu().model();
        if (name == null || name.isBlank()) {
            throw new BaselineRefusedException(
                    Reason.MISSING_MODEL, "host " + host.host() + " does not name a CPU model", List.of(host.host()));
        }
        return catalog.model(name)
                .orElseThrow(() -> new BaselineRefusedException(
                        Reason.UNKNOWN_MODEL,
                        "host " + host.host() + " names CPU model '" + name + "' that the catalog (libvirt "
                                + catalog.info().libvirtVersion() + ") does not know",
                        List.of(host.host())));
    }

    private FeatureSet features(NamedCpu host, CpuModel model) {
        // libvirt refuses a host feature its map does not define, and so does a baseline
        return catalog.expand(
                model.features(), host.cpu().requiredFeatures(), host.cpu().disabledFeatures(), name -> {
                    throw new BaselineRefusedException(
                            Reason.UNKNOWN_FEATURE,
                            "host " + host.host() + " reports feature '" + name + "' that the catalog (libvirt "
                                    + catalog.info().libvirtVersion() + ") does not know",
                            List.of(host.host()));
                });
    }

    private String knownVendor(NamedCpu host, String vendor) {
        if (!catalog.vendors().contains(vendor)) {
            throw new BaselineRefusedException(
                    Reason.UNKNOWN_VENDOR,
                    "host " + host.host() + " reports CPU vendor '" + vendor + "' that the catalog (libvirt "
                            + catalog.info().libvirtVersion() + ") does not know",
                    List.of(host.host()));
        }
        return vendor;
    }

    private static List<String> names(List<NamedCpu> hosts) {
        Set<String> names = new LinkedHashSet<>();
        hosts.forEach(h -> names.add(h.host()));
        return List.copyOf(names);
    }

    private static List<String> distinct(String a, String b) {
        return a.equals(b) ? List.of(a) : List.of(a, b);
    }
}
