package io.fleetcpu.aggregates;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.hosts.AdmissionCheck;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.policy.GuestFeatures;

/**
 * A host is below its aggregate's baseline when the CPU the aggregate's other hosts run has features this host
 * lacks: guests running there could not migrate onto it. Registration still succeeds; the answer says so.
 */
@Component
class MigrationAdmission implements AdmissionCheck {

    private final AggregateService aggregates;
    private final RecommendationService recommendations;
    private final CpuCatalog catalog;

    MigrationAdmission(AggregateService aggregates, RecommendationService recommendations, CpuCatalog catalog) {
        this.aggregates = aggregates;
        this.recommendations = recommendations;
        this.catalog = catalog;
    }

    @Override
    @Transactional(readOnly = true)
    public List<BelowBaseline> check(HostFacts host, List<String> aggregateIds) {
        List<BelowBaseline> below = new ArrayList<>();
        for (String aggregateId : aggregateIds) {
            List<HostFacts> others = aggregates.members(aggregateId).stream().map(h -> h.facts())
                    .filter(h -> !h.id().equals(host.id())).toList();
            RecommendationService.GuestCpuOutcome theirs = recommendations.guestCpu(aggregateId, others);
            if (theirs.cpu() == null) {
                continue;
            }
            GuestFeatures.of(theirs.cpu(), catalog).ifPresent(guest -> {
                FeatureSet missing = guest.minus(catalog.featureSet(known(host)));
                if (!missing.isEmpty()) {
                    below.add(new BelowBaseline(aggregateId, theirs.describe(), catalog.featureNames(missing)));
                }
            });
        }
        return below;
    }

    private List<String> known(HostFacts host) {
        return host.effectiveCpu().features().stream().filter(f -> catalog.feature(f).isPresent()).toList();
    }
}
