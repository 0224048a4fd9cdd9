package io.fleetcpu.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Registrations racing each other and the operator: every answer is 2xx, never a 5xx or a 404 for a host that was
 * stored; every host answered 2xx is there; and the counts the database keeps agree with the memberships.
 */
class RegistrationRacesApiTest extends ApiTest {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final int RACERS = 16;
    private static final int ROUNDS = 5;

    private static List<Integer> statuses(List<Answer> answers) {
        return answers.stream().map(Answer::status).toList();
    }

    @Test
    void reRegistrationsWithAlternatingCpusAllSucceed() throws Exception {
        String id = UUID.randomUUID().toString();
        assertThat(post("/hosts", registration(id, "flipper", List.of("flip"), HASWELL))
                        .status())
                .isEqualTo(201);
        for (int round = 0; round < ROUNDS; round++) {
            List<Callable<Answer>> reports = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                Map<String, Object> body =
                        registration(id, "flipper", List.of("flip"), i % 2 == 0 ? HASWELL : IVY_BRIDGE);
                reports.add(() -> post("/hosts", body));
            }
            assertThat(statuses(race(reports))).as("round %d", round).containsOnly(200);
        }
        assertKeptCountsAgree();
        assertThat(get("/aggregates/flip").json().path("hostCount").asInt()).isEqualTo(1);
    }

    @Test
    void hostsNamingTheSameNewAggregatesInDifferentOrdersAllRegister() throws Exception {
        Random random = new Random(20261130);
        for (int round = 0; round < ROUNDS; round++) {
            List<String> aggregates = new ArrayList<>();
            for (int a = 0; a < 6; a++) {
                aggregates.add("order-" + round + "-" + a);
            }
            List<Callable<Answer>> reports = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                List<String> named = new ArrayList<>(aggregates);
                Collections.shuffle(named, random);
                String id = UUID.randomUUID().toString();
                ids.add(id);
                Map<String, Object> body =
                        registration(id, "host-" + round + "-" + i, named, i % 2 == 0 ? HASWELL : IVY_BRIDGE);
                reports.add(() -> post("/hosts", body));
            }
            assertThat(statuses(race(reports))).as("round %d", round).containsOnly(201);
            for (String aggregate : aggregates) {
                assertThat(memberIds(aggregate)).as(aggregate).containsExactlyInAnyOrderElementsOf(ids);
            }
        }
        assertKeptCountsAgree();
    }

    /**
     * An aggregate deleted while its hosts register into it: each registration lands before the delete (the host stays,
     * without the aggregate) or after it (the registration creates the aggregate again). Never a 5xx, never a 404
     * for a host that was stored: the agent takes a 404 as final.
     */
    @Test
    void registeringIntoAnAggregateBeingDeletedSucceeds() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String aggregate = "doomed-" + round;
            List<String> ids = new ArrayList<>();
            List<Callable<Answer>> requests = new ArrayList<>();
            List<Integer> deletes = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                Map<String, Object> body = registration(
                        id, "doomed-" + round + "-" + i, List.of(aggregate), i % 2 == 0 ? HASWELL : IVY_BRIDGE);
                if (i < RACERS / 2) {
                    // half of them are members already: their second registration races the delete
                    assertThat(post("/hosts", body).status()).isEqualTo(201);
                }
                requests.add(() -> post("/hosts", body));
                if (i % 4 == 3) {
                    deletes.add(requests.size());
                    requests.add(() -> delete("/aggregates/" + aggregate));
                }
            }
            List<Answer> answers = race(requests);
            for (int i = 0; i < answers.size(); i++) {
                Answer answer = answers.get(i);
                // Every registration is 2xx; only a DELETE may be 404 (another one deleted the aggregate first).
                List<Integer> allowed = deletes.contains(i) ? List.of(204, 404) : List.of(200, 201);
                assertThat(answer.status())
                        .as("round %d request %d: %s", round, i, answer.body())
                        .isIn(allowed);
            }
            for (String id : ids) {
                assertThat(get("/hosts/" + id).status()).as("host %s", id).isEqualTo(200);
            }
        }
        assertKeptCountsAgree();
    }
}
