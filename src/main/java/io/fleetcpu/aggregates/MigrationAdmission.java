package io.fleetcpu.aggregates;

import io.fleetcpu.hosts.AdmissionCheck;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.system.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * A host is below its aggregate's baseline when the CPU the aggregate's other hosts run has features this host
 * lacks: guests running there could not migrate onto it. Registration still succeeds; the answer says so. Computed
 * over the other hosts' kinds of CPU, so that it costs the same in an aggregate of ten hosts or of a hundred thousand,
 * and nothing at all when the aggregate already had the host's kind.
 */
@Component
class MigrationAdmission implements AdmissionCheck {

    private final GuestCpuService guestCpus;

    MigrationAdmission(GuestCpuService guestCpus) {
        this.guestCpus = guestCpus;
    }

    @Override
    public List<BelowBaseline> check(HostFacts host, List<String> aggregateIds) {
        List<BelowBaseline> below = new ArrayList<>();
        String kind = host.kind().id();
        for (String aggregateId : aggregateIds) {
            try {
                guestCpus.belowBaseline(aggregateId, host, kind).ifPresent(below::add);
            } catch (NotFoundException deletedMeanwhile) {
                // The aggregate went after the host's memberships were read: it has no guests left to admit.
            }
        }
        return below;
    }
}
