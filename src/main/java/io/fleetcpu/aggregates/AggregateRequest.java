package io.fleetcpu.aggregates;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** An aggregate as an operator writes it: POST names the id in the body, PUT in the path. */
@Schema(description = "An aggregate: a readable id, a description and a policy")
public record AggregateRequest(
        @Schema(
                description = "readable id: lower-case letters, digits and dashes (POST only)",
                example = "haswell-east")
        @Nullable
        String id,

        @Schema(example = "Haswell compute nodes in the east hall") @Nullable
        String description,

        @Schema(description = "the aggregate policy; left out, the default policy (goal 'migration')") @Nullable
        AggregatePolicy policy) {}
