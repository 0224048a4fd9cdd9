package io.fleetcpu.system;

import java.time.Duration;

/** Too many computations waiting: the caller should come back later (503 with Retry-After). */
public class ServiceBusyException extends RuntimeException {

    private final Duration retryAfter;

    public ServiceBusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
