package io.fleetcpu.hosts.internal;

import io.fleetcpu.policy.NestedState;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.jspecify.annotations.Nullable;

/**
 * The {@code nested} column of {@code cpu_kind} holds the state's word ({@link NestedState#wireName()}:
 * {@code enabled}, {@code disabled}, {@code unknown}), as it always has; the entity holds the state. The one place
 * that column's word is converted, both ways (also for {@link CpuKinds#store}'s insert).
 */
@Converter
class NestedStateColumn implements AttributeConverter<NestedState, String> {

    @Override
    public @Nullable String convertToDatabaseColumn(@Nullable NestedState state) {
        return word(state);
    }

    @Override
    public @Nullable NestedState convertToEntityAttribute(@Nullable String word) {
        return word == null ? null : NestedState.fromWireName(word);
    }

    /** The column's word for a state (null for null). */
    static @Nullable String word(@Nullable NestedState state) {
        return state == null ? null : state.wireName();
    }
}
