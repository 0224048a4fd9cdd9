package io.fleetcpu.system;

/** The client changed something it last saw at another version (If-Match did not match); answered 412. */
public class PreconditionFailedException extends RuntimeException {

    public PreconditionFailedException(String message) {
        super(message);
    }
}
