package io.fleetcpu.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The kvm module's {@code nested} parameter on a host: whether guests there may run guests of their own. The one
 * type from the agent, which reads it from {@code /sys/module/kvm_*}/parameters/nested}, to the engine; unknown
 * when no kvm module is loaded or the host did not say. Registrations, stored facts and answers carry its
 * {@link #wireName()}.
 */
public enum NestedState {
    ENABLED, DISABLED, UNKNOWN;

    /** The word registrations and answers use: {@code enabled}, {@code disabled}, {@code unknown}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every word a registration may send. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(NestedState::wireName).toList();
    }
}
