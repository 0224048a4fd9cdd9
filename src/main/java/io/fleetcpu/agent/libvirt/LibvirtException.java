package io.fleetcpu.agent.libvirt;

/**
 * A libvirt call failed; the message says which call on which connection and carries libvirt's own words.
 * {@link #errorCode()} is libvirt's {@code virErrorNumber}, 0 when unknown.
 */
public class LibvirtException extends RuntimeException {

    private final int errorCode;

    public LibvirtException(String message) {
        this(message, 0);
    }

    public LibvirtException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public LibvirtException(String message, Throwable cause) {
        super(message, cause);
        this.errorCode = cause instanceof LibvirtException l ? l.errorCode : 0;
    }

    public int errorCode() {
        return errorCode;
    }

    /**
     * Whether the driver does not offer the call or flag at all (e.g. the test driver has no domain capabilities
     * and refuses the migratable flag), as opposed to a call that failed on this input.
     */
    public boolean unsupportedByDriver() {
        return errorCode == LibvirtNative.VIR_ERR_NO_SUPPORT
                || errorCode == LibvirtNative.VIR_ERR_OPERATION_UNSUPPORTED
                || errorCode == LibvirtNative.VIR_ERR_ARGUMENT_UNSUPPORTED
                // virCheckFlags: "unsupported flags (0x2) in function testConnectBaselineCPU"
                || (errorCode == LibvirtNative.VIR_ERR_INVALID_ARG
                        && String.valueOf(getMessage()).contains("unsupported flags"));
    }
}
