package io.fleetcpu.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The kvm module's {@code nested} parameter on a host: whether guests there may run guests of their own. The one
 * type from the agent, which reads it from {@code /sys/module/kvm_*}/parameters/nested}, to the engine and back out
 * in answers; unknown when no kvm module is loaded or the host did not say. Outside Java it is always its
 * {@link #wireName()}, converted once at each boundary: JSON written by Jackson ({@link JsonValue}: the agent's
 * registration, the hosts' and recommendations' answers), the registration the service reads
 * ({@code hosts.internal.HostReportReader}, which names a wrong word as a field of a 422), the {@code nested} column of
 * {@code cpu_kind} ({@code hosts.internal.NestedStateColumn}) and the facts a drift event records.
 */
public enum NestedState {
    ENABLED,
    DISABLED,
    UNKNOWN;

    /** The word registrations, answers and stored facts use: {@code enabled}, {@code disabled}, {@code unknown}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every word a registration may send. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(NestedState::wireName).toList();
    }

    /**
     * The state a word names.
     *
     * @throws IllegalArgumentException when the word is not one of {@link #wireNames()}
     */
    public static NestedState fromWireName(String word) {
        for (NestedState state : values()) {
            if (state.wireName().equals(word)) {
                return state;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not one of " + wireNames());
    }
}
