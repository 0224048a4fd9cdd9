package io.fleetcpu.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Agents boot together: many hosts registering at once into an aggregate that does not exist yet all get in. */
class ConcurrentRegistrationApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";

    @Test
    void hostsBootingTogetherIntoANewAggregateAllRegister() throws Exception {
        int hosts = 16;
        ExecutorService pool = Executors.newFixedThreadPool(hosts);
        try {
            List<Callable<Answer>> registrations = new ArrayList<>();
            for (int i = 0; i < hosts; i++) {
                String uuid = String.format("00000000-0000-4000-8000-%012d", i + 1);
                String name = "boot-" + i;
                int n = i;
                registrations.add(() ->
                        post("/hosts", registration(uuid, name, List.of("rack-7", "new-" + (n % 2)), HASWELL)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Answer> answer : pool.invokeAll(registrations)) {
                statuses.add(answer.get().status());
            }
            assertThat(statuses).as("every registration answered 201").containsOnly(201);
        } finally {
            pool.shutdownNow();
        }
        // All of one kind of CPU: counted right although every registration changed the counts at once.
        JsonNode rack = get("/aggregates/rack-7").json();
        assertThat(rack.get("hostCount").asInt()).isEqualTo(hosts);
        assertThat(rack.get("kinds")).hasSize(1);
        assertThat(rack.get("kinds").get(0).get("hosts").asInt()).isEqualTo(hosts);
        assertThat(memberIds("rack-7")).hasSize(hosts);
        assertThat(get("/aggregates/new-0").json().get("hostCount").asInt()).isEqualTo(hosts / 2);
        assertThat(memberIds("new-0")).hasSize(hosts / 2);
        assertThat(get("/aggregates/rack-7").json().get("policy").get("goal").asString())
                .isEqualTo("migration");
    }
}
