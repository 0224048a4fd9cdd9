package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import io.fleetcpu.testing.KvmKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Changes that race each other (PUT, PATCH, DELETE) answer 2xx, 404 or 412, never 500; and input a database would choke on (NUL, a missing
 * entry) is refused naming the field, with nothing written.
 */
class ConcurrentChangesApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final int RACERS = 16;
    private static final int ROUNDS = 5;

    private static List<Integer> statuses(List<Answer> answers) {
        return answers.stream().map(Answer::status).toList();
    }

    @Test
    void putsWithTheSameIfMatchHaveOneWinnerAndThe412s() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = "race-" + round;
            assertThat(put("/aggregates/" + id, Map.of("description", "start")).status())
                    .isEqualTo(201);
            String etag = get("/aggregates/" + id).header("ETag");
            List<Callable<Answer>> puts = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                Map<String, Object> body = Map.of("description", "writer " + i);
                puts.add(() -> put("/aggregates/" + id, body, "If-Match", etag));
            }
            List<Answer> answers = race(puts);
            assertThat(statuses(answers)).as("round %d", round).containsOnly(200, 412);
            assertThat(statuses(answers)).filteredOn(s -> s == 200).hasSize(1);
            String winner = answers.stream()
                    .filter(a -> a.status() == 200)
                    .findFirst()
                    .orElseThrow()
                    .json()
                    .path("description")
                    .asString();
            assertThat(get("/aggregates/" + id).json().path("description").asString())
                    .isEqualTo(winner);
        }
    }

    @Test
    void putsWithoutIfMatchAllSucceedAndOneCreates() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = "fresh-" + round;
            List<Callable<Answer>> puts = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                Map<String, Object> body = Map.of("description", "writer " + i);
                puts.add(() -> put("/aggregates/" + id, body));
            }
            List<Answer> answers = race(puts);
            assertThat(statuses(answers)).as("round %d", round).containsOnly(200, 201);
            assertThat(statuses(answers)).filteredOn(s -> s == 201).hasSize(1);
        }
    }

    @Test
    void postsCreatingOneAggregateCreateItOnceAndTheOthersAre409() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = "posted-" + round;
            List<Callable<Answer>> posts = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                posts.add(() -> post("/aggregates", Map.of("id", id)));
            }
            List<Answer> answers = race(posts);
            assertThat(statuses(answers)).as("round %d", round).containsOnly(201, 409);
            assertThat(statuses(answers)).filteredOn(s -> s == 201).hasSize(1);
        }
    }

    @Test
    void patchesWithTheSameIfMatchHaveOneWinnerAndThe412s() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = "patched-" + round;
            assertThat(put("/aggregates/" + id, Map.of("description", "start")).status())
                    .isEqualTo(201);
            String etag = get("/aggregates/" + id).header("ETag");
            List<Callable<Answer>> patches = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                Map<String, Object> body = Map.of("description", "writer " + i);
                patches.add(() -> patch("/aggregates/" + id, body, "If-Match", etag));
            }
            List<Answer> answers = race(patches);
            assertThat(statuses(answers)).as("round %d", round).containsOnly(200, 412);
            assertThat(statuses(answers)).filteredOn(s -> s == 200).hasSize(1);
        }
    }

    @Test
    void patchesWithoutIfMatchOfDifferentFieldsAllLand() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = "merged-" + round;
            assertThat(put("/aggregates/" + id, Map.of("description", "start")).status())
                    .isEqualTo(201);
            List<Callable<Answer>> patches = new ArrayList<>();
            patches.add(() -> patch("/aggregates/" + id, Map.of("policy", Map.of("goal", "balanced"))));
            for (int i = 1; i < RACERS; i++) {
                Map<String, Object> body = Map.of("description", "writer " + i);
                patches.add(() -> patch("/aggregates/" + id, body));
            }
            List<Answer> answers = race(patches);
            assertThat(statuses(answers)).as("round %d", round).containsOnly(200);
            // Each patch read the aggregate under its row lock: no description patch put the old goal back.
            assertThat(get("/aggregates/" + id)
                            .json()
                            .path("policy")
                            .path("goal")
                            .asString())
                    .isEqualTo("balanced");
        }
    }

    @Test
    void patchesRacingADeleteAre200Or404() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = "patched-away-" + round;
            assertThat(put("/aggregates/" + id, Map.of("description", "start")).status())
                    .isEqualTo(201);
            List<Callable<Answer>> requests = new ArrayList<>();
            requests.add(() -> delete("/aggregates/" + id));
            for (int i = 1; i < RACERS; i++) {
                Map<String, Object> body = Map.of("description", "writer " + i);
                requests.add(() -> patch("/aggregates/" + id, body));
            }
            List<Answer> answers = race(requests);
            assertThat(answers.get(0).status()).isEqualTo(204);
            // before the delete 200, after it 404; which ones is the race's
            assertThat(statuses(answers.subList(1, answers.size())))
                    .as("round %d", round)
                    .isSubsetOf(200, 404);
            assertThat(get("/aggregates/" + id).status()).isEqualTo(404);
        }
    }

    @Test
    void deletesOfOneAggregateDeleteItOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = "doomed-" + round;
            assertThat(put("/aggregates/" + id, Map.of("description", "soon gone"))
                            .status())
                    .isEqualTo(201);
            List<Callable<Answer>> deletes = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                deletes.add(() -> delete("/aggregates/" + id));
            }
            List<Answer> answers = race(deletes);
            assertThat(statuses(answers)).as("round %d", round).containsOnly(204, 404);
            assertThat(statuses(answers)).filteredOn(s -> s == 204).hasSize(1);
            assertThat(get("/aggregates/" + id).status()).isEqualTo(404);
        }
    }

    @Test
    void controlCharactersInFreeTextAreRefusedNamingTheField() {
        String uuid = "00000000-0000-4000-8000-00000000c0de";
        Map<String, Object> body = registration(uuid, "nul-1", List.of("east"), HASWELL);
        body.put("kernel", KvmKernel.intel("6.1.0\u0000-evil", "enabled"));
        body.put("versions", Map.of("libvirt", "9.0.0", "qemu", "7.2\u0000", "agent", "0.1.0"));
        Answer answer = post("/hosts", body);
        JsonProblem.check(assertProblem(answer, 422));
        assertThat(errorFields(answer)).containsExactlyInAnyOrder("kernel.release", "versions.qemu");
        assertThat(get("/hosts/" + uuid).status()).isEqualTo(404);
        assertThat(get("/aggregates/east").status()).as("nothing half-written").isEqualTo(404);
    }

    @Test
    void aMissingHostInWhatIfIsRefusedNamingIt() {
        assertThat(post(
                                "/hosts",
                                registration("00000000-0000-4000-8000-00000000c0df", "hsw-1", List.of("east"), HASWELL))
                        .status())
                .isEqualTo(201);
        java.util.List<Object> reports = new ArrayList<>();
        reports.add(null);
        Answer answer = post("/aggregates/east/what-if", Map.of("addReports", reports));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("addReports[0]");
    }

    /** A problem names what is wrong without Java's internals. */
    private static final class JsonProblem {
        static void check(tools.jackson.databind.JsonNode problem) {
            assertThat(problem.toString()).doesNotContain("Exception", "java.");
        }
    }
}
