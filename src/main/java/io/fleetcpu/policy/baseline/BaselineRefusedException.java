package io.fleetcpu.policy.baseline;

import java.util.List;

/** The hosts have no common CPU baseline (or one of them cannot be read); the message is for an operator. */
public class BaselineRefusedException extends RuntimeException {

    public enum Reason {
        NO_HOSTS,
        UNSUPPORTED_ARCH,
        MIXED_ARCH,
        MISSING_MODEL,
        UNKNOWN_MODEL,
        UNKNOWN_FEATURE,
        UNKNOWN_VENDOR,
        VENDOR_MISMATCH,
        INCOMPATIBLE,
        NO_SUITABLE_MODEL
    }

    private final Reason reason;
    private final List<String> conflictingHosts;

    public BaselineRefusedException(Reason reason, String message, List<String> conflictingHosts) {
        super(message);
        this.reason = reason;
        this.conflictingHosts = List.copyOf(conflictingHosts);
    }

    public Reason reason() {
        return reason;
    }

    /** The hosts the refusal is about, in input order without repeats. */
    public List<String> conflictingHosts() {
        return conflictingHosts;
    }
}
