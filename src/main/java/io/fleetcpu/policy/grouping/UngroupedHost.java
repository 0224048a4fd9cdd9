package io.fleetcpu.policy.grouping;

import org.jspecify.annotations.Nullable;

/**
 * A host no domain can take: libvirt refuses its CPU (unknown model or feature, not x86, ...) or it was listed twice.
 *
 * @param reason  {@link io.fleetcpu.policy.baseline.BaselineRefusedException.Reason} name, or {@code DUPLICATE_HOST}
 * @param message what is wrong, for an operator
 */
public record UngroupedHost(
        String host, String reason, @Nullable String message) {

    public static final String DUPLICATE_HOST = "DUPLICATE_HOST";
}
