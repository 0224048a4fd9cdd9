package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.AdmissionCheck;
import io.fleetcpu.hosts.CpuViewpoint;
import io.fleetcpu.hosts.HostDocument;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostView;
import io.fleetcpu.hosts.MigrationFactsView;
import io.fleetcpu.policy.Catalogs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** A stored host as the API shows it. */
@Component
class HostViews {

    private final Catalogs catalogs;
    private final ObjectProvider<AdmissionCheck> admission;

    HostViews(Catalogs catalogs, ObjectProvider<AdmissionCheck> admission) {
        this.catalogs = catalogs;
        this.admission = admission;
    }

    /** A host as lists show it. */
    HostView listed(Host host) {
        return of(host, null);
    }

    /** One host, flagged where its aggregates' guests could not migrate onto it. */
    HostView shown(Host host) {
        AdmissionCheck check = admission.getIfAvailable();
        return of(
                host,
                check == null
                        ? List.of()
                        : check.check(
                                host.facts(),
                                host.getAggregates().stream().sorted().toList()));
    }

    private HostView of(Host host, @Nullable List<AdmissionCheck.BelowBaseline> belowBaseline) {
        Map<String, String> documents = new LinkedHashMap<>();
        for (HostDocument kind : HostDocument.values()) {
            if (host.document(kind) != null) {
                documents.put(kind.pathName(), "/hosts/" + host.getId() + "/documents/" + kind.pathName());
            }
        }
        HostFacts facts = host.facts();
        return new HostView(
                host.getId(),
                host.getHostname(),
                host.getAggregates().stream().sorted().toList(),
                host.getAggregatesAddedByOperator().stream().sorted().toList(),
                host.getKind().getId(),
                facts.cpu(),
                facts.hypervisorCpu(),
                CpuViewpoint.of(facts).wireName(),
                facts.level(catalogs),
                facts.catalog(),
                catalogs.named(facts.catalog()).digest(),
                facts.guestModels(),
                facts.kernel(),
                facts.versions(),
                MigrationFactsView.of(facts.migration()),
                documents,
                belowBaseline,
                host.getRegisteredAt(),
                host.getUpdatedAt(),
                host.getLastSeenAt(),
                null);
    }
}
