package io.fleetcpu.agent;

/**
 * A fact about this host could not be read (a file under /proc or /sys, or libvirt). The message is one line an
 * operator can act on: what was read, where, and why it failed.
 */
public class CollectionException extends RuntimeException {

    public CollectionException(String message) {
        super(message);
    }

    public CollectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
