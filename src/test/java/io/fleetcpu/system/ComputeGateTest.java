package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ComputeGateTest {

    @Test
    void aComputationBeyondTheLimitWaitsItsTurnThenIsToldToComeBack() throws Exception {
        ComputeGate gate = new ComputeGate(new ComputeGate.Limits(1, Duration.ofMillis(200)));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> gate.run(() -> {
            started.countDown();
            await(release);
            return "first";
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> gate.run(() -> "second"))
                .isInstanceOfSatisfying(
                        ServiceBusyException.class,
                        e -> assertThat(e.retryAfter()).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("it waited its turn first")
                .isGreaterThanOrEqualTo(Duration.ofMillis(150));

        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(gate.run(() -> "third")).as("the turn is free again").isEqualTo("third");
    }

    @Test
    void aComputationWithItsTurnRunsTheComputationsItAsksFor() {
        ComputeGate gate = new ComputeGate(new ComputeGate.Limits(1, Duration.ofMillis(50)));
        assertThat(gate.run(() -> gate.run(() -> "inner") + " in outer")).isEqualTo("inner in outer");
        assertThat(gate.run(() -> "after")).as("the turn is given back once").isEqualTo("after");
    }

    @Test
    void aFailedComputationGivesItsTurnBack() {
        ComputeGate gate = new ComputeGate(new ComputeGate.Limits(1, Duration.ofMillis(50)));
        assertThatThrownBy(() -> gate.run(() -> {
                    throw new IllegalStateException("engine failed");
                }))
                .hasMessage("engine failed");
        assertThat(gate.run(() -> "next")).isEqualTo("next");
    }

    @Test
    void theDefaultLeavesAProcessorForEverythingElse() {
        ComputeGate.Limits limits = new ComputeGate.Limits(0, null);
        assertThat(limits.concurrency())
                .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        assertThat(limits.maxWait()).isEqualTo(Duration.ofSeconds(5));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
