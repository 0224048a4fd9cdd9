package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PATCH /aggregates/{id} with a JSON merge patch changes the fields it names and keeps the others; PUT replaces the
 * whole aggregate.
 */
class AggregatePatchApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";

    private static final Map<String, Object> TUNED = Map.of(
            "description",
            "Haswell nodes, east hall",
            "policy",
            Map.of(
                    "goal",
                    "balanced",
                    "nestedVirtualization",
                    "allowed",
                    "mitigations",
                    Map.of("mode", "disable", "disable", List.of("spec-ctrl"))));

    @BeforeEach
    void tunedAggregate() {
        assertThat(put("/aggregates/east", TUNED).status()).isEqualTo(201);
    }

    @Test
    void aDescriptionAloneKeepsThePolicy() {
        JsonNode before = get("/aggregates/east").json();
        Answer patched = patch("/aggregates/east", Map.of("description", "east hall, row 3"));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().path("description").asString()).isEqualTo("east hall, row 3");
        assertThat(patched.json().path("policy")).isEqualTo(before.path("policy"));
        assertThat(patched.header("ETag")).isEqualTo(get("/aggregates/east").header("ETag"));
        assertThat(get("/aggregates/east").json().path("description").asString())
                .isEqualTo("east hall, row 3");
    }

    @Test
    void putWithADescriptionAloneResetsThePolicy() {
        Answer replaced = put("/aggregates/east", Map.of("description", "east hall, row 3"));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().path("policy").path("goal").asString()).isEqualTo("migration");
        assertThat(replaced.json()
                        .path("policy")
                        .path("mitigations")
                        .path("mode")
                        .asString())
                .isEqualTo("require");
    }

    @Test
    void policyFieldsMergeOneByOneAndNullPutsADefaultBack() {
        Answer patched = patch("/aggregates/east", Map.of("policy", Map.of("goal", "performance")));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        JsonNode policy = patched.json().path("policy");
        assertThat(policy.path("goal").asString()).isEqualTo("performance");
        assertThat(policy.path("nestedVirtualization").asString()).isEqualTo("allowed");
        assertThat(texts(policy.path("mitigations").path("disable"))).containsExactly("spec-ctrl");
        assertThat(patched.json().path("description").asString()).isEqualTo("Haswell nodes, east hall");

        java.util.Map<String, Object> backToDefault = new java.util.HashMap<>();
        backToDefault.put("nestedVirtualization", null);
        backToDefault.put("mitigations", null);
        Answer reset = patch("/aggregates/east", Map.of("policy", backToDefault));
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        assertThat(reset.json().path("policy").path("nestedVirtualization").asString())
                .isEqualTo("off");
        assertThat(reset.json().path("policy").path("mitigations").path("mode").asString())
                .isEqualTo("require");
        assertThat(reset.json().path("policy").path("goal").asString()).isEqualTo("performance");
    }

    @Test
    void theHostsStay() {
        Answer registered =
                post("/hosts", registration(java.util.UUID.randomUUID().toString(), "h1", List.of("east"), HASWELL));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        Answer patched = patch("/aggregates/east", Map.of("description", "with a host"));
        assertThat(patched.json().path("hostCount").asInt()).isEqualTo(1);
    }

    @Test
    void anInvalidResultIs422NamingTheFieldAndNothingIsWritten() {
        JsonNode before = get("/aggregates/east").json();
        Answer badGoal =
                patch("/aggregates/east", Map.of("description", "changed", "policy", Map.of("goal", "fastest")));
        assertProblem(badGoal, 422);
        assertThat(errorFields(badGoal)).containsExactly("policy.goal");
        // require with a list of withheld features contradicts itself
        Answer contradicts =
                patch("/aggregates/east", Map.of("policy", Map.of("mitigations", Map.of("mode", "require"))));
        assertThat(errorFields(contradicts)).containsExactly("policy.mitigations.disable");
        Answer otherId = patch("/aggregates/east", Map.of("id", "west"));
        assertThat(errorFields(otherId)).containsExactly("id");
        Answer unknown = patch("/aggregates/east", Map.of("colour", "blue"));
        assertProblem(unknown, 422);
        assertThat(errorFields(unknown)).containsExactly("colour");
        Answer wrongType = patch("/aggregates/east", Map.of("policy", Map.of("strict", List.of(1))));
        assertThat(errorFields(wrongType)).containsExactly("policy.strict");
        Answer notAnObject = patch("/aggregates/east", List.of("description"));
        assertThat(errorFields(notAnObject)).containsExactly("body");
        Answer control = patch("/aggregates/east", Map.of("description", "bell\u0007"));
        assertThat(errorFields(control)).containsExactly("description");
        assertThat(get("/aggregates/east").json()).isEqualTo(before);
    }

    @Test
    void unknownAggregateIs404AndIsNotCreated() {
        JsonNode problem = assertProblem(patch("/aggregates/nowhere", Map.of("description", "x")), 404);
        assertThat(problem.path("detail").asString()).contains("nowhere");
        assertProblem(get("/aggregates/nowhere"), 404);
    }

    @Test
    void otherContentTypesAre415() {
        Answer json = send(builder("/aggregates/east", withToken())
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"description\": \"x\"}")));
        assertProblem(json, 415);
        Answer jsonPatch = send(builder("/aggregates/east", withToken())
                .header("Content-Type", "application/json-patch+json")
                .method(
                        "PATCH",
                        HttpRequest.BodyPublishers.ofString(
                                "[{\"op\": \"replace\", \"path\": \"/description\", " + "\"value\": \"x\"}]")));
        assertProblem(jsonPatch, 415);
        assertThat(get("/aggregates/east").json().path("description").asString())
                .isEqualTo("Haswell nodes, east hall");
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(patch("/aggregates/east", "{\"description\": "), 400);
    }

    @Test
    void ifMatchChangesOnlyTheVersionSeen() {
        String etag = get("/aggregates/east").header("ETag");
        Answer first = patch("/aggregates/east", Map.of("description", "first"), "If-Match", etag);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.header("ETag")).isNotEqualTo(etag);
        assertProblem(patch("/aggregates/east", Map.of("description", "second"), "If-Match", etag), 412);
        assertThat(get("/aggregates/east").json().path("description").asString())
                .isEqualTo("first");
        Answer withNew = patch("/aggregates/east", Map.of("description", "second"), "If-Match", first.header("ETag"));
        assertThat(withNew.status()).isEqualTo(200);
    }

    @Test
    void withoutTokenIs401() {
        Answer answer = send(builder("/aggregates/east")
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"description\": \"x\"}")));
        assertThat(answer.status()).isEqualTo(401);
    }
}
