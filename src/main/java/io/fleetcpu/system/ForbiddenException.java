package io.fleetcpu.system;

/** The credential is known but may not do this to this thing; answered 403. */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message);
    }
}
