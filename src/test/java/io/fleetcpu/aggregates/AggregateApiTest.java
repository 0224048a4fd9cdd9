package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Aggregates, their policies and their members, as operators manage them. */
class AggregateApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";
    private static final String SKYLAKE = "libvirt-9.9.0/x86_64-cpuid-Core-i5-6600-host.xml";

    private static Map<String, Object> aggregate(String id, String description, String goal) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("id", id);
        }
        if (description != null) {
            body.put("description", description);
        }
        if (goal != null) {
            body.put("policy", Map.of("goal", goal));
        }
        return body;
    }

    private String registerHost(String hostname, List<String> aggregates, String file) {
        String id = UUID.randomUUID().toString();
        Answer answer = post("/hosts", registration(id, hostname, aggregates, file));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return id;
    }

    @Test
    void postCreatesAnAggregate() {
        Answer answer = post("/aggregates", aggregate("haswell-east", "Haswell nodes, east hall", "migration"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.header("Location")).endsWith("/aggregates/haswell-east");
        JsonNode created = answer.json();
        assertThat(created.path("id").asString()).isEqualTo("haswell-east");
        assertThat(created.path("description").asString()).isEqualTo("Haswell nodes, east hall");
        assertThat(created.path("policy").path("goal").asString()).isEqualTo("migration");
        assertThat(created.path("hostCount").asInt()).isZero();
        assertThat(created.path("kinds").size()).isZero();
        assertThat(created.path("createdAt").asString()).isNotBlank();
        JsonNode stored = get("/aggregates/haswell-east").json();
        assertThat(stored.path("description").asString()).isEqualTo("Haswell nodes, east hall");
    }

    @Test
    void postWithoutPolicyGetsTheDefault() {
        Answer answer = post("/aggregates", aggregate("plain", null, null));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().path("policy").path("goal").asString()).isEqualTo("migration");
        assertThat(answer.json().path("description").asString()).isEmpty();
    }

    @Test
    void duplicatePostIs409() {
        assertThat(post("/aggregates", aggregate("dup", "first", null)).status())
                .isEqualTo(201);
        Answer answer = post("/aggregates", aggregate("dup", "second", null));
        JsonNode problem = assertProblem(answer, 409);
        assertThat(problem.path("detail").asString()).contains("dup").contains("PUT");
        assertThat(get("/aggregates/dup").json().path("description").asString()).isEqualTo("first");
    }

    @Test
    void invalidIdIs422() {
        for (String bad : List.of("Bad Name!", "UPPER", "-dash", "dash-", "a".repeat(64), "under_score", "")) {
            Answer answer = post("/aggregates", aggregate(bad, null, null));
            assertProblem(answer, 422);
            assertThat(errorFields(answer)).as(bad).containsExactly("id");
        }
        Answer missing = post("/aggregates", aggregate(null, "no id", null));
        assertProblem(missing, 422);
        assertThat(errorFields(missing)).containsExactly("id");
        assertThat(errorFor(missing, "id")).contains("missing");
        assertNoAggregates();
    }

    @Test
    void unknownGoalIs422NamingPolicyGoal() {
        Answer answer = post("/aggregates", aggregate("fast", null, "speed"));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("policy.goal");
        assertThat(errorFor(answer, "policy.goal")).contains("speed").contains("migration");
        assertNoAggregates();
        Answer put = put("/aggregates/fast", aggregate(null, null, "speed"));
        assertProblem(put, 422);
        assertThat(errorFields(put)).containsExactly("policy.goal");
        assertNoAggregates();
    }

    @Test
    void unknownJsonPropertyIs400() {
        Map<String, Object> body = aggregate("typo", null, null);
        body.put("polcy", Map.of("goal", "migration"));
        Answer answer = post("/aggregates", body);
        assertProblem(answer, 400);
        assertNoAggregates();
    }

    @Test
    void unknownJsonPropertyInsidePolicyIs400() {
        Map<String, Object> body = aggregate("typo", null, null);
        body.put("policy", Map.of("goal", "migration", "nested", true));
        Answer answer = post("/aggregates", body);
        assertProblem(answer, 400);
        assertNoAggregates();
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(post("/aggregates", "{\"id\": \"x\""), 400);
        assertProblem(post("/aggregates", "{\"id\": [1, 2]}"), 400);
        assertNoAggregates();
    }

    @Test
    void listAndGetShowMembers() {
        String h1 = registerHost("b-host", List.of("east"), HASWELL);
        String h2 = registerHost("a-host", List.of("east", "west"), SKYLAKE);
        assertThat(post("/aggregates", aggregate("empty", null, null)).status()).isEqualTo(201);
        Answer list = get("/aggregates");
        assertThat(list.status()).isEqualTo(200);
        assertThat(texts(ids(list.json()))).containsExactly("east", "empty", "west");
        JsonNode east = get("/aggregates/east").json();
        assertThat(east.path("policy").path("goal").asString()).isEqualTo("migration");
        assertThat(east.path("hostCount").asInt()).isEqualTo(2);
        // two kinds of CPU, one host each, named by their hosts
        assertThat(east.path("kinds").size()).isEqualTo(2);
        assertThat(east.path("kinds").findValuesAsString("name")).containsExactlyInAnyOrder("a-host", "b-host");
        assertThat(east.path("kinds").path(0).path("hostsPath").asString()).startsWith("/hosts?aggregate=east&kind=");
        // every member, ordered by hostname
        assertThat(memberIds("east")).containsExactly(h2, h1);
        JsonNode west = get("/aggregates/west").json();
        assertThat(west.path("hostCount").asInt()).isEqualTo(1);
        assertThat(memberIds("west")).containsExactly(h2);
        assertThat(get("/aggregates/empty").json().path("hostCount").asInt()).isZero();
    }

    private static JsonNode ids(JsonNode aggregates) {
        var array = JSON.getNodeFactory().arrayNode();
        for (JsonNode a : aggregates) {
            array.add(a.path("id"));
        }
        return array;
    }

    @Test
    void getUnknownIs404() {
        JsonNode problem = assertProblem(get("/aggregates/nowhere"), 404);
        assertThat(problem.path("detail").asString()).contains("nowhere");
    }

    @Test
    void putCreatesThenReplaces() {
        Answer created = put("/aggregates/skylake", aggregate(null, "Skylake nodes", "migration"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/aggregates/skylake");
        assertThat(created.json().path("id").asString()).isEqualTo("skylake");
        Answer replaced = put("/aggregates/skylake", aggregate("skylake", "Skylake nodes, west", null));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().path("description").asString()).isEqualTo("Skylake nodes, west");
        assertThat(replaced.json().path("policy").path("goal").asString()).isEqualTo("migration");
        // as instants within PostgreSQL's microsecond; the printed form is checked in aggregateTimestampsAreStable
        assertThat(java.time.Instant.parse(replaced.json().path("createdAt").asString()))
                .isCloseTo(
                        java.time.Instant.parse(created.json().path("createdAt").asString()),
                        org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MICROS));
        assertThat(get("/aggregates/skylake").json().path("description").asString())
                .isEqualTo("Skylake nodes, west");
    }

    @Test
    void aggregateTimestampsAreStable() {
        // The answer to a create shows createdAt as it will be shown from then on.
        Answer created = post("/aggregates", aggregate("stable", "d", null));
        assertThat(created.status()).isEqualTo(201);
        assertThat(get("/aggregates/stable").json().path("createdAt").asString())
                .isEqualTo(created.json().path("createdAt").asString());
        assertThat(get("/aggregates/stable").json()).isEqualTo(created.json());
    }

    @Test
    void putKeepsMembers() {
        String host = registerHost("h", List.of("east"), HASWELL);
        Answer replaced = put("/aggregates/east", aggregate(null, "now described", null));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().path("hostCount").asInt()).isEqualTo(1);
        assertThat(memberIds("east")).containsExactly(host);
    }

    @Test
    void putWithBodyIdDifferentFromPathIs422() {
        Answer answer = put("/aggregates/one", aggregate("two", null, null));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("id");
        assertThat(errorFor(answer, "id")).contains("one").contains("two");
        assertNoAggregates();
    }

    @Test
    void putWithInvalidPathIdIs422() {
        Answer answer = put("/aggregates/Bad_Name", aggregate(null, null, null));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("id");
        assertNoAggregates();
    }

    @Test
    void deleteKeepsHostsButEndsMembership() {
        String host = registerHost("h1", List.of("east", "west"), HASWELL);
        Answer deleted = delete("/aggregates/east");
        assertThat(deleted.status()).isEqualTo(204);
        assertProblem(get("/aggregates/east"), 404);
        JsonNode stored = get("/hosts/" + host).json();
        assertThat(stored.path("id").asString()).isEqualTo(host);
        assertThat(texts(stored.path("aggregates"))).containsExactly("west");
        assertThat(get("/hosts?aggregate=east").json().path("totalItems").asLong())
                .isZero();
        assertThat(get("/hosts").json().path("totalItems").asLong()).isEqualTo(1);
        assertProblem(delete("/aggregates/east"), 404);
    }

    @Test
    void hostJoinsAndLeaves() {
        String host = registerHost("h1", List.of(), HASWELL);
        assertThat(post("/aggregates", aggregate("east", null, null)).status()).isEqualTo(201);
        Answer joined = put("/aggregates/east/hosts/" + host, "");
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        assertThat(joined.header("Location")).endsWith("/aggregates/east/hosts/" + host);
        assertThat(texts(get("/hosts/" + host).json().path("aggregates"))).containsExactly("east");
        assertThat(memberIds("east")).containsExactly(host);
        assertThat(get("/aggregates/east").json().path("hostCount").asInt()).isEqualTo(1);
        Answer again = put("/aggregates/east/hosts/" + host, "");
        assertThat(again.status()).isEqualTo(204);
        Answer left = delete("/aggregates/east/hosts/" + host);
        assertThat(left.status()).isEqualTo(204);
        assertThat(texts(get("/hosts/" + host).json().path("aggregates"))).isEmpty();
        assertThat(get("/aggregates/east").json().path("hostCount").asInt()).isZero();
        assertThat(memberIds("east")).isEmpty();
        JsonNode problem = assertProblem(delete("/aggregates/east/hosts/" + host), 404);
        assertThat(problem.path("detail").asString()).contains(host).contains("east");
    }

    @Test
    void joinWithoutBodyOrContentType() {
        String host = registerHost("h1", List.of(), HASWELL);
        assertThat(post("/aggregates", aggregate("east", null, null)).status()).isEqualTo(201);
        Answer joined =
                send(builder("/aggregates/east/hosts/" + host, withToken()).PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
    }

    @Test
    void membershipOfUnknownHostOrAggregateIs404() {
        String host = registerHost("h1", List.of("east"), HASWELL);
        String unknownHost = UUID.randomUUID().toString();
        assertThat(assertProblem(put("/aggregates/east/hosts/" + unknownHost, ""), 404)
                        .path("detail")
                        .asString())
                .contains(unknownHost);
        assertThat(assertProblem(put("/aggregates/nowhere/hosts/" + host, ""), 404)
                        .path("detail")
                        .asString())
                .contains("nowhere");
        assertProblem(delete("/aggregates/east/hosts/" + unknownHost), 404);
        assertProblem(delete("/aggregates/nowhere/hosts/" + host), 404);
        assertProblem(put("/aggregates/east/hosts/not-a-uuid", ""), 400);
        assertThat(get("/aggregates/nowhere").status()).isEqualTo(404);
        assertThat(texts(get("/hosts/" + host).json().path("aggregates"))).containsExactly("east");
    }

    @Test
    void registrationNamingAMissingAggregateCreatesItWithTheDefaultPolicy() {
        String host = registerHost("h1", List.of("brand-new"), HASWELL);
        Answer answer = get("/aggregates/brand-new");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode aggregate = answer.json();
        assertThat(aggregate.path("policy").path("goal").asString()).isEqualTo("migration");
        assertThat(aggregate.path("policy")).isEqualTo(JSON.readTree("""
                {"goal": "migration", "nestedVirtualization": "off", "strict": false,
                 "mitigations": {"mode": "require", "disable": []}}
                """));
        assertThat(memberIds(aggregate.path("id").asString())).containsExactly(host);
    }

    @Test
    void registrationNamingAnExistingAggregateKeepsItsDescription() {
        assertThat(put("/aggregates/east", aggregate(null, "described", null)).status())
                .isEqualTo(201);
        registerHost("h1", List.of("east"), HASWELL);
        assertThat(get("/aggregates/east").json().path("description").asString())
                .isEqualTo("described");
    }

    @Test
    void stateChangingCallsWithoutTokenAre401() {
        String host = registerHost("h1", List.of("east"), HASWELL);
        String noToken = "Bearer not-the-token";
        for (Answer answer : List.of(
                post("/aggregates", aggregate("west", null, null), "Authorization", noToken),
                put("/aggregates/west", aggregate(null, null, null), "Authorization", noToken),
                put("/aggregates/east", aggregate(null, "changed", null), "Authorization", noToken),
                delete("/aggregates/east", "Authorization", noToken),
                put("/aggregates/east/hosts/" + host, "", "Authorization", noToken),
                delete("/aggregates/east/hosts/" + host, "Authorization", noToken),
                send(builder("/aggregates", "Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"west\"}"))))) {
            assertProblem(answer, 401);
            assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        }
        assertThat(ids(get("/aggregates").json())).hasSize(1);
        JsonNode east = get("/aggregates/east").json();
        assertThat(east.path("description").asString()).isEmpty();
        assertThat(east.path("hostCount").asInt()).isEqualTo(1);
        assertThat(get("/aggregates/west").status()).isEqualTo(404);
    }
}
