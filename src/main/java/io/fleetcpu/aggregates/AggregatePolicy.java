package io.fleetcpu.aggregates;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonValue;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How an aggregate trades performance against live migration.
 *
 * @param goal {@code migration}: a named model every host runs, so guests migrate anywhere in the aggregate
 */
@Schema(description = "How the aggregate trades guest CPU performance against live migration")
public record AggregatePolicy(@Schema(description = "what the recommendation optimises for", example = "migration") Goal goal) {

    public static final AggregatePolicy DEFAULT = new AggregatePolicy(Goal.MIGRATION);

    /** The trade-off the recommendation is made for. */
    public enum Goal {
        MIGRATION("migration");

        private final String wireName;

        Goal(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        static Goal fromWireName(String name) {
            return Arrays.stream(values()).filter(g -> g.wireName.equals(name)).findFirst().orElse(null);
        }
    }
}
