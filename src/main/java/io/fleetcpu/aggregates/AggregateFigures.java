package io.fleetcpu.aggregates;

import io.fleetcpu.aggregates.internal.AggregateVersion;
import io.fleetcpu.policy.PolicyRecommendation;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.NotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The numbers a dashboard graphs of each aggregate, read from the recommended-cpu answers the service keeps (the same
 * answers {@code GET /aggregates/{id}/recommended-cpu} gives): hosts, hosts below baseline, features given up, nested
 * readiness. Each aggregate's figures are kept with the versions they were read for, so that reading them again costs
 * one statement for all versions and nothing per unchanged aggregate, however few answers the answers' cache holds;
 * an aggregate that changed has its answer read from that cache, or computed once as a first request would.
 */
@Service
public class AggregateFigures {

    /**
     * One aggregate's figures. When no CPU can be recommended (no hosts, no common model, a policy that cannot be
     * met), {@code answered} is false, {@code hosts} still counts its hosts, and the figures of the answer are 0.
     *
     * @param hostsBelowBaseline hosts that lack features every other host of the aggregate has
     * @param featuresGivenUp features some hosts have that the guest CPU leaves out
     * @param nestedProvided whether guests get vmx/svm
     * @param nestedReadyHosts hosts with the flag and nested enabled in their kvm module
     * @param nestedHostsToFix hosts with the flag whose kvm module does not (or may not) allow nesting
     * @param version changes with everything the aggregate's answers depend on (its policy, members and their kinds)
     * @param cpu the recommended guest CPU; null when none can be recommended
     */
    public record Figures(
            String aggregate,
            String version,
            @Nullable GuestCpu cpu,
            boolean answered,
            int hosts,
            int hostsBelowBaseline,
            int featuresGivenUp,
            boolean nestedProvided,
            int nestedReadyHosts,
            int nestedHostsToFix) {}

    /** The first aggregates by id, and how many there are in all. */
    public record Fleet(List<Figures> aggregates, long total) {}

    /** How often the service's answers were kept already (hits) and how often computed (misses), since its start. */
    public record AnswerCounts(long hits, long misses) {}

    /** The figures of an aggregate as of its versions. */
    private record Kept(AggregateVersion version, Figures figures) {}

    private final AggregateService aggregates;
    private final RecommendationService recommendations;
    /** At most the aggregates of the last read: those of earlier reads that are gone are dropped. */
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    AggregateFigures(AggregateService aggregates, RecommendationService recommendations) {
        this.aggregates = aggregates;
        this.recommendations = recommendations;
    }

    /**
     * The figures of the first {@code limit} aggregates by id: one statement for their versions, then each answer
     * from the kept answers (computed when missing). Reading them is not counted as a hit of the answers' cache.
     */
    public Fleet figures(int limit) {
        List<Figures> figures = new ArrayList<>();
        Set<String> read = new HashSet<>();
        for (AggregateVersion version : aggregates.versions(limit)) {
            Kept last = kept.get(version.aggregate());
            Figures current = last != null && last.version().equals(version) ? last.figures() : figures(version);
            kept.put(version.aggregate(), new Kept(version, current));
            figures.add(current);
            read.add(version.aggregate());
        }
        kept.keySet().retainAll(read);
        return new Fleet(figures, aggregates.count());
    }

    private Figures figures(AggregateVersion version) {
        String versionText = version.created().toEpochMilli() + "/" + version.policy() + "/" + version.members();
        RecommendationService.Answer answer;
        try {
            answer = recommendations.recommendedCpuForMetrics(version);
        } catch (ConflictException refused) {
            // No CPU for it (no hosts, no common model, a policy that cannot be met): its hosts are still counted.
            return new Figures(
                    version.aggregate(),
                    versionText,
                    null,
                    false,
                    aggregates.hostCount(version.aggregate()),
                    0,
                    0,
                    false,
                    0,
                    0);
        } catch (NotFoundException gone) {
            return new Figures(version.aggregate(), versionText, null, false, 0, 0, 0, false, 0, 0);
        }
        RecommendedCpuView view = answer.view();
        PolicyRecommendation.NestedReport nested = view.nested();
        return new Figures(
                version.aggregate(),
                versionText,
                answer.cpu(),
                true,
                view.hostCount(),
                hostsOf(
                        view,
                        view.belowBaseline().stream()
                                .map(RecommendedCpuView.BelowBaseline::host)
                                .toList()),
                view.reasons() == null ? 0 : view.reasons().featuresLeftOut().size(),
                nested != null && nested.provided(),
                nested == null ? 0 : hostsOf(view, nested.readyHosts()),
                nested == null ? 0 : nested.hostsToFixCount());
    }

    /** The hosts of the kinds an answer names (it names each kind of CPU by its first host). */
    private static int hostsOf(RecommendedCpuView view, Collection<String> kindNames) {
        Set<String> names = Set.copyOf(kindNames);
        return view.kinds().stream()
                .filter(k -> names.contains(k.name()))
                .mapToInt(KindView::hosts)
                .sum();
    }

    /** Requests for recommended-cpu answers ({@code baseline} false) or libvirt's baseline ({@code true}). */
    public AnswerCounts answerCounts(boolean baseline) {
        return recommendations.answerCounts(baseline);
    }
}
