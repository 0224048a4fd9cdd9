package io.fleetcpu.policy.migration;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A CPU the check cannot judge, where libvirt refuses the same input with an error instead of a verdict: an unknown
 * model or feature, or a definition libvirt's parser rejects.
 */
public class MigrationCheckRefusedException extends RuntimeException {

    public enum Reason {
        /** a model the catalog does not know (libvirt: "Unknown CPU model X") */
        UNKNOWN_MODEL,
        /** a feature the catalog does not know (libvirt: "Unknown CPU feature X") */
        UNKNOWN_FEATURE,
        /** a definition libvirt's XML parser rejects, e.g. features without a model */
        INVALID_DEFINITION,
        /** a target host the catalog cannot describe (not x86) */
        UNSUPPORTED_ARCH
    }

    private final Reason reason;
    private final @Nullable String libvirtMessage;

    public MigrationCheckRefusedException(Reason reason, String message, @Nullable String libvirtMessage) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.libvirtMessage = libvirtMessage;
    }

    public Reason reason() {
        return reason;
    }

    /** libvirt's own words for the same refusal (without its "internal error: " or "XML error: " prefix), or null. */
    public @Nullable String libvirtMessage() {
        return libvirtMessage;
    }
}
