package io.fleetcpu.aggregates.internal;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.GuestModels;
import io.fleetcpu.hosts.HostCpu;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.policy.CpuEngine;
import io.fleetcpu.policy.CpuPolicy;
import io.fleetcpu.policy.PolicyConflictException;
import io.fleetcpu.policy.PolicyHost;
import io.fleetcpu.policy.PolicyRecommendation;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.render.KubevirtNodeLabels;
import io.fleetcpu.system.ComputeGate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The engine of each catalog, and the one place where stored kinds of CPU become the engine's inputs
 * ({@link PolicyHost}, KubeVirt's nodes). The engine's results are kept under the kinds of CPU and the policy they
 * were computed for, so that hosts joining with a kind the aggregate already has, or another aggregate with the same
 * kinds, compute nothing; computations that miss take turns ({@link ComputeGate}).
 */
@Component
public class Engines {

    /** A recommendation and the catalog it was computed with. */
    public record Computed(PolicyRecommendation recommendation, CpuCatalog catalog) {}

    /** Kinds of CPU by id (sorted), a policy, and the form asked for. */
    private record EngineKey(List<String> kinds, CpuPolicy policy, boolean expand) {}

    /** The engine's results are a few kilobytes each. */
    private final AnswerCache<EngineKey, PolicyRecommendation> results = new AnswerCache<>(4096);

    private final Catalogs catalogs;
    private final ComputeGate gate;

    Engines(Catalogs catalogs, ComputeGate gate) {
        this.catalogs = catalogs;
        this.gate = gate;
    }

    public Catalogs catalogs() {
        return catalogs;
    }

    /** The catalog's engine ({@link Catalogs#engine}). */
    public CpuEngine engine(CpuCatalog catalog) {
        return catalogs.engine(catalog);
    }

    /**
     * The engine for hosts of these kinds. Feature positions are per catalog, so every computation over several kinds
     * takes the engine of the catalog their members share ({@link Catalogs#common}) and reads each kind with it
     * ({@link CpuKindFacts#readWith}).
     */
    public CpuEngine engine(Collection<CpuKindFacts> kinds) {
        return catalogs.engineFor(kinds.stream().map(CpuKindFacts::catalog).toList());
    }

    /**
     * The engine's recommendation for hosts of these kinds, computed once per kinds, policy and form (a kind's id
     * names its catalog, so the kinds also say which catalog the answer is computed with).
     */
    public Computed recommend(Map<String, CpuKindFacts> kinds, CpuPolicy policy, boolean expand) {
        TreeMap<String, CpuKindFacts> sorted = new TreeMap<>(kinds);
        CpuEngine engine = engine(sorted.values());
        List<String> unknown = Catalogs.unknownIn(engine.catalog(), policy);
        if (!unknown.isEmpty()) {
            List<String> older = sorted.entrySet().stream()
                    .filter(e -> !Catalogs.unknownIn(catalogs.named(e.getValue().catalog()), policy)
                            .isEmpty())
                    .map(Map.Entry::getKey)
                    .toList();
            throw new PolicyConflictException(
                    "the policy names " + String.join(", ", unknown) + ", which "
                            + engine.catalog().name() + " does not know: the libvirt of " + String.join(", ", older)
                            + " would not accept it",
                    older);
        }
        return new Computed(
                results.get(
                        new EngineKey(List.copyOf(sorted.keySet()), policy, expand),
                        () -> gate.run(() -> engine.recommender()
                                .recommend(
                                        sorted.entrySet().stream()
                                                .map(e -> policyHost(HostFacts.ofKind(
                                                        e.getKey(), e.getValue().readWith(engine.catalog()))))
                                                .toList(),
                                        policy,
                                        expand)
                                .withWarnings(readingWarnings(sorted, engine.catalog())))),
                engine.catalog());
    }

    /**
     * What reading the kinds with the answer's catalog left out or read otherwise, naming the kinds (as hosts, which
     * the caller names for people): features the catalog does not define, which no guest can be given, and models it
     * does not define, read as the newest of its models the CPU has every feature of.
     */
    static List<String> readingWarnings(Map<String, CpuKindFacts> kinds, CpuCatalog catalog) {
        Map<String, Set<String>> kindsByFeature = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        kinds.forEach((kind, facts) -> {
            CpuKindFacts read = facts.readWith(catalog);
            Stream.of(read.cpu(), read.hypervisorCpu())
                    .filter(Objects::nonNull)
                    .flatMap(cpu -> cpu.unknownFeatures().stream())
                    .forEach(f -> kindsByFeature
                            .computeIfAbsent(f, k -> new TreeSet<>())
                            .add(kind));
            HostCpu before = HostFacts.ofKind(kind, facts).effectiveCpu();
            HostCpu after = HostFacts.ofKind(kind, read).effectiveCpu();
            if (before.model() != null && !before.model().equals(after.model()) && after.modelKnown()) {
                warnings.add("host " + kind + " names CPU model '" + before.model() + "', which "
                        + catalog.name() + " does not define: read as " + after.model()
                        + ", the newest of its models the CPU has every feature of");
            }
        });
        if (!kindsByFeature.isEmpty()) {
            warnings.add(
                    0,
                    "left out: features " + catalog.name() + " does not define, which no guest here can be "
                            + "given (its libvirt cannot name them): "
                            + kindsByFeature.entrySet().stream()
                                    .map(e -> e.getKey() + " (hosts " + String.join(", ", e.getValue()) + ")")
                                    .collect(Collectors.joining(", ")));
        }
        return warnings;
    }

    /**
     * The features guests can get on the host, the host read with the engine's catalog: what a guest CPU computed
     * with that catalog is judged against.
     */
    public static List<String> guestFeaturesOn(CpuEngine engine, HostFacts host) {
        HostFacts read = HostFacts.ofKind(host.hostname(), host.kind().readWith(engine.catalog()));
        try {
            FeatureSet visible = engine.calculator()
                    .expand(read.guestView(engine.visibility()).cpu());
            return engine.catalog().featureNames(visible);
        } catch (BaselineRefusedException e) {
            // A host the catalog cannot read (unknown model or feature) is judged on the features it does know.
            return List.copyOf(read.effectiveCpu().features());
        }
    }

    /** What KubeVirt's node-labeller reads of each kind's hosts, by kind id. */
    public Map<String, KubevirtNodeLabels.Node> kubevirtNodes(List<KindMembers> kinds) {
        Map<String, KubevirtNodeLabels.Node> nodes = new HashMap<>();
        for (KindMembers kind : kinds) {
            // a node is labelled by its own libvirt: its labels are read with its own catalog, not the aggregate's
            CpuKindFacts facts = kind.facts();
            CpuCatalog own = catalogs.named(facts.catalog());
            GuestModels models = facts.guestModels();
            HostCpu hypervisor = facts.hypervisorCpu();
            nodes.put(
                    kind.kindId(),
                    new KubevirtNodeLabels.Node(
                            models == null ? null : models.hostModel(),
                            models == null ? null : (hypervisor != null ? hypervisor : facts.cpu()).vendor(),
                            models == null ? null : models.usableModels(),
                            hypervisor == null
                                    ? null
                                    : KubevirtNodeLabels.labelledFeatures(own, hypervisor.description()),
                            models == null ? null : models.unknownModels(),
                            models == null ? null : models.unusableModels()));
        }
        return nodes;
    }

    /** The kinds' facts by kind id, sorted. */
    public static Map<String, CpuKindFacts> facts(List<KindMembers> kinds) {
        Map<String, CpuKindFacts> facts = new TreeMap<>();
        kinds.forEach(k -> facts.put(k.kindId(), k.facts()));
        return facts;
    }

    /** A host (or a kind, named as a host) as the engine takes it. */
    public static PolicyHost policyHost(HostFacts host) {
        HostCpu cpu = host.cpu();
        HostCpu hypervisor = host.hypervisorCpu();
        GuestModels models = host.guestModels();
        return new PolicyHost(
                host.hostname(),
                cpu.description(),
                hypervisor == null ? null : hypervisor.description(),
                cpu.microcode(),
                cpu.signature(),
                host.kernel().nested(),
                models == null ? null : models.usableModels(),
                models == null || models.supportedModes() == null
                        ? null
                        : models.supportedModes().stream()
                                .map(Engines::mode)
                                .filter(Objects::nonNull)
                                .collect(Collectors.toSet()),
                models == null ? List.of() : models.deprecatedModels());
    }

    private static GuestCpu.@Nullable Mode mode(String libvirtName) {
        for (GuestCpu.Mode mode : GuestCpu.Mode.values()) {
            if (mode.libvirtName().equals(libvirtName)) {
                return mode;
            }
        }
        return null;
    }
}
