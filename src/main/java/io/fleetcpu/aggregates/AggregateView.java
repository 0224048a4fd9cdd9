package io.fleetcpu.aggregates;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** An aggregate as the API shows it, with its members. */
@Schema(description = "An aggregate: a group of hosts that share one guest CPU configuration")
public record AggregateView(
        @Schema(example = "haswell-east") String id,

        @Schema(example = "Haswell compute nodes in the east hall")
        String description,

        AggregatePolicy policy,

        @Schema(description = "how many hosts are in the aggregate")
        int hostCount,

        @Schema(description = "its hosts by kind of CPU, a few named for each (GET /hosts?aggregate= lists them all)")
        List<KindView> kinds,

        Instant createdAt,
        Instant updatedAt,

        @Schema(
                description = "changes with every change of description or policy; the ETag (sent in a header, to "
                        + "send back in If-Match) changes with members too")
        long version) {

    /**
     * The strong validator of the aggregate as shown: it changes with its description, policy and hosts, and
     * differs for an aggregate deleted and created again under the same id.
     */
    public String etag() {
        return "\"" + version + "-" + Integer.toHexString(toString().hashCode()) + "\"";
    }
}
