package io.fleetcpu.agent;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When to try again: exponential back-off from {@code initialDelay}, doubled after each failure up to
 * {@code maxDelay}, with "equal jitter" (a random point in the upper half of the delay) so that a rack of hosts
 * booting together does not hit the service in lock-step; nothing is tried after {@code deadline} from the first try.
 */
public record RetrySchedule(Duration initialDelay, Duration maxDelay, Duration deadline) {

    public RetrySchedule {
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException(
                    "--initial-delay must be longer than 0, not " + Durations.format(initialDelay));
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            maxDelay = initialDelay;
        }
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("--deadline must not be negative");
        }
    }

    /**
     * @param failures how many tries have failed so far (1 after the first)
     * @param random   uniform in [0, 1)
     */
    public Duration delayAfter(int failures, DoubleSupplier random) {
        Duration ceiling = initialDelay;
        for (int i = 1; i < failures && ceiling.compareTo(maxDelay) < 0; i++) {
            ceiling = ceiling.multipliedBy(2);
        }
        if (ceiling.compareTo(maxDelay) > 0) {
            ceiling = maxDelay;
        }
        long half = ceiling.toMillis() / 2;
        return Duration.ofMillis(ceiling.toMillis() - half + (long) (random.getAsDouble() * half));
    }
}
