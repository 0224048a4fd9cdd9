package io.fleetcpu.aggregates;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.hosts.CpuView;
import io.fleetcpu.hosts.GuestModels;
import io.fleetcpu.hosts.Host;
import io.fleetcpu.hosts.HostCpu;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostReport;
import io.fleetcpu.hosts.HostService;
import io.fleetcpu.policy.BaselineCalculator;
import io.fleetcpu.policy.BaselineRefusedException;
import io.fleetcpu.policy.CpuConfigRenderer;
import io.fleetcpu.policy.CpuDescription;
import io.fleetcpu.policy.GuestCpu;
import io.fleetcpu.policy.GuestFeatures;
import io.fleetcpu.policy.GuestVisibility;
import io.fleetcpu.policy.LibvirtDriver;
import io.fleetcpu.policy.NamedCpu;
import io.fleetcpu.policy.PolicyConflictException;
import io.fleetcpu.policy.PolicyHost;
import io.fleetcpu.policy.PolicyRecommendation;
import io.fleetcpu.policy.PolicyRecommender;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import io.fleetcpu.system.NotFoundException;

/** Computes an aggregate's CPU from its members' stored CPUs: under its policy, or libvirt's plain baseline. */
@Service
public class RecommendationService {

    /** The answer, the guest CPU it stands for, and a strong validator for it. */
    public record Answer(RecommendedCpuView view, GuestCpu cpu, String etag) {
    }

    /** libvirt's baseline and a strong validator for it. */
    public record BaselineAnswer(BaselineView view, String etag) {
    }

    private final AggregateService aggregates;
    private final BaselineCalculator calculator;
    private final PolicyRecommender recommender;
    private final CpuConfigRenderer renderer;
    private final CpuCatalog catalog;

    private final HostService hosts;

    private final GuestVisibility visibility;

    RecommendationService(AggregateService aggregates, HostService hosts, CpuCatalog catalog,
            GuestVisibility visibility, PolicyProperties properties) {
        this.aggregates = aggregates;
        this.hosts = hosts;
        this.catalog = catalog;
        this.visibility = visibility;
        this.calculator = new BaselineCalculator(catalog);
        this.recommender = new PolicyRecommender(catalog, visibility, Set.copyOf(properties.obsoleteModels()));
        this.renderer = new CpuConfigRenderer(catalog);
    }

    /** @param expand list every feature of a named model, as libvirt's EXPAND_FEATURES form does */
    @Transactional(readOnly = true)
    public Answer recommendedCpu(String aggregateId, boolean expand) {
        Aggregate aggregate = aggregates.find(aggregateId);
        List<Host> members = membersOf(aggregateId);
        try {
            PolicyRecommendation recommendation = recommender.recommend(
                    members.stream().map(RecommendationService::policyHost).toList(), aggregate.getPolicy(), expand);
            RecommendedCpuView view = RecommendedCpuView.of(aggregateId, AggregatePolicy.of(aggregate.getPolicy()),
                    recommendation, renderer, hostViews(members));
            return new Answer(view, recommendation.cpu(), etag(view.toString()));
        } catch (BaselineRefusedException e) {
            throw noCommonCpu(aggregateId, e);
        } catch (PolicyConflictException e) {
            throw new ConflictException("Policy cannot be met", "aggregate '" + aggregateId + "': " + e.getMessage(),
                    e.hosts());
        }
    }

    /** libvirt's exact answer for the hosts, whatever the policy, as the given libvirt driver gives it. */
    @Transactional(readOnly = true)
    public BaselineAnswer baseline(String aggregateId, boolean expand, boolean migratable, LibvirtDriver driver) {
        aggregates.find(aggregateId);
        List<Host> members = membersOf(aggregateId);
        try {
            List<NamedCpu> cpus = members.stream()
                    .map(h -> new NamedCpu(h.getHostname(), CpuView.cpuOf(h).description())).toList();
            BaselineView view = BaselineView.of(aggregateId, calculator.baseline(cpus, expand, migratable, driver),
                    expand, migratable, driver, hostViews(members));
            return new BaselineAnswer(view, etag(view.toString()));
        } catch (BaselineRefusedException e) {
            throw noCommonCpu(aggregateId, e);
        }
    }

    /** The recommended CPU in one consumer's form. */
    public String render(Answer answer, OutputFormat format, String modelName) {
        try {
            return switch (format) {
                case JSON -> throw new IllegalArgumentException("JSON is the answer itself");
                case LIBVIRT -> answer.view().libvirtXml();
                case NOVA_CONF -> answer.view().novaConf();
                case QEMU -> renderer.qemuCpuArgument(answer.cpu()) + "\n";
                case KUBEVIRT -> answer.view().kubevirt();
                case CPU_MAP -> renderer.cpuMapModel(answer.cpu(), modelName != null ? modelName
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
        JSON, LIBVIRT, NOVA_CONF, QEMU, KUBEVIRT, CPU_MAP;

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

    private List<Host> membersOf(String aggregateId) {
        List<Host> members = aggregates.members(aggregateId);
        if (members.isEmpty()) {
            throw new ConflictException("Empty aggregate", "aggregate '" + aggregateId
                    + "' has no hosts, so no CPU can be recommended for it; register hosts into it or PUT /aggregates/"
                    + aggregateId + "/hosts/{hostId}", List.of());
        }
        return members;
    }

    private static ConflictException noCommonCpu(String aggregateId, BaselineRefusedException e) {
        return new ConflictException("No common CPU", "the hosts of aggregate '" + aggregateId
                + "' share no CPU model: " + e.getMessage(), e.conflictingHosts());
    }

    private static List<RecommendedCpuView.HostCpuView> hostViews(List<Host> members) {
        return members.stream()
                .map(h -> new RecommendedCpuView.HostCpuView(h.getHostname(), h.getId(), CpuView.of(h).wireName()))
                .toList();
    }

    static PolicyHost policyHost(Host host) {
        return policyHost(host.facts());
    }

    static PolicyHost policyHost(HostFacts host) {
        HostCpu cpu = host.cpu();
        HostCpu hypervisor = host.hypervisorCpu();
        GuestModels models = host.guestModels();
        String signature = cpu.signature() == null ? null
                : cpu.signature().family() + "/" + cpu.signature().model() + "/" + cpu.signature().stepping();
        PolicyHost.NestedState nested = switch (host.kernel().nested()) {
            case "enabled" -> PolicyHost.NestedState.ENABLED;
            case "disabled" -> PolicyHost.NestedState.DISABLED;
            default -> PolicyHost.NestedState.UNKNOWN;
        };
        return new PolicyHost(host.hostname(), cpu.description(), hypervisor == null ? null : hypervisor.description(),
                cpu.microcode(), signature, nested, models == null ? null : models.usableModels(),
                models == null || models.supportedModes() == null ? null : models.supportedModes().stream()
                        .map(RecommendationService::mode).filter(java.util.Objects::nonNull)
                        .collect(Collectors.toSet()));
    }

    private static GuestCpu.Mode mode(String libvirtName) {
        for (GuestCpu.Mode mode : GuestCpu.Mode.values()) {
            if (mode.libvirtName().equals(libvirtName)) {
                return mode;
            }
        }
        return null;
    }

    /**
     * The aggregate's guest CPU if its hosts were these, under its policy; empty when none could be recommended
     * (no hosts, no common model, a policy that cannot be met), with the reason.
     */
    @Transactional(readOnly = true)
    public GuestCpuOutcome guestCpu(String aggregateId, List<HostFacts> hosts) {
        if (hosts.isEmpty()) {
            return new GuestCpuOutcome(null, "no hosts");
        }
        try {
            return new GuestCpuOutcome(recommender.recommend(hosts.stream().map(RecommendationService::policyHost)
                    .toList(), aggregates.find(aggregateId).getPolicy(), false).cpu(), null);
        } catch (BaselineRefusedException | PolicyConflictException e) {
            return new GuestCpuOutcome(null, e.getMessage());
        }
    }

    /** What the change a request describes would do; refuses it whole, naming each wrong entry. */
    @Transactional(readOnly = true)
    public WhatIfView whatIf(String aggregateId, WhatIfRequest request) {
        Set<UUID> members = aggregates.members(aggregateId).stream().map(Host::getId).collect(Collectors.toSet());
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
            try {
                added.add(hosts.preview(reports.get(i)));
            } catch (InvalidRequestException e) {
                String prefix = "addReports[" + i + "].";
                e.problems().forEach(p -> problems.add(new FieldProblem(prefix + p.field(), p.problem())));
            }
        }
        Set<UUID> removed = new java.util.HashSet<>();
        List<String> removeIds = request.removeHosts() == null ? List.of() : request.removeHosts();
        for (int i = 0; i < removeIds.size(); i++) {
            UUID id = uuidOrNull(removeIds.get(i));
            if (id == null || !members.contains(id)) {
                problems.add(new FieldProblem("removeHosts[" + i + "]", "'" + removeIds.get(i)
                        + "' is not a host of aggregate '" + aggregateId + "'"));
            } else {
                removed.add(id);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return whatIf(aggregateId, added, removed);
    }

    private static UUID uuidOrNull(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * What adding and removing hosts would do to the aggregate's recommended CPU. Nothing is written.
     *
     * @param added hosts that would join, as their facts
     */
    WhatIfView whatIf(String aggregateId, List<HostFacts> added, Set<UUID> removed) {
        List<HostFacts> now = aggregates.members(aggregateId).stream().map(Host::facts).toList();
        List<HostFacts> after = new ArrayList<>(now.stream().filter(h -> !removed.contains(h.id())).toList());
        for (HostFacts host : added) {
            after.removeIf(h -> h.id().equals(host.id()));
            after.add(host);
        }
        GuestCpuOutcome before = guestCpu(aggregateId, now);
        GuestCpuOutcome then = guestCpu(aggregateId, after);
        FeatureSet featuresBefore = before.cpu() == null ? null : GuestFeatures.of(before.cpu(), catalog).orElse(null);
        FeatureSet featuresAfter = then.cpu() == null ? null : GuestFeatures.of(then.cpu(), catalog).orElse(null);
        List<String> gained = featuresBefore == null || featuresAfter == null ? List.of()
                : catalog.featureNames(featuresAfter.minus(featuresBefore));
        List<String> lost = featuresBefore == null || featuresAfter == null ? List.of()
                : catalog.featureNames(featuresBefore.minus(featuresAfter));
        List<RecommendedCpuView.BelowBaseline> blocking = new ArrayList<>();
        for (HostFacts host : after) {
            List<String> missing = missingOn(before, host);
            if (!missing.isEmpty()) {
                blocking.add(new RecommendedCpuView.BelowBaseline(host.hostname(), missing));
            }
        }
        return new WhatIfView(aggregateId, side(now, before), side(after, then), gained, lost, blocking);
    }

    private static WhatIfView.Side side(List<HostFacts> hosts, GuestCpuOutcome outcome) {
        GuestCpu cpu = outcome.cpu();
        return new WhatIfView.Side(hosts.stream().map(HostFacts::hostname).toList(), outcome.describe(),
                cpu == null ? null : cpu.mode().libvirtName(), cpu == null ? null : cpu.model(),
                cpu == null ? List.of() : cpu.features().stream()
                        .map(f -> new RecommendedCpuView.Feature(f.name(), f.policy().libvirtName())).toList());
    }

    /** The features of a guest CPU the host cannot give: guests with it could not migrate onto the host. */
    public List<String> missingOn(GuestCpuOutcome guest, HostFacts host) {
        if (guest.cpu() == null) {
            return List.of();
        }
        try {
            FeatureSet visible = calculator.expand(host.guestView(visibility).cpu());
            return GuestFeatures.missingOn(guest.cpu(), catalog.featureNames(visible), catalog);
        } catch (BaselineRefusedException e) {
            // A host the catalog cannot read (unknown model or feature) is judged on the features it does know.
            return GuestFeatures.missingOn(guest.cpu(), host.effectiveCpu().features(), catalog);
        }
    }

    /** A guest CPU, or why there is none. */
    public record GuestCpuOutcome(GuestCpu cpu, String whyNone) {

        public String describe() {
            return cpu != null ? GuestFeatures.describe(cpu) : "none (" + whyNone + ")";
        }
    }


    private static String etag(String representation) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(representation.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
