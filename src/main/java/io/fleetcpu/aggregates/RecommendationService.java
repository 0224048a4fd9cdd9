package io.fleetcpu.aggregates;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.hosts.CpuView;
import io.fleetcpu.hosts.Host;
import io.fleetcpu.hosts.HostCpu;
import io.fleetcpu.policy.BaselineCalculator;
import io.fleetcpu.policy.BaselineRefusedException;
import io.fleetcpu.policy.CpuDescription;
import io.fleetcpu.policy.NamedCpu;
import io.fleetcpu.policy.Recommender;
import io.fleetcpu.system.ConflictException;

/** Computes an aggregate's recommended CPU from its members' stored CPUs. */
@Service
public class RecommendationService {

    /** The answer and a strong validator for it. */
    public record Answer(RecommendedCpuView view, String etag) {
    }

    private final AggregateService aggregates;
    private final Recommender recommender;

    RecommendationService(AggregateService aggregates, CpuCatalog catalog) {
        this.aggregates = aggregates;
        this.recommender = new Recommender(new BaselineCalculator(catalog));
    }

    @Transactional(readOnly = true)
    /** @param expand list every feature of the model, as libvirt's EXPAND_FEATURES form does */
    public Answer recommendedCpu(String aggregateId, boolean expand) {
        List<Host> members = aggregates.members(aggregateId);
        if (members.isEmpty()) {
            throw new ConflictException("Empty aggregate", "aggregate '" + aggregateId
                    + "' has no hosts, so no CPU can be recommended for it; register hosts into it or PUT /aggregates/"
                    + aggregateId + "/hosts/{hostId}", List.of());
        }
        try {
            List<RecommendedCpuView.HostCpuView> views = members.stream()
                    .map(h -> new RecommendedCpuView.HostCpuView(h.getHostname(), h.getId(), CpuView.of(h).wireName()))
                    .toList();
            RecommendedCpuView view = RecommendedCpuView.of(aggregateId,
                    recommender.recommend(members.stream().map(RecommendationService::namedCpu).toList(), expand), views);
            return new Answer(view, etag(view));
        } catch (BaselineRefusedException e) {
            throw new ConflictException("No common CPU", "the hosts of aggregate '" + aggregateId
                    + "' share no CPU model: " + e.getMessage(), e.conflictingHosts());
        }
    }

    /** The host's CPU in the view fleetcpu computes with: the hypervisor's when the host sent it. */
    static NamedCpu namedCpu(Host host) {
        HostCpu cpu = CpuView.cpuOf(host);
        return new NamedCpu(host.getHostname(), new CpuDescription(cpu.arch(), cpu.vendor(), cpu.model(),
                cpu.listedFeatures(), cpu.disabledFeatures()));
    }

    private static String etag(RecommendedCpuView view) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(view.toString().getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
