package io.fleetcpu.system;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Bounds how many engine computations (answers not in the cache) run at once, so that a burst of heavy requests
 * cannot starve health checks, cached answers and registrations of CPU. A computation waits for its turn at most
 * {@code fleetcpu.compute.max-wait}; beyond that the caller gets 503 with Retry-After. No database connection is
 * held while a computation runs or waits here.
 */
@Component
@EnableConfigurationProperties(ComputeGate.Limits.class)
public class ComputeGate {

    /**
     * @param concurrency computations at once; 0 means one fewer than the processors (at least one)
     * @param maxWait how long a computation waits for its turn before the caller is told to come back
     */
    @ConfigurationProperties(prefix = "fleetcpu.compute")
    public record Limits(int concurrency, Duration maxWait) {

        public Limits {
            if (concurrency <= 0) {
                concurrency = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
            }
            if (maxWait == null) {
                maxWait = Duration.ofSeconds(5);
            }
        }
    }

    private final Semaphore turns;
    private final Limits limits;
    /** A computation that has its turn runs the computations it asks for within it. */
    private final ThreadLocal<Boolean> hasTurn = ThreadLocal.withInitial(() -> false);

    ComputeGate(Limits limits) {
        this.limits = limits;
        this.turns = new Semaphore(limits.concurrency(), true);
    }

    public <T> T run(Supplier<T> computation) {
        if (hasTurn.get()) {
            return computation.get();
        }
        boolean admitted;
        try {
            admitted = turns.tryAcquire(limits.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceBusyException("interrupted while waiting to compute", Duration.ofSeconds(1));
        }
        if (!admitted) {
            throw new ServiceBusyException(
                    "fleetcpu is computing " + limits.concurrency() + " answer(s) at once and "
                            + "more are waiting; try again shortly (answers already computed are served at once)",
                    Duration.ofSeconds(Math.max(1, limits.maxWait().toSeconds())));
        }
        hasTurn.set(true);
        try {
            return computation.get();
        } finally {
            hasTurn.set(false);
            turns.release();
        }
    }

    public Limits limits() {
        return limits;
    }
}
