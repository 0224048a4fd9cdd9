package io.fleetcpu.policy.migration;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether a guest CPU can run on (hence live-migrate to) a target host, as libvirt's {@code virConnectCompareCPU}
 * judges it.
 *
 * @param result              libvirt's verdict
 * @param missingFeatures     features the guest requires and the target lacks (catalog order, as libvirt names them)
 * @param forbiddenButPresent features the guest forbids ({@code policy='forbid'}) and the target has
 * @param reason              one sentence for an operator
 * @param cause               which check decided; {@link Cause#NONE} when compatible
 * @param extraFeatures       features the target has and the guest does not ask for: what a {@code match='strict'}
 *                            guest refuses, and what differs the other way for host-passthrough
 * @param libvirtMessage      the reason libvirt gives with {@code VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE}
 *                            (after "the CPU is incompatible with host CPU: "); null when compatible, and for
 *                            host-passthrough, which libvirt's compare does not judge
 */
public record Verdict(
        Result result,
        List<String> missingFeatures,
        List<String> forbiddenButPresent,
        String reason,
        Cause cause,
        List<String> extraFeatures,
        @Nullable String libvirtMessage) {

    /** libvirt's {@code virCPUCompareResult}, with its numbers. */
    public enum Result {
        INCOMPATIBLE(0),
        IDENTICAL(1),
        SUPERSET(2);

        private final int libvirtCode;

        Result(int libvirtCode) {
            this.libvirtCode = libvirtCode;
        }

        public int libvirtCode() {
            return libvirtCode;
        }

        public static Result ofLibvirtCode(int code) {
            for (Result r : values()) {
                if (r.libvirtCode == code) {
                    return r;
                }
            }
            throw new IllegalArgumentException("not a virCPUCompareResult: " + code);
        }
    }

    /** What made a guest incompatible, in the order libvirt checks. */
    public enum Cause {
        NONE,
        /** the target's CPU has no model (libvirt: "unknown host CPU") */
        UNKNOWN_HOST_CPU,
        /** a host-shaped CPU of another architecture */
        ARCH,
        /** the guest names a vendor the target is not */
        VENDOR,
        /** the target has a feature the guest forbids */
        FORBIDDEN_FEATURES,
        /** the target lacks a feature the guest requires */
        MISSING_FEATURES,
        /** {@code match='strict'}: the target has features the guest does not ask for */
        EXTRA_FEATURES,
        /** host-passthrough: the target's CPU is not the source's (model, vendor or features) */
        DIFFERENT_CPU
    }

    public Verdict {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(reason, "reason");
        missingFeatures = List.copyOf(missingFeatures);
        forbiddenButPresent = List.copyOf(forbiddenButPresent);
        extraFeatures = List.copyOf(extraFeatures);
        if ((result == Result.INCOMPATIBLE) != (cause != Cause.NONE)) {
            throw new IllegalArgumentException("result " + result + " with cause " + cause);
        }
    }

    /** The guest can run on the target (IDENTICAL or SUPERSET). */
    public boolean compatible() {
        return result != Result.INCOMPATIBLE;
    }
}
