package io.fleetcpu.agent.libvirt;

/** A libvirt call failed; the message is libvirt's own. */
public class LibvirtException extends RuntimeException {

    public LibvirtException(String message) {
        super(message);
    }

    public LibvirtException(String message, Throwable cause) {
        super(message, cause);
    }
}
