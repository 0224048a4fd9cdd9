package io.fleetcpu.hosts.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

/**
 * A host's place in one aggregate, and who put it there: its agent's registrations change only the memberships they
 * made; an operator's stay until an operator removes them.
 */
@Embeddable
record Membership(
        @Column(name = "aggregate_id") String aggregateId,

        @Enumerated(EnumType.STRING) @Column(name = "added_by")
        AddedBy addedBy)
        implements Comparable<Membership> {

    /** Stored by these names in aggregate_host.added_by. */
    enum AddedBy {
        agent,
        operator
    }

    /** By aggregate: memberships are written (and their aggregates' counts locked) in one order by everyone. */
    @Override
    public int compareTo(Membership other) {
        int byAggregate = aggregateId.compareTo(other.aggregateId);
        return byAggregate != 0 ? byAggregate : addedBy.compareTo(other.addedBy);
    }
}
