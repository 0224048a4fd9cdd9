package io.fleetcpu.fleet;

import io.fleetcpu.aggregates.AggregateService;
import io.fleetcpu.aggregates.KindsRecommendation;
import io.fleetcpu.aggregates.RecommendationService;
import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.CpuViewpoint;
import io.fleetcpu.hosts.FleetCensus;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostRecords;
import io.fleetcpu.hosts.KindLabels;
import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.GuestDomain;
import io.fleetcpu.libvirtxml.MalformedXmlException;
import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.policy.CpuEngine;
import io.fleetcpu.policy.CpuPolicy;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.NamedCpu;
import io.fleetcpu.policy.grouping.Grouping;
import io.fleetcpu.policy.grouping.MigrationDomain;
import io.fleetcpu.policy.grouping.Strategy;
import io.fleetcpu.policy.guest.GuestFeatures;
import io.fleetcpu.policy.guest.GuestLevels;
import io.fleetcpu.policy.guest.MicroarchitectureLevel;
import io.fleetcpu.policy.migration.GuestPlatform;
import io.fleetcpu.policy.migration.MachineTypeFamily;
import io.fleetcpu.policy.migration.MigrationCheckRefusedException;
import io.fleetcpu.policy.migration.MigrationFacts;
import io.fleetcpu.policy.migration.Verdict;
import io.fleetcpu.policy.render.OpenStackCommands;
import io.fleetcpu.system.ComputeGate;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.InvalidParameterException;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import io.fleetcpu.system.NotFoundException;
import io.fleetcpu.system.RequestLimitProperties;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** The whole fleet: migration-safe groupings and migration checks. */
@Service
public class FleetService {

    private final HostRecords hosts;
    private final FleetCensus census;
    private final AggregateService aggregates;
    private final RecommendationService recommendations;
    private final Catalogs catalogs;
    private final ComputeGate gate;
    private final RequestLimitProperties limits;

    FleetService(
            HostRecords hosts,
            FleetCensus census,
            AggregateService aggregates,
            RecommendationService recommendations,
            Catalogs catalogs,
            ComputeGate gate,
            RequestLimitProperties limits) {
        this.catalogs = catalogs;
        this.hosts = hosts;
        this.census = census;
        this.limits = limits;
        this.gate = gate;
        this.aggregates = aggregates;
        this.recommendations = recommendations;
    }

    /**
     * The engine for these hosts: groupings and checks over hosts of several libvirt versions are computed with the
     * part of their maps every one of them knows ({@link Catalogs#engineFor}).
     */
    private CpuEngine engine(Collection<HostFacts> facts) {
        return catalogs.engineFor(facts.stream().map(HostFacts::catalog).toList());
    }

    /** The host's facts as the catalog reads them. */
    private static HostFacts readWith(HostFacts host, CpuEngine engine) {
        CpuKindFacts read = host.kind().readWith(engine.catalog());
        return read == host.kind() ? host : HostFacts.ofKind(host.hostname(), read);
    }

    /**
     * A grouping computed over kinds of CPU, with the kinds it was computed over and their names, and each domain's
     * CPU: what {@code recommended-cpu} answers for an aggregate of exactly the domain's hosts under
     * {@link #DOMAIN_POLICY} (by index, as {@code grouping.domains()}).
     */
    public record FleetGrouping(
            Grouping grouping,
            List<KindMembers> kinds,
            KindLabels labels,
            @Nullable String aggregate,
            GuestLevels levels,
            Catalogs catalogs,
            List<KindsRecommendation> domainCpus) {}

    /**
     * The policy of a migration domain's CPU: guests that can live-migrate to every host of the domain (a named model
     * every member's hypervisor runs, nothing that blocks migration), nested virtualisation off, every mitigation
     * required: the default policy of an aggregate.
     */
    public static final CpuPolicy DOMAIN_POLICY = CpuPolicy.DEFAULT;

    /**
     * The fleet (or an aggregate's, or one vendor's hosts) in migration domains, computed over their kinds of CPU
     * weighed by their hosts: one grouped query, no host row read.
     */
    public FleetGrouping grouping(
            String strategyName,
            @Nullable String minimumModel,
            @Nullable String minimumLevel,
            @Nullable String aggregate,
            @Nullable String vendor) {
        Strategy strategy;
        try {
            strategy = Strategy.parse(strategyName);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(
                    "strategy", "'" + strategyName + "' is not max-features or min-domains");
        }
        MicroarchitectureLevel level = minimumLevel == null
                ? null
                : MicroarchitectureLevel.named(minimumLevel)
                        .orElseThrow(() -> new InvalidParameterException(
                                "minimumLevel",
                                "'" + minimumLevel
                                        + "' is not an x86-64 microarchitecture level; levels: "
                                        + String.join(", ", MicroarchitectureLevel.operatorNames())));
        if (aggregate != null) {
            aggregates.find(aggregate);
        }
        List<KindMembers> kinds = (aggregate != null ? census.kindsIn(aggregate, true) : census.kindsInFleet(true))
                .stream()
                        .filter(k -> vendor == null
                                || vendor.equalsIgnoreCase(
                                        k.asHost(k.kindId()).effectiveCpu().vendor()))
                        .toList();
        CpuEngine engine = engine(kinds.stream().map(k -> k.asHost(k.kindId())).toList());
        if (minimumModel != null && engine.catalog().model(minimumModel).isEmpty()) {
            throw new InvalidParameterException(
                    "minimumModel",
                    "'" + minimumModel + "' is not a CPU model the catalog ("
                            + engine.catalog().name() + ") knows");
        }
        List<NamedCpu> cpus = kinds.stream()
                .map(k -> new NamedCpu(k.kindId(), guestView(readWith(k.asHost(k.kindId()), engine), engine)))
                .toList();
        int[] counts = kinds.stream().mapToInt(KindMembers::hosts).toArray();
        List<MigrationFacts> platforms =
                kinds.stream().map(k -> k.facts().migration()).toList();
        Grouping grouping =
                gate.run(() -> engine.domains().group(cpus, counts, strategy, minimumModel, level, platforms));
        Map<String, KindMembers> byId = kinds.stream().collect(Collectors.toMap(KindMembers::kindId, k -> k));
        List<KindsRecommendation> domainCpus = grouping.domains().stream()
                .map(d -> recommendations.recommendFor(
                        d.hosts().stream().map(byId::get).toList(), DOMAIN_POLICY))
                .toList();
        return new FleetGrouping(
                grouping, kinds, KindLabels.of(kinds), aggregate, engine.levels(), catalogs, domainCpus);
    }

    /** The openstack commands that build the grouping's aggregates: these name every host. */
    public String openstackCommands(FleetGrouping fleetGrouping) {
        Grouping grouping = fleetGrouping.grouping();
        Map<String, List<String>> names = census.hostnamesByKind(
                fleetGrouping.kinds().stream().map(KindMembers::kindId).toList(), fleetGrouping.aggregate());
        List<MigrationDomain> domains = grouping.domains().stream()
                .map(d -> d.withHosts(d.hosts().stream()
                        .flatMap(kind -> names.getOrDefault(kind, List.of()).stream())
                        .toList()))
                .toList();
        return OpenStackCommands.render(
                new Grouping(
                        grouping.strategy(),
                        grouping.minimumModel(),
                        grouping.minimumLevel(),
                        domains,
                        grouping.cost(),
                        grouping.hostsBelowMinimum(),
                        grouping.ungrouped(),
                        grouping.catalog(),
                        grouping.notes()),
                fleetGrouping.domainCpus().stream()
                        .map(c -> new OpenStackCommands.DomainCpu(
                                c.recommendation() == null
                                        ? null
                                        : c.recommendation().cpu(),
                                c.novaConf(),
                                c.refusal()))
                        .toList());
    }

    /** Whether a guest CPU can migrate to a host, or to every host of an aggregate. Nothing is written. */
    public MigrationCheckView check(MigrationCheckRequest request) {
        MigrationCheckRequest.Guest guest = request.guest();
        MigrationCheckRequest.Target target = request.target();
        if (guest == null
                || countSet(
                                guest.cpuXml(),
                                guest.domainXml(),
                                guest.aggregate(),
                                guest.hostModelOf(),
                                guest.hostPassthroughOf())
                        != 1) {
            throw new InvalidRequestException(
                    "guest", "give exactly one of cpuXml, domainXml, aggregate, hostModelOf, hostPassthroughOf");
        }
        if (target == null || countSet(target.host(), target.aggregate()) != 1) {
            throw new InvalidRequestException("target", "give exactly one of host, aggregate");
        }
        List<Target> targets = target.host() != null
                ? List.of(Target.of(host("target.host", target.host())))
                : members("target.aggregate", Objects.requireNonNull(target.aggregate())); // exactly one is set
        boolean passthrough = guest.hostPassthroughOf() != null;
        List<HostFacts> involved =
                new ArrayList<>(targets.stream().map(Target::facts).toList());
        involved.addAll(guestHosts(guest));
        CpuEngine engine = engine(involved);
        GuestDomain domain = guest.domainXml() == null ? null : domain(guest.domainXml());
        GuestToCheck toCheck = guestToCheck(guest, domain, engine);
        GuestPlatform platform = guestPlatform(guest, domain);
        List<String> notSaid = whatTheDomainDoesNotSay(domain, guest.sourceHost());
        List<MigrationCheckView.TargetVerdict> verdicts =
                judge(toCheck, platform, notSaid, passthrough, targets, engine);
        return new MigrationCheckView(
                toCheck.name(), verdicts.stream().allMatch(MigrationCheckView.TargetVerdict::compatible), verdicts);
    }

    /**
     * Whether a guest with this {@code <cpu>} and machine type, running on {@code sourceHost} (for host-model and
     * host-passthrough), could move to each of these hosts: the verdicts of {@link #check} for them, one per host.
     *
     * @throws InvalidRequestException naming {@code guest.cpuXml} or {@code guest.machineType} when the check refuses
     *     the guest (a mode that does not migrate, a model no catalog knows, an alias for a machine type)
     * @throws ConflictException when a target cannot be judged
     */
    public List<MigrationCheckView.TargetVerdict> checkGuest(
            String cpuXml, @Nullable String machineType, @Nullable UUID sourceHost, List<HostFacts> targets) {
        var guest = new MigrationCheckRequest.Guest(
                cpuXml, null, sourceHost == null ? null : sourceHost.toString(), null, null, null, machineType, null);
        List<HostFacts> involved = new ArrayList<>(targets);
        involved.addAll(guestHosts(guest));
        CpuEngine engine = engine(involved);
        return judge(
                guestToCheck(guest, null, engine),
                guestPlatform(guest, null),
                List.of(),
                false,
                targets.stream().map(Target::of).toList(),
                engine);
    }

    private List<MigrationCheckView.TargetVerdict> judge(
            GuestToCheck toCheck,
            GuestPlatform platform,
            List<String> notSaid,
            boolean passthrough,
            List<Target> targets,
            CpuEngine engine) {
        List<MigrationCheckView.TargetVerdict> verdicts = new ArrayList<>();
        for (Target t : targets) {
            HostFacts read = readWith(t.facts(), engine);
            CpuDescription cpu = passthrough ? read.cpu().description() : guestView(read, engine);
            try {
                engine.calculator().expand(new NamedCpu(t.name(), cpu));
            } catch (BaselineRefusedException e) {
                throw new ConflictException(
                        "Target cannot be judged",
                        "target host " + t.name() + " cannot be compared with: " + e.getMessage(),
                        List.of(t.name()));
            }
            Verdict verdict;
            try {
                verdict = toCheck.check(cpu);
            } catch (MigrationCheckRefusedException | IllegalArgumentException e) {
                throw new InvalidRequestException(toCheck.field(), e.getMessage());
            }
            List<String> blockers = platform.blockers(t.name(), t.facts().migration());
            verdicts.add(new MigrationCheckView.TargetVerdict(
                    t.name(),
                    t.id(),
                    t.facts().kind().id(),
                    t.hosts(),
                    passthrough
                            ? CpuViewpoint.HOST.wireName()
                            : CpuViewpoint.of(t.facts()).wireName(),
                    verdict.result().name().toLowerCase(java.util.Locale.ROOT),
                    verdict.compatible() && blockers.isEmpty(),
                    blockers,
                    concat(platform.unchecked(t.facts().migration()), notSaid),
                    verdict.missingFeatures(),
                    verdict.forbiddenButPresent(),
                    blockers.isEmpty()
                            ? verdict.reason()
                            : verdict.reason() + " Beyond the CPU the move is blocked: " + String.join("; ", blockers)
                                    + "."));
        }
        return verdicts;
    }

    /** A guest's domain XML, with a CPU to check. */
    private static GuestDomain domain(String xml) {
        GuestDomain domain;
        try {
            domain = GuestDomain.parse(xml);
        } catch (MalformedXmlException e) {
            throw new InvalidRequestException("guest.domainXml", e.getMessage());
        }
        if (domain.cpu() == null) {
            throw new InvalidRequestException(
                    "guest.domainXml",
                    "the domain has no <cpu>, so QEMU gives the guest its default model (qemu64): give that "
                            + "model as cpuXml (<cpu><model>qemu64</model></cpu>) to check it");
        }
        return domain;
    }

    /**
     * What the guest runs with beyond its CPU: the machine type and address bits the request or the guest's domain
     * XML gives, or, for an aggregate's recommended CPU, those of the aggregate's migration contract.
     */
    private GuestPlatform guestPlatform(MigrationCheckRequest.Guest guest, @Nullable GuestDomain domain) {
        String machineType = guest.machineType();
        Integer bits = guest.physAddrBits();
        String machineTypeField = "guest.machineType";
        List<FieldProblem> problems = new ArrayList<>();
        if (domain != null) {
            if (machineType != null) {
                problems.add(new FieldProblem(
                        "guest.machineType", "guest.domainXml says it (<os><type machine=…>): leave this out"));
            }
            if (bits != null) {
                problems.add(new FieldProblem(
                        "guest.physAddrBits", "guest.domainXml says them (<cpu><maxphysaddr>): leave this out"));
            }
            machineTypeField = "guest.domainXml";
            machineType = domain.machineType();
            bits = domainPhysAddrBits(domain, guest.sourceHost());
        }
        if (machineType != null) {
            String field = machineTypeField;
            MachineTypeFamily.whyNotVersioned(machineType).ifPresent(why -> problems.add(new FieldProblem(field, why)));
        }
        if (bits != null && (bits < 1 || bits > 64)) {
            problems.add(new FieldProblem("guest.physAddrBits", bits + " is not a number of bits from 1 to 64"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        if (guest.aggregate() != null) {
            var contract = recommendations
                    .recommendedCpu(guest.aggregate(), false)
                    .view()
                    .migrationContract();
            machineType = machineType != null ? machineType : contract.machineType();
            bits = bits != null ? bits : contract.physAddrBits();
        }
        return new GuestPlatform(machineType, bits);
    }

    /**
     * The bits a guest of this domain sees: those {@code emulate} gives, or with {@code passthrough} its host's own
     * (at most the limit); null when not said or its host is not named.
     */
    private @Nullable Integer domainPhysAddrBits(GuestDomain domain, @Nullable String sourceHost) {
        GuestDomain.MaxPhysAddr max = domain.maxPhysAddr();
        if (max == null) {
            return null;
        }
        if (max.mode().equals("emulate")) {
            return max.bits();
        }
        Integer own = sourceHost == null
                ? null
                : host("guest.sourceHost", sourceHost).migration().physAddrBits();
        Integer limit = max.limit();
        if (own == null || limit == null) {
            return own;
        }
        return Math.min(own, limit);
    }

    /** What of the guest a domain XML leaves to a host the request does not name, so no target can be checked for. */
    private static List<String> whatTheDomainDoesNotSay(@Nullable GuestDomain domain, @Nullable String sourceHost) {
        GuestDomain.MaxPhysAddr max = domain == null ? null : domain.maxPhysAddr();
        if (max != null && max.mode().equals("passthrough") && sourceHost == null) {
            return List.of("physical address bits: the guest's <maxphysaddr mode='passthrough'> gives it those of the "
                    + "host it runs on; name that host as sourceHost to check them");
        }
        return List.of();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    /** Target hosts of one kind: one host, or an aggregate's hosts of the kind. */
    private record Target(String name, @Nullable UUID id, int hosts, HostFacts facts) {

        static Target of(HostFacts host) {
            return new Target(host.hostname(), host.id(), 1, host);
        }
    }

    /** A guest CPU ready to be checked against targets, with the request field it came from. */
    private record GuestToCheck(String field, String name, Function<CpuDescription, Verdict> verdict) {

        Verdict check(CpuDescription target) {
            return verdict.apply(target);
        }
    }

    /** The hosts whose CPU the guest of a migration check is taken from. */
    private List<HostFacts> guestHosts(MigrationCheckRequest.Guest guest) {
        if (guest.cpuXml() != null || guest.domainXml() != null) {
            return guest.sourceHost() == null ? List.of() : List.of(host("guest.sourceHost", guest.sourceHost()));
        }
        if (guest.aggregate() != null) {
            try {
                return census.kindsIn(guest.aggregate(), false).stream()
                        .map(k -> k.asHost(k.kindId()))
                        .toList();
            } catch (NotFoundException e) {
                return List.of();
            }
        }
        return List.of(host(
                guest.hostModelOf() != null ? "guest.hostModelOf" : "guest.hostPassthroughOf",
                // exactly one is set, and neither of the other two
                Objects.requireNonNull(guest.hostModelOf() != null ? guest.hostModelOf() : guest.hostPassthroughOf())));
    }

    private GuestToCheck guestToCheck(
            MigrationCheckRequest.Guest guest, @Nullable GuestDomain domain, CpuEngine engine) {
        if (guest.cpuXml() != null || domain != null) {
            String field = domain != null ? "guest.domainXml" : "guest.cpuXml";
            CpuDefinition cpu;
            if (domain != null) {
                cpu = Objects.requireNonNull(domain.cpu()); // domain(…) refuses a domain without one
            } else {
                try {
                    cpu = CpuDefinition.parse(Objects.requireNonNull(guest.cpuXml()));
                } catch (MalformedXmlException e) {
                    throw new InvalidRequestException(field, e.getMessage());
                }
            }
            List<FieldProblem> tooMany = new ArrayList<>();
            if (!limits.checkFeatures(
                    tooMany, field + ".features", cpu.features().size())) {
                throw new InvalidRequestException(tooMany);
            }
            boolean hostMode = cpu.mode() != null && !cpu.mode().equals("custom");
            if (hostMode && guest.sourceHost() == null) {
                throw new InvalidRequestException(
                        "guest.sourceHost",
                        "a " + cpu.mode() + " guest CPU takes its CPU from "
                                + "the host it runs on: name that host, or use hostModelOf / hostPassthroughOf");
            }
            if (!hostMode && cpu.model() == null && cpu.arch() == null) {
                throw new InvalidRequestException(field, "the <cpu> names no CPU model");
            }
            CpuDescription source = guest.sourceHost() == null
                    ? null
                    : guestView(readWith(host("guest.sourceHost", guest.sourceHost()), engine), engine);
            return new GuestToCheck(
                    field,
                    (domain != null && domain.name() != null ? "domain " + domain.name() + ": " : "")
                            + (cpu.mode() == null
                                    ? "custom " + cpu.model()
                                    : cpu.mode() + (cpu.model() == null ? "" : " " + cpu.model())),
                    t -> engine.migrationCheck().check(cpu, source, t));
        }
        if (guest.aggregate() != null) {
            var answer = recommendations.recommendedCpu(guest.aggregate(), false);
            KindMembers any = census.kindsIn(guest.aggregate(), false).get(0);
            CpuDescription source = guestView(readWith(any.asHost(any.kindId()), engine), engine);
            return new GuestToCheck(
                    "guest.aggregate",
                    "aggregate " + guest.aggregate() + ": " + GuestFeatures.describe(answer.cpu()),
                    t -> engine.migrationCheck().check(answer.cpu(), source, t));
        }
        if (guest.hostModelOf() != null) {
            HostFacts source = host("guest.hostModelOf", guest.hostModelOf());
            CpuDescription from = guestView(readWith(source, engine), engine);
            return new GuestToCheck(
                    "guest.hostModelOf",
                    "host-model of " + source.hostname(),
                    t -> engine.migrationCheck().hostModel(from, t));
        }
        HostFacts source =
                host("guest.hostPassthroughOf", Objects.requireNonNull(guest.hostPassthroughOf())); // the last one
        CpuDescription from = readWith(source, engine).cpu().description();
        return new GuestToCheck(
                "guest.hostPassthroughOf",
                "host-passthrough of " + source.hostname(),
                t -> engine.migrationCheck().hostPassthrough(from, t));
    }

    /** What a guest can get on the host: every check but host-passthrough's is made against it. */
    private static CpuDescription guestView(HostFacts host, CpuEngine engine) {
        return host.guestView(engine.visibility()).cpu();
    }

    private HostFacts host(String field, String id) {
        try {
            return hosts.facts(UUID.fromString(id));
        } catch (IllegalArgumentException | NotFoundException e) {
            throw new InvalidRequestException(field, "'" + id + "' is not a registered host");
        }
    }

    /** The aggregate's hosts by kind: a verdict per kind, named by its first host. */
    private List<Target> members(String field, String aggregate) {
        List<KindMembers> kinds;
        try {
            aggregates.find(aggregate);
            kinds = census.kindsIn(aggregate, true);
        } catch (NotFoundException e) {
            throw new InvalidRequestException(field, "no aggregate '" + aggregate + "'");
        }
        if (kinds.isEmpty()) {
            throw new InvalidRequestException(field, "aggregate '" + aggregate + "' has no hosts");
        }
        KindLabels labels = KindLabels.of(kinds);
        return kinds.stream()
                .map(k -> new Target(
                        labels.name(k.kindId()),
                        k.hosts() == 1 ? k.exampleHosts().get(0).id() : null,
                        k.hosts(),
                        k.asHost(labels.name(k.kindId()))))
                .toList();
    }

    private static int countSet(@Nullable String... values) {
        int n = 0;
        for (String v : values) {
            if (v != null) {
                n++;
            }
        }
        return n;
    }
}
