package io.fleetcpu.agent;

import java.time.Duration;

/** Waits between tries; tests pass one that only moves a fake clock forward. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
