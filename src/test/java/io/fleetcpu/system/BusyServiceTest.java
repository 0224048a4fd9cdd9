package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When every computation turn is taken, a request that needs a computation is told to come back (503 with
 * Retry-After, as problem+json) after a short wait, while health checks and answers already computed are served at
 * once: a burst of heavy requests cannot take the service down with it.
 */
class BusyServiceTest {

    @Test
    void aRequestThatMustComputeGets503WhileCachedAnswersAndHealthAreServed() throws Exception {
        try (RunningService service = RunningService.start(
                "--fleetcpu.embedded-postgres.data-directory=target/test-postgres/busy-" + System.nanoTime(),
                "--fleetcpu.embedded-postgres.clean=true",
                "--fleetcpu.compute.concurrency=1",
                "--fleetcpu.compute.max-wait=300ms")) {
            String uuid = "00000000-0000-4000-8000-00000000b051";
            HttpResponse<String> registered = service.post(
                    "/hosts",
                    "{\"hostname\": \"busy-1\", \"aggregates\": "
                            + "[\"east\"], \"capabilitiesXml\": "
                            + json(RunningService.capabilities(
                                    uuid, "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml"))
                            + "}");
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            HttpResponse<String> cached = service.get("/aggregates/east/recommended-cpu");
            assertThat(cached.statusCode()).isEqualTo(200);

            ComputeGate gate = service.context().getBean(ComputeGate.class);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> busy = CompletableFuture.runAsync(() -> gate.run(() -> {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            try {
                assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

                HttpResponse<String> refused = service.get("/groupings");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(refused.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(refused.body()).contains("try again shortly");

                assertThat(service.get("/actuator/health").statusCode()).isEqualTo(200);
                HttpResponse<String> again = service.get("/aggregates/east/recommended-cpu");
                assertThat(again.statusCode()).as("an answer computed before").isEqualTo(200);
                assertThat(again.body()).isEqualTo(cached.body());
            } finally {
                release.countDown();
                busy.get(10, TimeUnit.SECONDS);
            }
            assertThat(service.get("/groupings").statusCode())
                    .as("once the turn is free")
                    .isEqualTo(200);
        }
    }

    private static String json(String text) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(text);
    }
}
