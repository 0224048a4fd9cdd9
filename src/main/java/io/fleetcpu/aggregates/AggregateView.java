package io.fleetcpu.aggregates;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** An aggregate as the API shows it, with its members. */
@Schema(description = "An aggregate: a group of hosts that share one guest CPU configuration")
public record AggregateView(
        @Schema(example = "haswell-east") String id,
        @Schema(example = "Haswell compute nodes in the east hall") String description,
        AggregatePolicy policy,
        @Schema(description = "the hosts in the aggregate, by hostname") List<Member> hosts,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "changes with every change of description or policy; the ETag (sent in a header, to "
                + "send back in If-Match) changes with members too") long version) {

    /**
     * The strong validator of the aggregate as shown: it changes with its description, policy and members, and
     * differs for an aggregate deleted and created again under the same id.
     */
    public String etag() {
        return "\"" + version + "-" + Integer.toHexString(toString().hashCode()) + "\"";
    }

    /** A host in the aggregate. */
    @Schema(name = "AggregateMember", description = "A host in the aggregate; GET /hosts/{id} has the rest")
    public record Member(@Schema(description = "libvirt's host UUID") UUID id, @Schema(example = "compute-17") String hostname) {
    }
}
