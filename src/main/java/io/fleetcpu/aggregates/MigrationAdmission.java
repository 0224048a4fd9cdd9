package io.fleetcpu.aggregates;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.fleetcpu.hosts.AdmissionCheck;
import io.fleetcpu.hosts.HostFacts;

/**
 * A host is below its aggregate's baseline when the CPU the aggregate's other hosts run has features this host
 * lacks: guests running there could not migrate onto it. Registration still succeeds; the answer says so.
 */
@Component
class MigrationAdmission implements AdmissionCheck {

    private final AggregateService aggregates;
    private final RecommendationService recommendations;

    MigrationAdmission(AggregateService aggregates, RecommendationService recommendations) {
        this.aggregates = aggregates;
        this.recommendations = recommendations;
    }

    @Override
    @Transactional(readOnly = true)
    public List<BelowBaseline> check(HostFacts host, List<String> aggregateIds) {
        List<BelowBaseline> below = new ArrayList<>();
        for (String aggregateId : aggregateIds) {
            List<HostFacts> others = aggregates.members(aggregateId).stream().map(h -> h.facts())
                    .filter(h -> !h.id().equals(host.id())).toList();
            RecommendationService.GuestCpuOutcome theirs = recommendations.guestCpu(aggregateId, others);
            List<String> missing = recommendations.missingOn(theirs, host);
            if (!missing.isEmpty()) {
                below.add(new BelowBaseline(aggregateId, theirs.describe(), missing));
            }
        }
        return below;
    }
}
