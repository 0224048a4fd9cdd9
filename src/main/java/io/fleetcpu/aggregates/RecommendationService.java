package io.fleetcpu.aggregates;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import tools.jackson.databind.json.JsonMapper;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.hosts.AdmissionCheck;
import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.GuestModels;
import io.fleetcpu.hosts.HostCpu;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostReport;
import io.fleetcpu.hosts.HostService;
import io.fleetcpu.hosts.KindLabels;
import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.policy.Baseline;
import io.fleetcpu.policy.BaselineCalculator;
import io.fleetcpu.policy.BaselineRefusedException;
import io.fleetcpu.policy.CpuConfigRenderer;
import io.fleetcpu.policy.CpuPolicy;
import io.fleetcpu.policy.GuestCpu;
import io.fleetcpu.policy.GuestFeatures;
import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.policy.GuestVisibility;
import io.fleetcpu.policy.KubevirtNodeLabels;
import io.fleetcpu.policy.LibvirtDriver;
import io.fleetcpu.policy.NamedCpu;
import io.fleetcpu.policy.NovaCpuModels;
import io.fleetcpu.policy.PlacementTraits;
import io.fleetcpu.policy.PolicyConflictException;
import io.fleetcpu.policy.PolicyHost;
import io.fleetcpu.policy.PolicyRecommendation;
import io.fleetcpu.policy.PolicyRecommender;
import io.fleetcpu.system.ComputeGate;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import io.fleetcpu.system.NotFoundException;
import io.fleetcpu.system.RequestLimitProperties;

/**
 * Computes an aggregate's CPU from its members' kinds of CPU: under its policy, or libvirt's plain baseline.
 *
 * <p>Two caches make a large aggregate cost what a small one costs. Answers are kept under the aggregate's versions
 * (kept in PostgreSQL, so every instance agrees on them) and the question asked, and an ETag derives from the same
 * key: a request whose aggregate did not change computes nothing, and a 304 not even the key's answer. The engine's
 * results are kept under the kinds of CPU and the policy they were computed for, so that hosts joining with a kind
 * the aggregate already has, or another aggregate with the same kinds, compute nothing either. Nothing is computed
 * while a database connection is held, and computations that miss both caches take turns ({@link ComputeGate}).
 */
@Service
public class RecommendationService {

    /**
     * The answer, the guest CPU it stands for, a strong validator for it, and its JSON, written once: a large
     * aggregate's answer is served as often as asked without being written again.
     */
    public record Answer(RecommendedCpuView view, GuestCpu cpu, NovaCpuModels nova, String etag, byte[] json,
            String kubevirtLabels, CpuCatalog catalog) {
    }

    /** libvirt's baseline, a strong validator for it, and its JSON, written once. */
    public record BaselineAnswer(BaselineView view, String etag, byte[] json) {
    }

    /** An aggregate as of its versions, and the question asked of it. */
    private record AnswerKey(AggregateVersion version, String question) {
    }

    /** Kinds of CPU by id (sorted), a policy, and the form asked for. */
    private record EngineKey(List<String> kinds, CpuPolicy policy, boolean expand) {
    }

    /** Kinds an answer names in one list before it counts the rest. */
    private static final int NAMED = 5;

    /** Answers are up to a few hundred kilobytes each; the engine's results a few kilobytes. */
    private final AnswerCache<AnswerKey, Answer> answers = new AnswerCache<>(256);
    private final AnswerCache<AnswerKey, BaselineAnswer> baselines = new AnswerCache<>(256);
    private final AnswerCache<EngineKey, PolicyRecommendation> engineResults = new AnswerCache<>(4096);
    private final AnswerCache<AnswerKey, Optional<AdmissionCheck.BelowBaseline>> admissions = new AnswerCache<>(20_000);

    private final AggregateService aggregates;
    /**
     * The engine for hosts read with one catalog. Feature positions are per catalog, so every computation over
     * several kinds of CPU takes the engine of the catalog their members share ({@link Catalogs#common}) and reads
     * each kind with it ({@link CpuKindFacts#readWith}).
     */
    private record Engine(CpuCatalog catalog, BaselineCalculator calculator, PolicyRecommender recommender,
            CpuConfigRenderer renderer, GuestVisibility visibility) {
    }

    private final Catalogs catalogs;
    private final Set<String> obsoleteModels;
    private final Map<CpuCatalog, Engine> engines = new ConcurrentHashMap<>();
    private final HostService hosts;
    private final ComputeGate gate;
    private final RequestLimitProperties limits;
    private final JsonMapper json;

    RecommendationService(AggregateService aggregates, HostService hosts, Catalogs catalogs,
            PolicyProperties properties, ComputeGate gate, JsonMapper json, RequestLimitProperties limits) {
        this.catalogs = catalogs;
        this.aggregates = aggregates;
        this.limits = limits;
        this.json = json;
        this.hosts = hosts;
        this.gate = gate;
        this.obsoleteModels = Set.copyOf(properties.obsoleteModels());
    }

    private Engine engine(CpuCatalog catalog) {
        return engines.computeIfAbsent(catalog, c -> new Engine(c, new BaselineCalculator(c),
                new PolicyRecommender(c, catalogs.visibility(c), obsoleteModels), new CpuConfigRenderer(c),
                catalogs.visibility(c)));
    }

    /** The engine of the catalog all these kinds' libvirt versions know. */
    private Engine engine(Collection<CpuKindFacts> kinds) {
        return engine(catalogs.common(kinds.stream().map(CpuKindFacts::catalog).toList()));
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
        return unlessClientHas(aggregateId, question, clientHas, answers,
                snapshot -> recommendedCpu(snapshot, expand, question));
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
            recommendation = recommend(facts(snapshot.kinds()), snapshot.policy(), expand).recommendation()
                    .shortened(NAMED, kind -> hostsOfKind.getOrDefault(kind, 1)).renamed(labels);
        } catch (BaselineRefusedException e) {
            throw noCommonCpu(aggregateId, e, labels);
        } catch (PolicyConflictException e) {
            throw new ConflictException("Policy cannot be met", "aggregate '" + aggregateId + "': "
                    + labels.apply(e.getMessage()), e.hosts().stream().map(labels).toList());
        }
        Engine engine = engine(facts(snapshot.kinds()).values());
        List<KindView> kinds = KindView.of(aggregateId, snapshot.kinds(), catalogs);
        Map<String, KubevirtNodeLabels.Node> nodes = kubevirtNodes(snapshot.kinds());
        Set<String> obsolete = Set.copyOf(KubevirtNodeLabels.obsoleteFor(recommendation.cpu()));
        NovaCpuModels nova = novaCpuModels(engine, snapshot.kinds(), recommendation.cpu());
        RecommendedCpuView view = RecommendedCpuView.of(aggregateId, AggregatePolicy.of(snapshot.policy()),
                recommendation, engine.renderer(), nova, KubevirtNodeLabels.OnEveryNode.of(nodes.values(), obsolete),
                snapshot.hostCount(), kinds);
        String kubevirtLabels = KubevirtNodeLabels.labelsYaml(recommendation.cpu(), kinds.stream()
                .map(k -> {
                    KubevirtNodeLabels.Node node = nodes.get(k.kind());
                    return new KubevirtNodeLabels.LabelledKind(k.kind(), k.name(), k.hosts(), k.exampleHosts(),
                            k.hostsPath(), node.hypervisorFeatures() != null, node.usableModels() != null,
                            node.unusableModels() != null, KubevirtNodeLabels.labels(node, obsolete));
                }).toList());
        return new Answer(view, recommendation.cpu(), nova, etag(snapshot.version(), question),
                json.writeValueAsBytes(view), kubevirtLabels, engine.catalog());
    }

    /**
     * Nothing when the client has the answer already (its ETag derives from the aggregate's versions: one small
     * statement); else the answer kept for these versions, or computed from a snapshot of an aggregate with hosts.
     */
    private <T> Optional<T> unlessClientHas(String aggregateId, String question, Predicate<String> clientHas,
            AnswerCache<AnswerKey, T> cache, Function<AggregateSnapshot, T> compute) {
        AggregateVersion version = aggregates.version(aggregateId);
        if (clientHas.test(etag(version, question))) {
            return Optional.empty();
        }
        return Optional.of(kept(version, question, cache, compute, true));
    }

    /** The answer kept for these versions, or computed from a snapshot of the aggregate with hosts and kept. */
    private <T> T kept(AggregateVersion version, String question, AnswerCache<AnswerKey, T> cache,
            Function<AggregateSnapshot, T> compute, boolean counted) {
        return cache.get(new AnswerKey(version, question), () -> {
            AggregateSnapshot snapshot = aggregates.snapshot(version.aggregate());
            requireHosts(snapshot);
            return compute.apply(snapshot);
        }, counted);
    }

    /** The models every kind of CPU of the aggregate can run, and the features all give guests, for nova. */
    private NovaCpuModels novaCpuModels(Engine engine, List<KindMembers> kinds, GuestCpu cpu) {
        List<PolicyHost> hosts = kinds.stream()
                .map(k -> policyHost(HostFacts.ofKind(k.kindId(), k.facts().readWith(engine.catalog())))).toList();
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
    public Optional<BaselineAnswer> baseline(String aggregateId, boolean expand, boolean migratable,
            LibvirtDriver driver, Predicate<String> clientHas) {
        String question = baselineQuestion(expand, migratable, driver);
        return unlessClientHas(aggregateId, question, clientHas, baselines, snapshot -> {
            KindLabels labels = KindLabels.of(snapshot.kinds());
            Engine engine = engine(facts(snapshot.kinds()).values());
            List<NamedCpu> cpus = new ArrayList<>();
            for (KindMembers kind : snapshot.kinds()) {
                NamedCpu cpu = new NamedCpu(kind.kindId(), HostFacts.ofKind(kind.kindId(),
                        kind.facts().readWith(engine.catalog())).effectiveCpu().description());
                if (kind.kindId().equals(snapshot.firstHostKind())) {
                    cpus.add(0, cpu);
                } else {
                    cpus.add(cpu);
                }
            }
            try {
                Baseline baseline = gate.run(() -> engine.calculator().baseline(cpus, expand, migratable, driver));
                BaselineView view = BaselineView.of(aggregateId, baseline, expand, migratable, driver,
                        snapshot.hostCount(), KindView.of(aggregateId, snapshot.kinds(), catalogs));
                return new BaselineAnswer(view, etag(snapshot.version(), question), json.writeValueAsBytes(view));
            } catch (BaselineRefusedException e) {
                throw noCommonCpu(aggregateId, e, labels);
            }
        });
    }

    private static String baselineQuestion(boolean expand, boolean migratable, LibvirtDriver driver) {
        return "baseline expand=" + expand + " migratable=" + migratable + " driver=" + driver.uriScheme();
    }

    // ---- renderings ----------------------------------------------------------------------------------------------

    /** The recommended CPU in one consumer's form. */
    public String render(Answer answer, OutputFormat format, String modelName) {
        try {
            return switch (format) {
                case JSON -> throw new IllegalArgumentException("JSON is the answer itself");
                case LIBVIRT -> answer.view().libvirtXml();
                case NOVA_CONF -> answer.view().novaConf();
                case PLACEMENT -> PlacementTraits.render(answer.view().aggregate(), answer.nova(), answer.cpu());
                case QEMU -> engine(answer.catalog()).renderer().qemuCpuArgument(answer.cpu()) + "\n";
                case KUBEVIRT -> answer.view().kubevirt();
                case KUBEVIRT_LABELS -> answer.kubevirtLabels();
                case KUBEVIRT_CLUSTER -> KubevirtNodeLabels.clusterYaml(answer.cpu());
                case CPU_MAP -> engine(answer.catalog()).renderer().cpuMapModel(answer.cpu(), modelName != null ? modelName
                        : answer.cpu().model() + "-" + answer.view().aggregate());
            };
        } catch (IllegalArgumentException e) {
            String mode = answer.cpu().mode().libvirtName();
            throw new ConflictException("Not expressible in this format", "the recommendation for aggregate '"
                    + answer.view().aggregate() + "' (" + mode + ") cannot be written as " + format.wireName() + ": "
                    + e.getMessage() + (answer.cpu().mode() == GuestCpu.Mode.CUSTOM ? "" : "; use format=libvirt, "
                            + "nova-conf or kubevirt, which keep " + mode + " for libvirt to expand on each host"),
                    List.of());
        }
    }

    /** The formats the recommendation is rendered in. */
    public enum OutputFormat {
        JSON, LIBVIRT, NOVA_CONF, PLACEMENT, QEMU, KUBEVIRT, KUBEVIRT_LABELS, KUBEVIRT_CLUSTER, CPU_MAP;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static OutputFormat fromWireName(String name) {
            for (OutputFormat f : values()) {
                if (f.wireName().equals(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    // ---- the guest CPU of other sets of hosts (admission, drift, what-if) ---------------------------------------

    /**
     * The guest CPU the policy gives hosts of these kinds; none (with the reason) when no CPU can be recommended
     * (no hosts, no common model, a policy that cannot be met).
     *
     * @param kinds kinds of CPU by id; how many hosts each has does not matter
     * @param labels how the reason names kinds
     */
    public GuestCpuOutcome guestCpu(CpuPolicy policy, Map<String, CpuKindFacts> kinds, KindLabels labels) {
        if (kinds.isEmpty()) {
            return new GuestCpuOutcome(null, "no hosts", catalogs.configured());
        }
        CpuCatalog catalog = engine(kinds.values()).catalog();
        try {
            return new GuestCpuOutcome(recommend(kinds, policy, false).recommendation().cpu(), null, catalog);
        } catch (BaselineRefusedException | PolicyConflictException e) {
            return new GuestCpuOutcome(null, labels.apply(e.getMessage()), catalog);
        }
    }

    /**
     * Whether guests on the host's fellow members of the aggregate could migrate onto the host, and if not what the
     * host lacks. Kept per version of the aggregate and kind of CPU: every host of the kind gets the same answer.
     *
     * @param kind the id of the host's kind ({@code host.kind().id()})
     */
    public Optional<AdmissionCheck.BelowBaseline> belowBaseline(String aggregateId, HostFacts host, String kind) {
        return admissions.get(new AnswerKey(aggregates.version(aggregateId), "admission " + kind), () -> {
            GuestCpuOutcome theirs = guestCpuWithoutOne(aggregateId, kind);
            List<String> missing = missingOn(theirs, host);
            return missing.isEmpty() ? Optional.empty()
                    : Optional.of(new AdmissionCheck.BelowBaseline(aggregateId, theirs.describe(), missing));
        });
    }

    /** The aggregate's members' kinds but one host of the given kind: what the host's fellow members run. */
    private GuestCpuOutcome guestCpuWithoutOne(String aggregateId, String kindId) {
        AggregateSnapshot snapshot = aggregates.counts(aggregateId);
        Map<String, CpuKindFacts> others = new TreeMap<>();
        for (KindMembers kind : snapshot.kinds()) {
            if (!kind.kindId().equals(kindId) || kind.hosts() > 1) {
                others.put(kind.kindId(), kind.facts());
            }
        }
        return guestCpu(snapshot.policy(), others, KindLabels.of(List.of()));
    }

    /**
     * What a host's change of CPU does to the aggregate: its guest CPU with the host's facts as they were, and as
     * they are now. The host is counted as a member in both. Read before the change is written.
     *
     * @param wasMember whether the counts read now hold the host (with its facts as they were)
     */
    public GuestCpuOutcome[] guestCpuBeforeAndAfter(String aggregateId, HostFacts before, HostFacts after,
            boolean wasMember) {
        AggregateSnapshot snapshot = aggregates.counts(aggregateId);
        Tally now = new Tally(snapshot.kinds());
        if (wasMember) {
            now.remove(before.kind().id());
        }
        now.add(after.kind());
        Tally then = now.copy();
        then.remove(after.kind().id());
        then.add(before.kind());
        KindLabels labels = KindLabels.of(List.of());
        return new GuestCpuOutcome[] { guestCpu(snapshot.policy(), then.kinds(), labels),
                guestCpu(snapshot.policy(), now.kinds(), labels) };
    }

    /** An aggregate's hosts counted by kind, changed on paper (what-if, drift). */
    private static final class Tally {

        private final Map<String, Integer> counts;
        private final Map<String, CpuKindFacts> facts;

        Tally(List<KindMembers> kinds) {
            this(new LinkedHashMap<>(), new HashMap<>());
            kinds.forEach(k -> {
                counts.put(k.kindId(), k.hosts());
                facts.put(k.kindId(), k.facts());
            });
        }

        private Tally(Map<String, Integer> counts, Map<String, CpuKindFacts> facts) {
            this.counts = counts;
            this.facts = facts;
        }

        Tally copy() {
            return new Tally(new LinkedHashMap<>(counts), new HashMap<>(facts));
        }

        /** One host of the kind fewer. */
        void remove(String kindId) {
            counts.computeIfPresent(kindId, (k, n) -> n > 1 ? n - 1 : null);
        }

        /** One host of the kind more. */
        void add(CpuKindFacts kind) {
            facts.putIfAbsent(kind.id(), kind);
            counts.merge(kind.id(), 1, Integer::sum);
        }

        Map<String, Integer> counts() {
            return counts;
        }

        CpuKindFacts facts(String kindId) {
            return facts.get(kindId);
        }

        /** The kinds with hosts, by id. */
        Map<String, CpuKindFacts> kinds() {
            Map<String, CpuKindFacts> kinds = new TreeMap<>();
            counts.keySet().forEach(id -> kinds.put(id, facts.get(id)));
            return kinds;
        }
    }

    /** A recommendation and the catalog it was computed with. */
    private record Computed(PolicyRecommendation recommendation, CpuCatalog catalog) {
    }

    /**
     * The engine's recommendation for hosts of these kinds, computed once per kinds, policy and form (a kind's id
     * names its catalog, so the kinds also say which catalog the answer is computed with).
     */
    private Computed recommend(Map<String, CpuKindFacts> kinds, CpuPolicy policy, boolean expand) {
        TreeMap<String, CpuKindFacts> sorted = new TreeMap<>(kinds);
        Engine engine = engine(sorted.values());
        List<String> unknown = Catalogs.unknownIn(engine.catalog(), policy);
        if (!unknown.isEmpty()) {
            List<String> older = sorted.entrySet().stream()
                    .filter(e -> !Catalogs.unknownIn(catalogs.named(e.getValue().catalog()), policy).isEmpty())
                    .map(Map.Entry::getKey).toList();
            throw new PolicyConflictException("the policy names " + String.join(", ", unknown) + ", which "
                    + engine.catalog().name() + " does not know: the libvirt of " + String.join(", ", older)
                    + " would not accept it", older);
        }
        return new Computed(engineResults.get(new EngineKey(List.copyOf(sorted.keySet()), policy, expand), () -> gate.run(() ->
                engine.recommender().recommend(sorted.entrySet().stream()
                        .map(e -> policyHost(HostFacts.ofKind(e.getKey(), e.getValue().readWith(engine.catalog()))))
                        .toList(), policy, expand))), engine.catalog());
    }

    /** What KubeVirt's node-labeller reads of each kind's hosts, by kind id. */
    private Map<String, KubevirtNodeLabels.Node> kubevirtNodes(List<KindMembers> kinds) {
        Map<String, KubevirtNodeLabels.Node> nodes = new HashMap<>();
        for (KindMembers kind : kinds) {
            // a node is labelled by its own libvirt: its labels are read with its own catalog, not the aggregate's
            CpuKindFacts facts = kind.facts();
            CpuCatalog own = catalogs.named(facts.catalog());
            GuestModels models = facts.guestModels();
            HostCpu hypervisor = facts.hypervisorCpu();
            nodes.put(kind.kindId(), new KubevirtNodeLabels.Node(models == null ? null : models.hostModel(),
                    models == null ? null : (hypervisor != null ? hypervisor : facts.cpu()).vendor(),
                    models == null ? null : models.usableModels(),
                    hypervisor == null ? null : KubevirtNodeLabels.labelledFeatures(own, hypervisor.description()),
                    models == null ? null : models.unknownModels(), models == null ? null : models.unusableModels()));
        }
        return nodes;
    }

    private static Map<String, CpuKindFacts> facts(List<KindMembers> kinds) {
        Map<String, CpuKindFacts> facts = new TreeMap<>();
        kinds.forEach(k -> facts.put(k.kindId(), k.facts()));
        return facts;
    }

    // ---- what-if -------------------------------------------------------------------------------------------------

    /**
     * What the change a request describes would do; refuses it whole, naming each wrong entry. Nothing is written.
     * Every what-if is a computation of its own (no two ask the same), so it takes its turn at the gate whole.
     */
    public WhatIfView whatIf(String aggregateId, WhatIfRequest request) {
        List<FieldProblem> tooMany = new ArrayList<>();
        checkWhatIfSize(tooMany, "addHosts", request.addHosts());
        checkWhatIfSize(tooMany, "addReports", request.addReports());
        checkWhatIfSize(tooMany, "removeHosts", request.removeHosts());
        if (!tooMany.isEmpty()) {
            throw new InvalidRequestException(tooMany);
        }
        return gate.run(() -> computeWhatIf(aggregateId, request));
    }

    private void checkWhatIfSize(List<FieldProblem> problems, String field, List<?> entries) {
        if (entries != null) {
            RequestLimitProperties.checkCount(problems, field, entries.size(), limits.maxWhatIfHosts(), "hosts",
                    "max-what-if-hosts");
        }
    }

    private WhatIfView computeWhatIf(String aggregateId, WhatIfRequest request) {
        AggregateSnapshot snapshot = aggregates.snapshot(aggregateId);
        List<FieldProblem> problems = new ArrayList<>();
        List<HostFacts> added = new ArrayList<>();
        List<String> addIds = request.addHosts() == null ? List.of() : request.addHosts();
        for (int i = 0; i < addIds.size(); i++) {
            try {
                added.add(hosts.get(UUID.fromString(String.valueOf(addIds.get(i)))).facts());
            } catch (IllegalArgumentException | NotFoundException e) {
                problems.add(new FieldProblem("addHosts[" + i + "]", "'" + addIds.get(i) + "' is not a registered host"));
            }
        }
        List<HostReport> reports = request.addReports() == null ? List.of() : request.addReports();
        for (int i = 0; i < reports.size(); i++) {
            if (reports.get(i) == null) {
                problems.add(new FieldProblem("addReports[" + i + "]", "null: give a host as POST /hosts takes it"));
                continue;
            }
            try {
                added.add(hosts.preview(reports.get(i)));
            } catch (InvalidRequestException e) {
                String prefix = "addReports[" + i + "].";
                e.problems().forEach(p -> problems.add(new FieldProblem(prefix + p.field(), p.problem())));
            }
        }
        List<String> removeIds = request.removeHosts() == null ? List.of() : request.removeHosts();
        List<UUID> removeUuids = removeIds.stream().map(RecommendationService::uuidOrNull).filter(Objects::nonNull)
                .toList();
        Map<UUID, String> removed = hosts.kindsOfMembers(aggregateId, removeUuids);
        for (int i = 0; i < removeIds.size(); i++) {
            UUID id = uuidOrNull(removeIds.get(i));
            if (id == null || !removed.containsKey(id)) {
                problems.add(new FieldProblem("removeHosts[" + i + "]", "'" + removeIds.get(i)
                        + "' is not a host of aggregate '" + aggregateId + "'"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        Map<UUID, String> replaced = hosts.kindsOfMembers(aggregateId, added.stream().map(HostFacts::id).toList());
        Tally now = new Tally(snapshot.kinds());
        Tally after = now.copy();
        removed.values().forEach(after::remove);
        Map<String, String> addedNames = new LinkedHashMap<>();
        for (HostFacts host : added) {
            String was = replaced.get(host.id());
            if (was != null && !removed.containsKey(host.id())) {
                after.remove(was);
            }
            after.add(host.kind());
            addedNames.merge(host.kind().id(), host.hostname(), (a, b) -> a + ", " + b);
        }
        KindLabels labels = KindLabels.of(snapshot.kinds()).with(addedNames);
        GuestCpuOutcome before = guestCpu(snapshot.policy(), now.kinds(), labels);
        GuestCpuOutcome then = guestCpu(snapshot.policy(), after.kinds(), labels);
        // the two sides may be computed with different catalogs (a host of another libvirt version joins or
        // leaves): their features are compared by name, each side's set read with its own catalog
        List<String> featuresBefore = before.featureNames();
        List<String> featuresAfter = then.featureNames();
        List<String> gained = featuresBefore == null || featuresAfter == null ? List.of()
                : featuresAfter.stream().filter(f -> !featuresBefore.contains(f)).toList();
        List<String> lost = featuresBefore == null || featuresAfter == null ? List.of()
                : featuresBefore.stream().filter(f -> !featuresAfter.contains(f)).toList();
        List<RecommendedCpuView.BelowBaseline> blocking = new ArrayList<>();
        for (String kind : after.counts().keySet()) {
            List<String> missing = missingOn(before, HostFacts.ofKind(kind, after.facts(kind)));
            if (!missing.isEmpty()) {
                blocking.add(new RecommendedCpuView.BelowBaseline(labels.name(kind), missing));
            }
        }
        return new WhatIfView(aggregateId, side(now.counts(), labels, before), side(after.counts(), labels, then), gained,
                lost, blocking);
    }

    private static UUID uuidOrNull(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static WhatIfView.Side side(Map<String, Integer> kinds, KindLabels labels, GuestCpuOutcome outcome) {
        GuestCpu cpu = outcome.cpu();
        return new WhatIfView.Side(kinds.values().stream().mapToInt(Integer::intValue).sum(),
                kinds.entrySet().stream().map(e -> new WhatIfView.KindCount(e.getKey(), labels.name(e.getKey()),
                        e.getValue())).toList(),
                outcome.describe(), cpu == null ? null : cpu.mode().libvirtName(), cpu == null ? null : cpu.model(),
                cpu == null ? List.of() : cpu.features().stream()
                        .map(f -> new RecommendedCpuView.Feature(f.name(), f.policy().libvirtName())).toList());
    }

    // ---- shared --------------------------------------------------------------------------------------------------

    /** The features of a guest CPU the host cannot give: guests with it could not migrate onto the host. */
    public List<String> missingOn(GuestCpuOutcome guest, HostFacts host) {
        if (guest.cpu() == null) {
            return List.of();
        }
        Engine engine = engine(guest.catalog());
        return GuestFeatures.missingOn(guest.cpu(), guestFeaturesOn(engine, host), engine.catalog());
    }

    /**
     * The features guests can get on the host, the host read with the engine's catalog: what a guest CPU computed
     * with that catalog is judged against.
     */
    private static List<String> guestFeaturesOn(Engine engine, HostFacts host) {
        HostFacts read = HostFacts.ofKind(host.hostname(), host.kind().readWith(engine.catalog()));
        try {
            FeatureSet visible = engine.calculator().expand(read.guestView(engine.visibility()).cpu());
            return engine.catalog().featureNames(visible);
        } catch (BaselineRefusedException e) {
            // A host the catalog cannot read (unknown model or feature) is judged on the features it does know.
            return List.copyOf(read.effectiveCpu().features());
        }
    }

    /**
     * The aggregate's kinds of CPU against the features guests can get on each, and the features of the recommended
     * CPU (none for host-model and host-passthrough, which have no fixed set). Kinds as the recommendation names them,
     * most hosts first; every kind read with the catalog the recommendation was computed with.
     */
    public FeatureMatrix featureMatrix(String aggregateId) {
        Answer answer = recommendedCpu(aggregateId, false);
        Engine engine = engine(answer.catalog());
        AggregateSnapshot snapshot = aggregates.snapshot(aggregateId);
        Map<String, KindMembers> byId = new HashMap<>();
        snapshot.kinds().forEach(k -> byId.put(k.kindId(), k));
        List<FeatureMatrix.Row> rows = KindView.of(aggregateId, snapshot.kinds(), catalogs).stream()
                .map(k -> new FeatureMatrix.Row(k,
                        Set.copyOf(guestFeaturesOn(engine, byId.get(k.kind()).asHost(k.name())))))
                .toList();
        List<String> guest = GuestFeatures.of(answer.cpu(), engine.catalog()).map(engine.catalog()::featureNames)
                .orElse(List.of());
        return FeatureMatrix.of(rows, guest);
    }

    /** A guest CPU, or why there is none, and the catalog it was computed with. */
    public record GuestCpuOutcome(GuestCpu cpu, String whyNone, CpuCatalog catalog) {

        public String describe() {
            return cpu != null ? GuestFeatures.describe(cpu) : "none (" + whyNone + ")";
        }

        /** The guest's features by name, or null when there is no guest CPU or it names no model. */
        List<String> featureNames() {
            return cpu == null ? null
                    : GuestFeatures.of(cpu, catalog).map(catalog::featureNames).orElse(null);
        }
    }

    static PolicyHost policyHost(HostFacts host) {
        HostCpu cpu = host.cpu();
        HostCpu hypervisor = host.hypervisorCpu();
        GuestModels models = host.guestModels();
        PolicyHost.NestedState nested = switch (host.kernel().nested()) {
            case "enabled" -> PolicyHost.NestedState.ENABLED;
            case "disabled" -> PolicyHost.NestedState.DISABLED;
            default -> PolicyHost.NestedState.UNKNOWN;
        };
        return new PolicyHost(host.hostname(), cpu.description(), hypervisor == null ? null : hypervisor.description(),
                cpu.microcode(), cpu.signature(), nested, models == null ? null : models.usableModels(),
                models == null || models.supportedModes() == null ? null : models.supportedModes().stream()
                        .map(RecommendationService::mode).filter(Objects::nonNull).collect(Collectors.toSet()),
                models == null ? null : models.deprecatedModels());
    }

    private static GuestCpu.Mode mode(String libvirtName) {
        for (GuestCpu.Mode mode : GuestCpu.Mode.values()) {
            if (mode.libvirtName().equals(libvirtName)) {
                return mode;
            }
        }
        return null;
    }

    private static void requireHosts(AggregateSnapshot snapshot) {
        if (snapshot.kinds().isEmpty()) {
            throw new ConflictException("Empty aggregate", "aggregate '" + snapshot.id()
                    + "' has no hosts, so no CPU can be recommended for it; register hosts into it or PUT /aggregates/"
                    + snapshot.id() + "/hosts/{hostId}", List.of());
        }
    }

    private static ConflictException noCommonCpu(String aggregateId, BaselineRefusedException e, KindLabels labels) {
        return new ConflictException("No common CPU", "the hosts of aggregate '" + aggregateId
                + "' share no CPU model: " + labels.apply(e.getMessage()),
                e.conflictingHosts().stream().map(labels).toList());
    }

    /** Derived from the versions and the question alone, so that a 304 needs no answer. */
    private String etag(AggregateVersion version, String question) {
        // the catalogs an answer is computed with follow from the members' kinds, hence from version.members()
        String key = version.aggregate() + "\n" + version.created() + "\n" + version.policy() + "\n" + version.members() + "\n" + question + "\n"
                + catalogs.configured().info();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
