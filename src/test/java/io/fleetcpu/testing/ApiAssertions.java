package io.fleetcpu.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Checks shared by the API tests: problem details, the fields they name, and an untouched database. */
public abstract class ApiAssertions extends ApiTest {

    /** The answer is an RFC 9457 problem with this status and a detail a person can read. */
    protected static JsonNode assertProblem(Answer answer, int status) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).as("Content-Type").startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).as("detail").isNotBlank();
        return problem;
    }

    /** The fields named in the problem's {@code errors}. */
    protected static List<String> errorFields(Answer answer) {
        List<String> fields = new ArrayList<>();
        for (JsonNode error : answer.json().path("errors")) {
            fields.add(error.path("field").asString());
        }
        return fields;
    }

    /** What the problem says about one field. */
    protected static String errorFor(Answer answer, String field) {
        for (JsonNode error : answer.json().path("errors")) {
            if (field.equals(error.path("field").asString())) {
                return error.path("problem").asString();
            }
        }
        return null;
    }

    protected void assertNoHosts() {
        Answer hosts = get("/hosts");
        assertThat(hosts.status()).isEqualTo(200);
        assertThat(hosts.json().path("items").size())
                .as("hosts stored: %s", hosts.body())
                .isZero();
        assertThat(hosts.json().path("totalItems").asLong()).isZero();
    }

    protected void assertNoAggregates() {
        Answer aggregates = get("/aggregates");
        assertThat(aggregates.status()).isEqualTo(200);
        assertThat(aggregates.json().size())
                .as("aggregates stored: %s", aggregates.body())
                .isZero();
    }

    protected void assertNothingWritten() {
        assertNoHosts();
        assertNoAggregates();
    }

    public static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode n : array) {
            values.add(n.asString());
        }
        return values;
    }

    /** A structured registration for a host without libvirt. */
    protected static Map<String, Object> structured(
            String uuid, String hostname, List<String> aggregates, Map<String, Object> cpu) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        if (uuid != null) {
            body.put("uuid", uuid);
        }
        body.put("hostname", hostname);
        body.put("aggregates", aggregates);
        body.put("cpu", cpu);
        return body;
    }

    protected static Map<String, Object> cpu(String arch, String vendor, String model, List<String> features) {
        Map<String, Object> cpu = new java.util.LinkedHashMap<>();
        cpu.put("arch", arch);
        cpu.put("vendor", vendor);
        cpu.put("model", model);
        if (features != null) {
            cpu.put("features", features);
        }
        return cpu;
    }
}
