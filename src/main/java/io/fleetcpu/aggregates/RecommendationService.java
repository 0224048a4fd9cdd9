package io.fleetcpu.aggregates;

import io.fleetcpu.aggregates.internal.AggregateSnapshot;
import io.fleetcpu.aggregates.internal.AggregateVersion;
import io.fleetcpu.aggregates.internal.AnswerCache;
import io.fleetcpu.aggregates.internal.AnswerKey;
import io.fleetcpu.aggregates.internal.Engines;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.KindLabels;
import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.policy.CpuEngine;
import io.fleetcpu.policy.CpuPolicy;
import io.fleetcpu.policy.PolicyConflictException;
import io.fleetcpu.policy.PolicyHost;
import io.fleetcpu.policy.PolicyRecommendation;
import io.fleetcpu.policy.baseline.Baseline;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.LibvirtDriver;
import io.fleetcpu.policy.baseline.NamedCpu;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.GuestFeatures;
import io.fleetcpu.policy.migration.MigrationContract;
import io.fleetcpu.policy.render.KubevirtNodeLabels;
import io.fleetcpu.policy.render.NovaCpuModels;
import io.fleetcpu.policy.render.Rendering;
import io.fleetcpu.system.ComputeGate;
import io.fleetcpu.system.ConflictException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Computes an aggregate's CPU from its members' kinds of CPU: under its policy, or libvirt's plain baseline.
 *
 * <p>Two caches make a large aggregate cost what a small one costs. Answers are kept under the aggregate's versions
 * (kept in PostgreSQL, so every instance agrees on them) and the question asked ({@link AnswerKey}), and an ETag
 * derives from the same key: a request whose aggregate did not change computes nothing, and a 304 not even the key's
 * answer. The engine's results are kept by {@link Engines}, so that hosts joining with a kind the aggregate already
 * has, or another aggregate with the same kinds, compute nothing either. Nothing is computed while a database
 * connection is held, and computations that miss both caches take turns ({@link ComputeGate}). The answer's
 * renderings are {@link AnswerRenderings}'; what-if is {@link WhatIfService}'s, admission and drift
 * {@link GuestCpuService}'s.
 */
@Service
public class RecommendationService {

    /**
     * The answer, the guest CPU it stands for, a strong validator for it, and its JSON, written once: a large
     * aggregate's answer is served as often as asked without being written again.
     */
    public record Answer(
            RecommendedCpuView view,
            GuestCpu cpu,
            NovaCpuModels nova,
            String etag,
            byte[] json,
            String kubevirtLabels,
            CpuCatalog catalog)
            implements ValidatedAnswer {}

    /** libvirt's baseline, a strong validator for it, and its JSON, written once. */
    public record BaselineAnswer(BaselineView view, String etag, byte[] json) implements ValidatedAnswer {}

    /** Kinds an answer names in one list before it counts the rest. */
    private static final int NAMED = 5;

    /** Answers are up to a few hundred kilobytes each. */
    private final AnswerCache<AnswerKey, Answer> answers = new AnswerCache<>(256);

    private final AnswerCache<AnswerKey, BaselineAnswer> baselines = new AnswerCache<>(256);

    private final AggregateService aggregates;
    private final Engines engines;
    private final Catalogs catalogs;
    private final ComputeGate gate;
    private final JsonMapper json;

    RecommendationService(AggregateService aggregates, Engines engines, ComputeGate gate, JsonMapper json) {
        this.aggregates = aggregates;
        this.engines = engines;
        this.catalogs = engines.catalogs();
        this.gate = gate;
        this.json = json;
    }

    // ---- recommended CPU -----------------------------------------------------------------------------------------

    /** @param expand list every feature of a named model, as libvirt's EXPAND_FEATURES form does */
    public Answer recommendedCpu(String aggregateId, boolean expand) {
        return recommendedCpu(aggregateId, expand, etag -> false).orElseThrow();
    }

    /**
     * The answer, unless the client has it already: its ETag derives from the aggregate's versions (one small
     * statement), so a client that has it gets nothing computed.
     *
     * @param clientHas whether the client has the answer with this ETag (If-None-Match)
     */
    public Optional<Answer> recommendedCpu(String aggregateId, boolean expand, Predicate<String> clientHas) {
        String question = recommendedQuestion(expand);
        return unlessClientHas(
                aggregateId, question, clientHas, answers, snapshot -> recommendedCpu(snapshot, expand, question));
    }

    /**
     * The recommended CPU (the plain form) for the aggregate as of this version, as the metrics read it: the answer
     * kept for the version, else computed and kept; not counted as a hit or a miss of the answers' cache.
     */
    Answer recommendedCpuForMetrics(AggregateVersion version) {
        String question = recommendedQuestion(false);
        return kept(version, question, answers, snapshot -> recommendedCpu(snapshot, false, question), false);
    }

    /** How often answers of recommended-cpu ({@code baseline} false) or of libvirt's baseline were kept already. */
    AggregateFigures.AnswerCounts answerCounts(boolean baseline) {
        AnswerCache<?, ?> cache = baseline ? baselines : answers;
        return new AggregateFigures.AnswerCounts(cache.hits(), cache.misses());
    }

    private Answer recommendedCpu(AggregateSnapshot snapshot, boolean expand, String question) {
        String aggregateId = snapshot.id();
        KindLabels labels = KindLabels.of(snapshot.kinds());
        PolicyRecommendation recommendation;
        try {
            Map<String, Integer> hostsOfKind = new HashMap<>();
            snapshot.kinds().forEach(k -> hostsOfKind.put(k.kindId(), k.hosts()));
            recommendation = engines.recommend(Engines.facts(snapshot.kinds()), snapshot.policy(), expand)
                    .recommendation()
                    .shortened(NAMED, kind -> hostsOfKind.getOrDefault(kind, 1))
                    .renamed(labels);
        } catch (BaselineRefusedException e) {
            throw noCommonCpu(aggregateId, e, labels);
        } catch (PolicyConflictException e) {
            throw new ConflictException(
                    "Policy cannot be met",
                    "aggregate '" + aggregateId + "': " + labels.apply(e.getMessage()),
                    e.hosts().stream().map(labels).toList());
        }
        CpuEngine engine = engines.engine(Engines.facts(snapshot.kinds()).values());
        List<KindView> kinds = KindView.of(aggregateId, snapshot.kinds(), catalogs);
        MigrationContract contract = migrationContract(snapshot.kinds(), labels, snapshot.policy());
        Map<String, KubevirtNodeLabels.Node> nodes = engines.kubevirtNodes(snapshot.kinds());
        Set<String> obsolete = Set.copyOf(KubevirtNodeLabels.obsoleteFor(recommendation.cpu()));
        NovaCpuModels nova = novaCpuModels(engine, snapshot.kinds(), recommendation.cpu());
        RecommendedCpuView view = RecommendedCpuView.of(
                aggregateId,
                AggregatePolicy.of(snapshot.policy()),
                recommendation,
                engine.renderer(),
                nova,
                KubevirtNodeLabels.OnEveryNode.of(nodes.values(), obsolete),
                contract,
                snapshot.hostCount(),
                kinds);
        String kubevirtLabels = KubevirtNodeLabels.labelsYaml(
                recommendation.cpu(),
                kinds.stream()
                        .map(k -> {
                            // the nodes are of the same snapshot's kinds
                            KubevirtNodeLabels.Node node = Objects.requireNonNull(nodes.get(k.kind()));
                            return new KubevirtNodeLabels.LabelledKind(
                                    k.kind(),
                                    k.name(),
                                    k.hosts(),
                                    k.exampleHosts(),
                                    k.hostsPath(),
                                    node.hypervisorFeatures() != null,
                                    node.usableModels() != null,
                                    node.unusableModels() != null,
                                    KubevirtNodeLabels.labels(node, obsolete));
                        })
                        .toList());
        return new Answer(
                view,
                recommendation.cpu(),
                nova,
                etag(snapshot.version(), question),
                json.writeValueAsBytes(view),
                kubevirtLabels,
                engine.catalog());
    }

    /**
     * Nothing when the client has the answer already (its ETag derives from the aggregate's versions: one small
     * statement); else the answer kept for these versions, or computed from a snapshot of an aggregate with hosts.
     */
    private <T> Optional<T> unlessClientHas(
            String aggregateId,
            String question,
            Predicate<String> clientHas,
            AnswerCache<AnswerKey, T> cache,
            Function<AggregateSnapshot, T> compute) {
        AggregateVersion version = aggregates.version(aggregateId);
        if (clientHas.test(etag(version, question))) {
            return Optional.empty();
        }
        return Optional.of(kept(version, question, cache, compute, true));
    }

    /** The answer kept for these versions, or computed from a snapshot of the aggregate with hosts and kept. */
    private <T> T kept(
            AggregateVersion version,
            String question,
            AnswerCache<AnswerKey, T> cache,
            Function<AggregateSnapshot, T> compute,
            boolean counted) {
        return cache.get(
                new AnswerKey(version, question),
                () -> {
                    AggregateSnapshot snapshot = aggregates.snapshot(version.aggregate());
                    requireHosts(snapshot);
                    return compute.apply(snapshot);
                },
                counted);
    }

    /**
     * What {@code recommended-cpu} would answer under this policy for an aggregate of exactly these kinds of CPU: the
     * same engine, the same reading of each kind (its catalog, its guest-visible CPU), the same rules. A migration
     * domain's CPU is this for the domain's hosts.
     */
    public KindsRecommendation recommendFor(List<KindMembers> kinds, CpuPolicy policy) {
        KindLabels labels = KindLabels.of(kinds);
        try {
            Engines.Computed computed = engines.recommend(Engines.facts(kinds), policy, false);
            PolicyRecommendation recommendation = computed.recommendation().renamed(labels);
            GuestCpu cpu = recommendation.cpu();
            CpuEngine engine = engines.engine(computed.catalog());
            MigrationContract contract = migrationContract(kinds, labels, policy);
            return new KindsRecommendation(
                    recommendation,
                    MigrationContractView.of(contract),
                    engine.renderer().libvirtXml(cpu, contract.physAddrBits()),
                    RecommendedCpuView.novaConf(engine.renderer(), cpu, novaCpuModels(engine, kinds, cpu), contract)
                                    instanceof Rendering.Written nova
                            ? nova.text()
                            : null,
                    null);
        } catch (BaselineRefusedException | PolicyConflictException e) {
            return new KindsRecommendation(null, null, null, null, labels.apply(e.getMessage()));
        }
    }

    /** The migration contract of these kinds, in the order and under the names the answer's kinds have. */
    private static MigrationContract migrationContract(List<KindMembers> kinds, KindLabels labels, CpuPolicy policy) {
        Map<String, CpuKindFacts> facts = new HashMap<>();
        Map<String, Integer> hosts = new HashMap<>();
        for (KindMembers kind : kinds) {
            facts.put(kind.kindId(), kind.facts());
            hosts.put(kind.kindId(), kind.hosts());
        }
        return migrationContract(policy, facts, hosts, labels);
    }

    /**
     * The migration contract of hosts of these kinds under the policy: what their guests are started with beyond the
     * CPU, its notes naming the kinds as the labels do, in the order recommended-cpu lists kinds
     * ({@link KindView#ORDER}: most hosts first). Admission and what-if take theirs from here too, so that they say
     * what recommended-cpu says of the same hosts.
     *
     * @param hosts how many hosts each kind has
     */
    static MigrationContract migrationContract(
            CpuPolicy policy, Map<String, CpuKindFacts> kinds, Map<String, Integer> hosts, KindLabels labels) {
        return MigrationContract.of(
                kinds.entrySet().stream()
                        .sorted(Comparator.comparingInt(
                                        (Map.Entry<String, CpuKindFacts> k) -> hosts.getOrDefault(k.getKey(), 0))
                                .reversed()
                                .thenComparing(Map.Entry::getKey))
                        .map(k -> new MigrationContract.Member(
                                labels.name(k.getKey()), k.getValue().migration()))
                        .toList(),
                policy.machineType());
    }

    /** The models every kind of CPU of the aggregate can run, and the features all give guests, for nova. */
    private NovaCpuModels novaCpuModels(CpuEngine engine, List<KindMembers> kinds, GuestCpu cpu) {
        List<PolicyHost> hosts = kinds.stream()
                .map(k -> Engines.policyHost(
                        HostFacts.ofKind(k.kindId(), k.facts().readWith(engine.catalog()))))
                .toList();
        return gate.run(() -> engine.recommender().novaCpuModels(hosts, cpu.model()));
    }

    private static String recommendedQuestion(boolean expand) {
        return "recommended-cpu expand=" + expand;
    }

    // ---- libvirt's baseline --------------------------------------------------------------------------------------

    /**
     * libvirt's exact answer for the hosts, whatever the policy, as the given libvirt driver gives it. Computed over
     * the kinds, the kind of the first host by hostname first: libvirt prefers the first host's model, and hosts of
     * one kind change nothing in a baseline but its cost.
     */
    public Optional<BaselineAnswer> baseline(
            String aggregateId, boolean expand, boolean migratable, LibvirtDriver driver, Predicate<String> clientHas) {
        String question = baselineQuestion(expand, migratable, driver);
        return unlessClientHas(aggregateId, question, clientHas, baselines, snapshot -> {
            KindLabels labels = KindLabels.of(snapshot.kinds());
            CpuEngine engine = engines.engine(Engines.facts(snapshot.kinds()).values());
            List<NamedCpu> cpus = new ArrayList<>();
            for (KindMembers kind : snapshot.kinds()) {
                NamedCpu cpu = new NamedCpu(
                        kind.kindId(),
                        HostFacts.ofKind(kind.kindId(), kind.facts().readWith(engine.catalog()))
                                .effectiveCpu()
                                .description());
                if (kind.kindId().equals(snapshot.firstHostKind())) {
                    cpus.add(0, cpu);
                } else {
                    cpus.add(cpu);
                }
            }
            try {
                Baseline baseline = gate.run(() -> engine.calculator().baseline(cpus, expand, migratable, driver));
                BaselineView view = BaselineView.of(
                        aggregateId,
                        baseline,
                        expand,
                        migratable,
                        driver,
                        snapshot.hostCount(),
                        KindView.of(aggregateId, snapshot.kinds(), catalogs));
                return new BaselineAnswer(view, etag(snapshot.version(), question), json.writeValueAsBytes(view));
            } catch (BaselineRefusedException e) {
                throw noCommonCpu(aggregateId, e, labels);
            }
        });
    }

    private static String baselineQuestion(boolean expand, boolean migratable, LibvirtDriver driver) {
        return "baseline expand=" + expand + " migratable=" + migratable + " driver=" + driver.uriScheme();
    }

    // ---- the features guests get -------------------------------------------------------------------------------

    /**
     * The aggregate's kinds of CPU against the features guests can get on each, and the features of the recommended
     * CPU (none for host-model and host-passthrough, which have no fixed set). Kinds as the recommendation names them,
     * most hosts first; every kind read with the catalog the recommendation was computed with.
     */
    public FeatureMatrix featureMatrix(String aggregateId) {
        Answer answer = recommendedCpu(aggregateId, false);
        CpuEngine engine = engines.engine(answer.catalog());
        AggregateSnapshot snapshot = aggregates.snapshot(aggregateId);
        Map<String, KindMembers> byId = new HashMap<>();
        snapshot.kinds().forEach(k -> byId.put(k.kindId(), k));
        List<FeatureMatrix.Row> rows = KindView.of(aggregateId, snapshot.kinds(), catalogs).stream()
                .map(k -> new FeatureMatrix.Row(
                        k,
                        Set.copyOf(Engines.guestFeaturesOn(
                                engine,
                                Objects.requireNonNull(byId.get(k.kind())).asHost(k.name())))))
                .toList();
        List<String> guest = GuestFeatures.of(answer.cpu(), engine.catalog())
                .map(engine.catalog()::featureNames)
                .orElse(List.of());
        return FeatureMatrix.of(rows, guest);
    }

    private static void requireHosts(AggregateSnapshot snapshot) {
        if (snapshot.kinds().isEmpty()) {
            throw new ConflictException(
                    "Empty aggregate",
                    "aggregate '" + snapshot.id()
                            + "' has no hosts, so no CPU can be recommended for it; register hosts into it or PUT /aggregates/"
                            + snapshot.id() + "/hosts/{hostId}",
                    List.of());
        }
    }

    private static ConflictException noCommonCpu(String aggregateId, BaselineRefusedException e, KindLabels labels) {
        if (e.reason() == BaselineRefusedException.Reason.UNKNOWN_MODEL) {
            // a model the map does not know, and features that cover none of its models: the CPU cannot be read
            return new ConflictException(
                    "Host CPU cannot be read",
                    "aggregate '" + aggregateId + "': " + labels.apply(e.getMessage())
                            + ", and the features it reported match none of that map's models; run fleetcpu's agent"
                            + " on it (it sends the CPU's features in full, its hypervisor's view and its libvirt's"
                            + " CPU map), or register it with expandedCpuXml ('virsh cpu-baseline --features') and"
                            + " its libvirt version",
                    e.conflictingHosts().stream().map(labels).toList());
        }
        return new ConflictException(
                "No common CPU",
                "the hosts of aggregate '" + aggregateId + "' share no CPU model: " + labels.apply(e.getMessage()),
                e.conflictingHosts().stream().map(labels).toList());
    }

    /** Derived from the versions and the question alone, so that a 304 needs no answer. */
    private String etag(AggregateVersion version, String question) {
        return new AnswerKey(version, question).etag(catalogs.configured().info());
    }
}
