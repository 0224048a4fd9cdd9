package io.fleetcpu.policy.grouping;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.baseline.Baseline;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.NamedCpu;
import io.fleetcpu.policy.guest.MicroarchitectureLevel;
import io.fleetcpu.policy.migration.MachineTypeFamily;
import io.fleetcpu.policy.migration.MigrationFacts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Partitions hosts into migration domains: sets of hosts whose shared guest CPU (libvirt's baseline of exactly those
 * hosts) runs on every one of them, so guests can live-migrate anywhere inside a domain.
 *
 * <p>The work is done on kinds, not hosts: hosts whose CPUs expand to the same features (same architecture and
 * vendor) are one kind, read once. A fleet of 100,000 hosts of 60 kinds costs one hash lookup per host and then
 * work on 60 kinds. Domains are unions of whole kinds, so identical hosts always share a domain. Where the hosts'
 * machine types are given, no domain holds hosts that share no versioned machine type (a guest started with one
 * could not be started on the others), and the grouping's notes say which domains that keeps apart. See
 * {@code docs/groupings.md}.
 */
public final class MigrationDomains {

    private final BaselineCalculator calculator;
    private final CpuCatalog catalog;

    public MigrationDomains(BaselineCalculator calculator) {
        this.calculator = Objects.requireNonNull(calculator, "calculator");
        this.catalog = calculator.catalog();
    }

    public MigrationDomains(CpuCatalog catalog) {
        this(new BaselineCalculator(catalog));
    }

    /**
     * @param minimumModel a catalog model every domain's guest CPU should keep all features of, or null for none
     * @throws IllegalArgumentException for a minimum model the catalog does not know
     */
    public Grouping group(List<NamedCpu> hosts, Strategy strategy, @Nullable String minimumModel) {
        return group(hosts, null, strategy, minimumModel);
    }

    /**
     * Groups entries that each stand for several hosts with the same CPU (a kind of CPU, as the service stores
     * them): the domains list the entries, and every count (hosts per kind, features given up) weighs each entry by
     * its hosts.
     *
     * @param hostsPerEntry how many hosts each entry stands for; null for one each
     */
    public Grouping group(
            List<NamedCpu> hosts, int @Nullable [] hostsPerEntry, Strategy strategy, @Nullable String minimumModel) {
        return group(hosts, hostsPerEntry, strategy, minimumModel, null);
    }

    /**
     * As {@link #group(List, int[], Strategy, String)}, with an x86-64 microarchitecture level as a floor too: no
     * domain's guest CPU drops below it, and hosts below it on their own are reported as below the minimum.
     *
     * @param minimumLevel the level, or null for none
     */
    public Grouping group(
            List<NamedCpu> hosts,
            int @Nullable [] hostsPerEntry,
            Strategy strategy,
            @Nullable String minimumModel,
            @Nullable MicroarchitectureLevel minimumLevel) {
        return group(hosts, hostsPerEntry, strategy, minimumModel, minimumLevel, null);
    }

    /**
     * As {@link #group(List, int[], Strategy, String, MicroarchitectureLevel)}, with each entry's migration facts: no
     * domain puts together entries that share no versioned machine type ({@link MachineTypeFamily}). Entries whose
     * machine types are unknown go with any.
     *
     * @param platforms one per entry, or null when none are known
     */
    public Grouping group(
            List<NamedCpu> hosts,
            int @Nullable [] hostsPerEntry,
            Strategy strategy,
            @Nullable String minimumModel,
            @Nullable MicroarchitectureLevel minimumLevel,
            @Nullable List<MigrationFacts> platforms) {
        Objects.requireNonNull(hosts, "hosts");
        if (hostsPerEntry != null && hostsPerEntry.length != hosts.size()) {
            throw new IllegalArgumentException(
                    "one host count per entry: " + hostsPerEntry.length + " counts for " + hosts.size() + " entries");
        }
        if (platforms != null && platforms.size() != hosts.size()) {
            throw new IllegalArgumentException(
                    "one set of migration facts per entry: " + platforms.size() + " for " + hosts.size() + " entries");
        }
        Objects.requireNonNull(strategy, "strategy");
        FeatureSet floor = minimumModel == null
                ? null
                : catalog.model(minimumModel)
                        .map(CpuModel::features)
                        .orElseThrow(() -> new IllegalArgumentException("unknown minimum CPU model '" + minimumModel
                                + "': the catalog (libvirt " + catalog.info().libvirtVersion() + ") has "
                                + catalog.models().stream().map(CpuModel::name).toList()));
        if (minimumLevel != null) {
            FeatureSet level = minimumLevel.featureSet(catalog);
            floor = floor == null ? level : floor.union(level);
        }

        // 1. Hosts into kinds: one hash lookup per host, libvirt reads each distinct CPU description once.
        int n = hosts.size();
        int[] kindOfHost = new int[n];
        List<UngroupedHost> ungrouped = new ArrayList<>();
        Map<VariantKey, Variant> variants = new HashMap<>();
        Map<KindKey, Kind> kindsByKey = new LinkedHashMap<>();
        List<Kind> kinds = new ArrayList<>();
        Set<String> seen = new HashSet<>(Math.max(16, n * 2));
        for (int i = 0; i < n; i++) {
            NamedCpu host = Objects.requireNonNull(hosts.get(i), "host");
            kindOfHost[i] = -1;
            if (!seen.add(host.host())) {
                ungrouped.add(new UngroupedHost(
                        host.host(),
                        UngroupedHost.DUPLICATE_HOST,
                        "host " + host.host() + " is listed more than once; it is grouped where it first appears"));
                continue;
            }
            Set<String> machineTypes = platforms == null ? null : machineTypes(platforms.get(i));
            VariantKey variantKey = new VariantKey(host.cpu(), machineTypes);
            Variant variant = variants.get(variantKey);
            if (variant == null) {
                variant = read(host, machineTypes, i, floor, kindsByKey, kinds);
                variants.put(variantKey, variant);
            }
            if (variant.kind == null) {
                ungrouped.add(variant.firstHost == host ? variant.refusal : refusal(host));
                continue;
            }
            kindOfHost[i] = variant.kind.id;
            variant.kind.hosts += hostsPerEntry == null ? 1 : hostsPerEntry[i];
        }

        // 2. Kinds into clusters, each vendor (and architecture) apart.
        Map<String, List<Kind>> byClass = new LinkedHashMap<>();
        for (Kind kind : kinds) {
            byClass.computeIfAbsent(kind.classKey(), c -> new ArrayList<>()).add(kind);
        }
        List<Cluster> clusters = new ArrayList<>();
        for (List<Kind> sameClass : byClass.values()) {
            if (strategy == Strategy.MAX_FEATURES) {
                sameClass.forEach(
                        k -> clusters.add(new Cluster(List.of(k), baselineOf(List.of(k)), k.key.machineTypes)));
            } else {
                clusters.addAll(mergeGreedily(sameClass));
            }
        }
        // Domains meeting the minimum first, then the largest, then the richest guest CPU.
        clusters.sort(Comparator.comparing((Cluster c) -> !c.kinds.get(0).meetsFloor)
                .thenComparingLong(
                        c -> -c.kinds.stream().mapToLong(k -> k.hosts).sum())
                .thenComparing(c -> -c.baseline.featureSet().size())
                .thenComparingInt(c -> c.kinds.get(0).firstHost));

        // 3. Hosts into domains, in input order.
        int[] clusterOfKind = new int[kinds.size()];
        List<List<String>> domainHosts = new ArrayList<>(clusters.size());
        for (int c = 0; c < clusters.size(); c++) {
            for (Kind kind : clusters.get(c).kinds) {
                clusterOfKind[kind.id] = c;
            }
            domainHosts.add(new ArrayList<>());
        }
        List<String> belowMinimum = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = kindOfHost[i];
            if (k < 0) {
                continue;
            }
            String name = hosts.get(i).host();
            domainHosts.get(clusterOfKind[k]).add(name);
            if (!kinds.get(k).meetsFloor) {
                belowMinimum.add(name);
            }
        }

        List<MigrationDomain> domains = new ArrayList<>(clusters.size());
        int hostsGivingUp = 0;
        long givenUp = 0;
        long kept = 0;
        int mostByOne = 0;
        int grouped = 0;
        for (int c = 0; c < clusters.size(); c++) {
            Cluster cluster = clusters.get(c);
            FeatureSet guest = cluster.baseline.featureSet();
            FeatureSet.Builder union = FeatureSet.builder();
            List<KindCost> costs = new ArrayList<>();
            for (Kind kind : cluster.kinds) {
                union.addAll(kind.key.features);
                FeatureSet lost = kind.key.features.minus(guest);
                // a kind's hosts have a baseline of their own, which needs a named model
                costs.add(new KindCost(
                        Objects.requireNonNull(kind.variants.get(0).cpu().model()),
                        kind.variants.get(0).host(),
                        kind.hosts,
                        catalog.featureNames(lost)));
                int lostCount = lost.size();
                if (lostCount > 0) {
                    hostsGivingUp += kind.hosts;
                }
                givenUp += (long) kind.hosts * lostCount;
                kept += (long) kind.hosts * guest.size();
                mostByOne = Math.max(mostByOne, lostCount);
                grouped += kind.hosts;
            }
            costs.sort(Comparator.comparingInt(KindCost::hosts).reversed());
            Baseline b = cluster.baseline;
            domains.add(new MigrationDomain(
                    domainHosts.get(c),
                    b.model(),
                    b.vendor(),
                    b.featureNames(FeaturePolicy.REQUIRE),
                    b.featureNames(FeaturePolicy.DISABLE),
                    catalog.featureNames(union.build().minus(guest)),
                    guest.size(),
                    floor == null || guest.containsAll(floor),
                    costs,
                    b));
        }
        GroupingCost cost =
                new GroupingCost(domains.size(), kinds.size(), grouped, hostsGivingUp, givenUp, mostByOne, kept);
        return new Grouping(
                strategy,
                minimumModel,
                minimumLevel == null ? null : minimumLevel.operatorName(),
                domains,
                cost,
                belowMinimum,
                ungrouped,
                catalog.info(),
                strategy == Strategy.MIN_DOMAINS ? apartByMachineType(clusters) : List.of());
    }

    // ---- machine types -------------------------------------------------------------------------------------

    /** The versioned machine types of a host, or null when unknown. */
    private static @Nullable Set<String> machineTypes(MigrationFacts facts) {
        List<String> offered = facts.machineTypes();
        return offered == null ? null : MachineTypeFamily.versioned(offered);
    }

    /** Whether hosts offering these can run guests of one machine type; unknown goes with anything. */
    private static boolean shareMachineType(@Nullable Set<String> a, @Nullable Set<String> b) {
        return a == null || b == null || !Collections.disjoint(a, b);
    }

    private static @Nullable Set<String> commonMachineTypes(@Nullable Set<String> a, @Nullable Set<String> b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        Set<String> both = new TreeSet<>(a);
        both.retainAll(b);
        return both;
    }

    /** Why domains of one class (architecture, vendor, floor) are apart: they share no machine type. */
    private static List<String> apartByMachineType(List<Cluster> clusters) {
        List<String> notes = new ArrayList<>();
        for (int a = 0; a < clusters.size(); a++) {
            for (int b = a + 1; b < clusters.size(); b++) {
                Cluster one = clusters.get(a);
                Cluster other = clusters.get(b);
                if (one.kinds.get(0).classKey().equals(other.kinds.get(0).classKey())
                        && !shareMachineType(one.machineTypes, other.machineTypes)) {
                    notes.add("domains " + (a + 1) + " and " + (b + 1) + " share no versioned machine type, so "
                            + "no guest can be started to move between them: the types the hosts of domain " + (a + 1)
                            + " (" + one.entryNames() + ") share run " + ranges(one.machineTypes) + ", those of domain "
                            + (b + 1) + " (" + other.entryNames() + ") " + ranges(other.machineTypes));
                }
            }
        }
        return notes;
    }

    /**
     * Per family, the oldest and newest of these: {@code from pc-q35-2.4 to pc-q35-7.2 and from pc-i440fx-1.4 to
     * pc-i440fx-7.2}.
     */
    private static String ranges(@Nullable Set<String> machineTypes) {
        List<String> ranges = new ArrayList<>();
        for (MachineTypeFamily family : MachineTypeFamily.values()) {
            List<String> newestFirst = Objects.requireNonNull(machineTypes).stream()
                    .filter(family::contains)
                    .sorted(family.newestFirst())
                    .toList();
            if (newestFirst.size() == 1) {
                ranges.add(newestFirst.get(0));
            } else if (!newestFirst.isEmpty()) {
                ranges.add("from " + newestFirst.get(newestFirst.size() - 1) + " to " + newestFirst.get(0));
            }
        }
        return ranges.isEmpty() ? "no versioned q35 or i440fx machine type" : String.join(" and ", ranges);
    }

    // ---- kinds ---------------------------------------------------------------------------------------------

    /**
     * What makes two hosts interchangeable for migration: same architecture, vendor and expanded features, and the same
     * versioned machine types (null when unknown).
     */
    private record KindKey(
            String arch,
            @Nullable String vendor,
            FeatureSet features,
            @Nullable Set<String> machineTypes) {}

    /** A distinct host as libvirt reads it (its CPU description) with the machine types it offers. */
    private record VariantKey(CpuDescription cpu, @Nullable Set<String> machineTypes) {}

    private static final class Kind {
        final int id;
        final KindKey key;
        final int firstHost;
        final boolean meetsFloor;
        /** One host per distinct CPU description (libvirt's answer depends on the model names, not only features). */
        final List<NamedCpu> variants = new ArrayList<>(1);

        @Nullable
        Baseline singleBaseline;

        int hosts;

        Kind(int id, KindKey key, int firstHost, boolean meetsFloor) {
            this.id = id;
            this.key = key;
            this.firstHost = firstHost;
            this.meetsFloor = meetsFloor;
        }

        /** Kinds of one class may share a domain: the same architecture, vendor and side of the floor. */
        String classKey() {
            return key.arch + "\u0000" + key.vendor + "\u0000" + meetsFloor;
        }
    }

    /** A distinct CPU description: the kind it belongs to, or why libvirt refuses it. */
    private record Variant(
            NamedCpu firstHost,
            @Nullable Kind kind,
            @Nullable UngroupedHost refusal) {}

    private Variant read(
            NamedCpu host,
            @Nullable Set<String> machineTypes,
            int position,
            @Nullable FeatureSet floor,
            Map<KindKey, Kind> kindsByKey,
            List<Kind> kinds) {
        Baseline single;
        try {
            single = calculator.baseline(List.of(host), false, false);
        } catch (BaselineRefusedException | IllegalArgumentException e) {
            return new Variant(host, null, refusal(host, e));
        }
        CpuDescription cpu = host.cpu();
        String vendor = cpu.vendor() != null
                ? cpu.vendor()
                // the baseline above refuses a host that names no model
                : catalog.model(Objects.requireNonNull(cpu.model()))
                        .map(CpuModel::vendor)
                        .orElse(null);
        KindKey key = new KindKey(cpu.arch(), vendor, single.featureSet(), machineTypes);
        Kind kind = kindsByKey.get(key);
        if (kind == null) {
            kind = new Kind(kinds.size(), key, position, floor == null || key.features.containsAll(floor));
            kind.singleBaseline = single;
            kindsByKey.put(key, kind);
            kinds.add(kind);
        } else {
            kind.singleBaseline = null; // several descriptions: the kind's own baseline must see all of them
        }
        kind.variants.add(host);
        return new Variant(host, kind, null);
    }

    private UngroupedHost refusal(NamedCpu host) {
        try {
            calculator.baseline(List.of(host), false, false);
        } catch (BaselineRefusedException | IllegalArgumentException e) {
            return refusal(host, e);
        }
        throw new IllegalStateException("libvirt refused a CPU description once and accepted it later");
    }

    private static UngroupedHost refusal(NamedCpu host, RuntimeException e) {
        String reason = e instanceof BaselineRefusedException r ? r.reason().name() : "INVALID_CPU";
        return new UngroupedHost(host.host(), reason, e.getMessage());
    }

    // ---- merging -------------------------------------------------------------------------------------------

    /**
     * @param machineTypes the versioned machine types every host of the cluster whose types are known offers; null
     *     when none is known
     */
    private record Cluster(
            List<Kind> kinds, Baseline baseline, @Nullable Set<String> machineTypes) {

        /** The entries (kinds of CPU, as the caller named them) the cluster's kinds were first read from. */
        String entryNames() {
            return kinds.stream().map(k -> k.variants.get(0).host()).collect(Collectors.joining(", "));
        }
    }

    private Baseline baselineOf(List<Kind> kinds) {
        if (kinds.size() == 1 && kinds.get(0).singleBaseline != null) {
            return kinds.get(0).singleBaseline;
        }
        List<NamedCpu> cpus = new ArrayList<>();
        kinds.forEach(k -> cpus.addAll(k.variants));
        return calculator.baseline(cpus, false, false);
    }

    /**
     * Agglomerative merging of kinds of one class (same architecture, vendor, and same side of the minimum model):
     * repeatedly merge the two clusters whose merge makes the fewest host-features disappear, as long as their hosts
     * share a versioned machine type and libvirt accepts the merged baseline. The minimum model needs no check here: an intersection of feature sets that all
     * contain it contains it too, which is also why this ends, short of refusals, with a single cluster.
     */
    private List<Cluster> mergeGreedily(List<Kind> kinds) {
        int k = kinds.size();
        List<List<Kind>> members = new ArrayList<>(k);
        FeatureSet[] common = new FeatureSet[k];
        int[] size = new int[k];
        long[] hostCount = new long[k];
        Baseline[] baselines = new Baseline[k];
        List<@Nullable Set<String>> machineTypes = new ArrayList<>(k);
        boolean[] alive = new boolean[k];
        for (int i = 0; i < k; i++) {
            Kind kind = kinds.get(i);
            members.add(new ArrayList<>(List.of(kind)));
            common[i] = kind.key.features;
            size[i] = common[i].size();
            hostCount[i] = kind.hosts;
            baselines[i] = baselineOf(List.of(kind));
            machineTypes.add(kind.key.machineTypes);
            alive[i] = true;
        }
        Set<Long> refused = new HashSet<>();
        while (true) {
            int bestI = -1;
            int bestJ = -1;
            long bestCost = Long.MAX_VALUE;
            int bestDistinct = Integer.MAX_VALUE;
            FeatureSet bestCommon = null;
            for (int i = 0; i < k; i++) {
                if (!alive[i]) {
                    continue;
                }
                for (int j = i + 1; j < k; j++) {
                    if (!alive[j]
                            || refused.contains((long) i * k + j)
                            || !shareMachineType(machineTypes.get(i), machineTypes.get(j))) {
                        continue;
                    }
                    FeatureSet both = common[i].intersection(common[j]);
                    int s = both.size();
                    long cost = hostCount[i] * (size[i] - s) + hostCount[j] * (size[j] - s);
                    int distinct = size[i] + size[j] - 2 * s;
                    if (cost < bestCost || (cost == bestCost && distinct < bestDistinct)) {
                        bestI = i;
                        bestJ = j;
                        bestCost = cost;
                        bestDistinct = distinct;
                        bestCommon = both;
                    }
                }
            }
            if (bestI < 0) {
                break;
            }
            List<Kind> merged = new ArrayList<>(members.get(bestI));
            merged.addAll(members.get(bestJ));
            Baseline b;
            try {
                b = baselineOf(merged);
            } catch (BaselineRefusedException e) {
                refused.add((long) bestI * k + bestJ);
                continue;
            }
            members.set(bestI, merged);
            FeatureSet both = Objects.requireNonNull(bestCommon); // found with bestI
            common[bestI] = both;
            size[bestI] = both.size();
            hostCount[bestI] += hostCount[bestJ];
            baselines[bestI] = b;
            machineTypes.set(bestI, commonMachineTypes(machineTypes.get(bestI), machineTypes.get(bestJ)));
            alive[bestJ] = false;
            // Refusals stay: more hosts never make libvirt accept what it refused for fewer.
        }
        List<Cluster> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            if (alive[i]) {
                out.add(new Cluster(List.copyOf(members.get(i)), baselines[i], machineTypes.get(i)));
            }
        }
        return out;
    }
}
