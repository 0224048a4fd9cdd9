package io.fleetcpu.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fleetcpu.aggregates.AggregateService;
import io.fleetcpu.aggregates.RecommendationService;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.hosts.CpuView;
import io.fleetcpu.hosts.Host;
import io.fleetcpu.hosts.HostService;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.MalformedXmlException;
import io.fleetcpu.policy.BaselineCalculator;
import io.fleetcpu.policy.BaselineRefusedException;
import io.fleetcpu.policy.CpuDescription;
import io.fleetcpu.policy.GuestFeatures;
import io.fleetcpu.policy.NamedCpu;
import io.fleetcpu.policy.grouping.Grouping;
import io.fleetcpu.policy.grouping.MigrationDomains;
import io.fleetcpu.policy.grouping.OpenStackCommands;
import io.fleetcpu.policy.grouping.Strategy;
import io.fleetcpu.policy.migration.MigrationCheck;
import io.fleetcpu.policy.GuestVisibility;
import io.fleetcpu.policy.migration.MigrationCheckRefusedException;
import io.fleetcpu.policy.migration.Verdict;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.InvalidParameterException;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.NotFoundException;

/** The whole fleet: migration-safe groupings and migration checks. */
@Service
public class FleetService {

    private final HostService hosts;
    private final AggregateService aggregates;
    private final RecommendationService recommendations;
    private final CpuCatalog catalog;
    private final MigrationDomains domains;
    private final MigrationCheck migrationCheck;
    private final BaselineCalculator calculator;

    private final GuestVisibility visibility;

    FleetService(HostService hosts, AggregateService aggregates, RecommendationService recommendations,
            CpuCatalog catalog, GuestVisibility visibility) {
        this.hosts = hosts;
        this.visibility = visibility;
        this.aggregates = aggregates;
        this.recommendations = recommendations;
        this.catalog = catalog;
        this.domains = new MigrationDomains(catalog);
        this.migrationCheck = new MigrationCheck(catalog);
        this.calculator = new BaselineCalculator(catalog);
    }

    /** The fleet (or an aggregate's, or one vendor's hosts) in migration domains. */
    @Transactional(readOnly = true)
    public Grouping grouping(String strategyName, String minimumModel, String aggregate, String vendor) {
        Strategy strategy;
        try {
            strategy = Strategy.parse(strategyName);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("strategy", "'" + strategyName + "' is not max-features or min-domains");
        }
        if (minimumModel != null && catalog.model(minimumModel).isEmpty()) {
            throw new InvalidParameterException("minimumModel", "'" + minimumModel + "' is not a CPU model the catalog knows");
        }
        List<Host> fleet = (aggregate != null ? aggregates.members(aggregate) : hosts.all()).stream()
                .filter(h -> vendor == null || vendor.equalsIgnoreCase(CpuView.cpuOf(h).vendor()))
                .toList();
        // Hosts are named by hostname; two hosts may share one (a re-imaged machine), so those get their id too.
        java.util.Map<String, Long> names = fleet.stream()
                .collect(java.util.stream.Collectors.groupingBy(Host::getHostname, java.util.stream.Collectors.counting()));
        List<NamedCpu> cpus = fleet.stream()
                .map(h -> new NamedCpu(names.get(h.getHostname()) > 1 ? h.getHostname() + " (" + h.getId() + ")"
                        : h.getHostname(), guestView(h)))
                .toList();
        return domains.group(cpus, strategy, minimumModel);
    }

    public String openstackCommands(Grouping grouping) {
        return OpenStackCommands.render(grouping, "fleetcpu");
    }

    /** Whether a guest CPU can migrate to a host, or to every host of an aggregate. Nothing is written. */
    @Transactional(readOnly = true)
    public MigrationCheckView check(MigrationCheckRequest request) {
        MigrationCheckRequest.Guest guest = request.guest();
        MigrationCheckRequest.Target target = request.target();
        if (guest == null || countSet(guest.cpuXml(), guest.aggregate(), guest.hostModelOf(), guest.hostPassthroughOf()) != 1) {
            throw new InvalidRequestException("guest", "give exactly one of cpuXml, aggregate, hostModelOf, hostPassthroughOf");
        }
        if (target == null || countSet(target.host(), target.aggregate()) != 1) {
            throw new InvalidRequestException("target", "give exactly one of host, aggregate");
        }
        List<Host> targets = target.host() != null ? List.of(host("target.host", target.host()))
                : members("target.aggregate", target.aggregate());
        boolean passthrough = guest.hostPassthroughOf() != null;
        GuestToCheck toCheck = guestToCheck(guest);
        List<MigrationCheckView.TargetVerdict> verdicts = new ArrayList<>();
        for (Host h : targets) {
            CpuDescription cpu = passthrough ? h.getCpu().description() : guestView(h);
            try {
                calculator.expand(new NamedCpu(h.getHostname(), cpu));
            } catch (BaselineRefusedException e) {
                throw new ConflictException("Target cannot be judged", "target host " + h.getHostname()
                        + " cannot be compared with: " + e.getMessage(), List.of(h.getHostname()));
            }
            Verdict verdict;
            try {
                verdict = toCheck.check(cpu);
            } catch (MigrationCheckRefusedException | IllegalArgumentException e) {
                throw new InvalidRequestException(toCheck.field(), e.getMessage());
            }
            verdicts.add(new MigrationCheckView.TargetVerdict(h.getHostname(), h.getId(),
                    passthrough ? CpuView.HOST.wireName() : CpuView.of(h).wireName(),
                    verdict.result().name().toLowerCase(java.util.Locale.ROOT), verdict.compatible(),
                    verdict.missingFeatures(), verdict.forbiddenButPresent(), verdict.reason()));
        }
        return new MigrationCheckView(toCheck.name(), verdicts.stream().allMatch(MigrationCheckView.TargetVerdict::compatible),
                verdicts);
    }

    /** A guest CPU ready to be checked against targets, with the request field it came from. */
    private record GuestToCheck(String field, String name, Function<CpuDescription, Verdict> verdict) {

        Verdict check(CpuDescription target) {
            return verdict.apply(target);
        }
    }

    private GuestToCheck guestToCheck(MigrationCheckRequest.Guest guest) {
        if (guest.cpuXml() != null) {
            CpuDefinition cpu;
            try {
                cpu = CpuDefinition.parse(guest.cpuXml());
            } catch (MalformedXmlException e) {
                throw new InvalidRequestException("guest.cpuXml", e.getMessage());
            }
            boolean hostMode = cpu.mode() != null && !cpu.mode().equals("custom");
            if (hostMode && guest.sourceHost() == null) {
                throw new InvalidRequestException("guest.sourceHost", "a " + cpu.mode() + " guest CPU takes its CPU from "
                        + "the host it runs on: name that host, or use hostModelOf / hostPassthroughOf");
            }
            if (!hostMode && cpu.model() == null && cpu.arch() == null) {
                throw new InvalidRequestException("guest.cpuXml", "the <cpu> names no CPU model");
            }
            CpuDescription source = guest.sourceHost() == null ? null
                    : guestView(host("guest.sourceHost", guest.sourceHost()));
            return new GuestToCheck("guest.cpuXml", cpu.mode() == null ? "custom " + cpu.model() : cpu.mode()
                    + (cpu.model() == null ? "" : " " + cpu.model()), t -> migrationCheck.check(cpu, source, t));
        }
        if (guest.aggregate() != null) {
            var answer = recommendations.recommendedCpu(guest.aggregate(), false);
            Host any = aggregates.members(guest.aggregate()).get(0);
            CpuDescription source = guestView(any);
            return new GuestToCheck("guest.aggregate", "aggregate " + guest.aggregate() + ": "
                    + GuestFeatures.describe(answer.cpu()), t -> migrationCheck.check(answer.cpu(), source, t));
        }
        if (guest.hostModelOf() != null) {
            Host source = host("guest.hostModelOf", guest.hostModelOf());
            CpuDescription from = guestView(source);
            return new GuestToCheck("guest.hostModelOf", "host-model of " + source.getHostname(),
                    t -> migrationCheck.hostModel(from, t));
        }
        Host source = host("guest.hostPassthroughOf", guest.hostPassthroughOf());
        CpuDescription from = source.getCpu().description();
        return new GuestToCheck("guest.hostPassthroughOf", "host-passthrough of " + source.getHostname(),
                t -> migrationCheck.hostPassthrough(from, t));
    }

    /** What a guest can get on the host: every check but host-passthrough's is made against it. */
    private CpuDescription guestView(Host host) {
        return host.facts().guestView(visibility).cpu();
    }

    private Host host(String field, String id) {
        try {
            return hosts.get(UUID.fromString(id));
        } catch (IllegalArgumentException | NotFoundException e) {
            throw new InvalidRequestException(field, "'" + id + "' is not a registered host");
        }
    }

    private List<Host> members(String field, String aggregate) {
        try {
            List<Host> members = aggregates.members(aggregate);
            if (members.isEmpty()) {
                throw new InvalidRequestException(field, "aggregate '" + aggregate + "' has no hosts");
            }
            return members;
        } catch (NotFoundException e) {
            throw new InvalidRequestException(field, "no aggregate '" + aggregate + "'");
        }
    }

    private static int countSet(String... values) {
        int n = 0;
        for (String v : values) {
            if (v != null) {
                n++;
            }
        }
        return n;
    }

}
