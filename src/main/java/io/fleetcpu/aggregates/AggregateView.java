package io.fleetcpu.aggregates;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An aggregate as the API shows it, with its members. */
public record AggregateView(
        String id,
        String description,
        AggregatePolicy policy,
        List<Member> hosts,
        Instant createdAt,
        Instant updatedAt) {

    /** A host in the aggregate. */
    public record Member(UUID id, String hostname) {
    }
}
