package io.fleetcpu.aggregates;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.hosts.CpuView;
import io.fleetcpu.hosts.GuestModels;
import io.fleetcpu.hosts.Host;
import io.fleetcpu.hosts.HostCpu;
import io.fleetcpu.policy.BaselineCalculator;
import io.fleetcpu.policy.BaselineRefusedException;
import io.fleetcpu.policy.CpuConfigRenderer;
import io.fleetcpu.policy.CpuDescription;
import io.fleetcpu.policy.GuestCpu;
import io.fleetcpu.policy.NamedCpu;
import io.fleetcpu.policy.PolicyConflictException;
import io.fleetcpu.policy.PolicyHost;
import io.fleetcpu.policy.PolicyRecommendation;
import io.fleetcpu.policy.PolicyRecommender;
import io.fleetcpu.system.ConflictException;

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

    RecommendationService(AggregateService aggregates, CpuCatalog catalog, PolicyProperties properties) {
        this.aggregates = aggregates;
        this.calculator = new BaselineCalculator(catalog);
        this.recommender = new PolicyRecommender(catalog, java.util.Set.copyOf(properties.obsoleteModels()));
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

    /** libvirt's exact answer for the hosts, whatever the policy. */
    @Transactional(readOnly = true)
    public BaselineAnswer baseline(String aggregateId, boolean expand, boolean migratable) {
        aggregates.find(aggregateId);
        List<Host> members = membersOf(aggregateId);
        try {
            List<NamedCpu> cpus = members.stream()
                    .map(h -> new NamedCpu(h.getHostname(), description(CpuView.cpuOf(h)))).toList();
            BaselineView view = BaselineView.of(aggregateId, calculator.baseline(cpus, expand, migratable), expand,
                    migratable, hostViews(members));
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
            throw new ConflictException("Not expressible in this format", "the recommendation for aggregate '"
                    + answer.view().aggregate() + "' (" + answer.view().mode() + ") cannot be written as "
                    + format.wireName() + ": " + e.getMessage(), List.of());
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
        HostCpu cpu = host.getCpu();
        HostCpu hypervisor = host.getHypervisorCpu();
        GuestModels models = host.getGuestModels();
        String signature = cpu.signature() == null ? null
                : cpu.signature().family() + "/" + cpu.signature().model() + "/" + cpu.signature().stepping();
        PolicyHost.NestedState nested = switch (host.getKernel().nested()) {
            case "enabled" -> PolicyHost.NestedState.ENABLED;
            case "disabled" -> PolicyHost.NestedState.DISABLED;
            default -> PolicyHost.NestedState.UNKNOWN;
        };
        return new PolicyHost(host.getHostname(), description(cpu), hypervisor == null ? null : description(hypervisor),
                cpu.microcode(), signature, nested, models == null ? null : models.usableModels());
    }

    private static CpuDescription description(HostCpu cpu) {
        return new CpuDescription(cpu.arch(), cpu.vendor(), cpu.model(), cpu.listedFeatures(), cpu.disabledFeatures());
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
