package io.fleetcpu.hosts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A host as the API shows it. */
public record HostView(
        UUID id,
        String hostname,
        List<String> aggregates,
        HostCpu cpu,
        Map<String, String> documents,
        Instant registeredAt,
        Instant updatedAt) {

    static HostView of(Host host) {
        Map<String, String> documents = new LinkedHashMap<>();
        for (HostDocument kind : HostDocument.values()) {
            if (kind.content(host) != null) {
                documents.put(kind.pathName(), "/hosts/" + host.getId() + "/documents/" + kind.pathName());
            }
        }
        return new HostView(host.getId(), host.getHostname(), host.getAggregates().stream().sorted().toList(),
                HostCpu.of(host), documents, host.getRegisteredAt(), host.getUpdatedAt());
    }
}
