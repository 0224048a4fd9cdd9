package io.fleetcpu.hosts;

import static io.fleetcpu.testing.ApiAssertions.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiTest;
import io.fleetcpu.testing.KvmKernel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Hosts are stored by kind of CPU: identical CPU facts once, answers computed over kinds, bounded in size, cached
 * under versions that change with exactly what can change them.
 */
class CpuKindsApiTest extends ApiTest {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final String SKYLAKE = "libvirt-9.9.0/x86_64-cpuid-Xeon-Gold-6148-host.xml";

    @Autowired
    private JdbcTemplate jdbc;

    private String register(String hostname, List<String> aggregates, String cpu) {
        return register(UUID.randomUUID().toString(), hostname, aggregates, cpu, null);
    }

    private String register(String uuid, String hostname, List<String> aggregates, String cpu, String nested) {
        Map<String, Object> body = registration(uuid, hostname, aggregates, cpu);
        if (nested != null) {
            body.put("kernel", KvmKernel.intel(nested));
        }
        Answer answer = post("/hosts", body);
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
        return uuid;
    }

    private String kindOf(String hostId) {
        return get("/hosts/" + hostId).json().path("kind").asString();
    }

    @Test
    void identicalCpusAreOneKindAndAnyFactTheEngineReadsMakesAnother() {
        String a = register("hsw-a", List.of("east"), HASWELL);
        String b = register("hsw-b", List.of("west"), HASWELL);
        String c = register(UUID.randomUUID().toString(), "hsw-c", List.of("east"), HASWELL, "enabled");
        String d = register("ivy-d", List.of("east"), IVY_BRIDGE);

        assertThat(kindOf(a)).isEqualTo(kindOf(b)).hasSize(32);
        assertThat(kindOf(c))
                .as("the same CPU with nested enabled in kvm_intel")
                .isNotEqualTo(kindOf(a));
        assertThat(kindOf(d)).isNotIn(kindOf(a), kindOf(c));
        assertThat(jdbc.queryForObject(
                        "select count(*) from cpu_kind where id in (?, ?, ?)",
                        Long.class,
                        kindOf(a),
                        kindOf(c),
                        kindOf(d)))
                .isEqualTo(3);

        JsonNode hostsOfKind = get("/hosts?kind=" + kindOf(a)).json();
        assertThat(hostsOfKind.path("totalItems").asInt()).isEqualTo(2);
        assertThat(get("/hosts?aggregate=east&kind=" + kindOf(a))
                        .json()
                        .path("totalItems")
                        .asInt())
                .isEqualTo(1);

        JsonNode east = get("/aggregates/east").json();
        assertThat(east.path("hostCount").asInt()).isEqualTo(3);
        assertThat(east.path("kinds")).hasSize(3);
        east.path("kinds").forEach(k -> assertThat(k.path("hosts").asInt()).isEqualTo(1));
    }

    @Test
    void answersStayTheSameSizeWhateverTheNumberOfHosts() {
        register("hsw-000", List.of("big"), HASWELL);
        // Each kind with three example hosts and two-digit counts already.
        for (int i = 1; i < 40; i++) {
            register(String.format("hsw-%03d", i), List.of("big"), i % 3 == 0 ? IVY_BRIDGE : HASWELL);
        }
        Map<String, Integer> small = answerSizes("big");
        for (int i = 40; i < 121; i++) {
            register(String.format("hsw-%03d", i), List.of("big"), i % 3 == 0 ? IVY_BRIDGE : HASWELL);
        }
        Map<String, Integer> large = answerSizes("big");
        assertThat(get("/aggregates/big").json().path("hostCount").asInt()).isEqualTo(121);
        // 81 more hosts of the same two kinds. Listing hosts, every answer grew by a hostname, an id and a view per
        // host (some 100 bytes each); by kind, the answers stay as they were but for the counts' values.
        large.forEach((answer, size) -> assertThat(size)
                .as(answer + ": " + small.get(answer) + " bytes with 40 hosts")
                .isBetween(small.get(answer) - 8, small.get(answer) + 8));
        JsonNode cpu = get("/aggregates/big/recommended-cpu").json();
        assertThat(cpu.path("hostCount").asInt()).isEqualTo(121);
        assertThat(cpu.path("kinds").findValuesAsString("name"))
                .containsExactlyInAnyOrder("hsw-000 (+80 alike)", "hsw-003 (+39 alike)");
        assertThat(cpu.path("kinds").findValues("hosts").stream()
                        .mapToInt(JsonNode::asInt)
                        .sum())
                .isEqualTo(121);
        // Lists of hosts in the reasons name kinds, and count hosts: the 40 Ivy Bridges lack what the Haswells have.
        JsonNode leftOut = cpu.path("reasons").path("featuresLeftOut");
        assertThat(leftOut).isNotEmpty();
        leftOut.forEach(feature -> {
            assertThat(texts(feature.path("hostsWithout"))).containsExactly("hsw-003 (+39 alike)");
            assertThat(feature.path("hostsWithoutCount").asInt()).isEqualTo(40);
        });
        assertThat(cpu.path("nested").path("hostsToFixCount").asInt()).isEqualTo(121);
    }

    private Map<String, Integer> answerSizes(String aggregate) {
        return Map.of(
                "recommended-cpu",
                get("/aggregates/" + aggregate + "/recommended-cpu").body().length(),
                "baseline",
                get("/aggregates/" + aggregate + "/baseline").body().length(),
                "aggregate",
                get("/aggregates/" + aggregate).body().length(),
                "groupings",
                get("/groupings").body().length(),
                "groupings of the aggregate",
                get("/groupings?aggregate=" + aggregate).body().length());
    }

    @Test
    void theEtagChangesWithEveryChangeThatCanChangeTheAnswerAndOnlyThen() {
        String first = register("hsw-1", List.of("east"), HASWELL);
        Map<String, Object> firstReport = registration(first, "hsw-1", List.of("east"), HASWELL);
        String etag = etagOf("east");
        assertThat(get("/aggregates/east/recommended-cpu", "If-None-Match", etag)
                        .status())
                .isEqualTo(304);

        // An equal report writes nothing the answer depends on.
        assertThat(post("/hosts", firstReport).status()).isEqualTo(200);
        assertThat(etagOf("east")).as("after an equal report").isEqualTo(etag);
        assertThat(get("/aggregates/east/recommended-cpu", "If-None-Match", etag)
                        .status())
                .isEqualTo(304);

        // A new host of a kind the aggregate has: the CPU stays, the answer (its host count) does not.
        String second = register("hsw-2", List.of("east"), HASWELL);
        etag = changed(etag, "a host of a kind the aggregate has joins");
        assertThat(get("/aggregates/east/recommended-cpu")
                        .json()
                        .path("hostCount")
                        .asInt())
                .isEqualTo(2);

        // A new kind of CPU.
        String ivy = register("ivy-1", List.of("east"), IVY_BRIDGE);
        etag = changed(etag, "a host of a new kind joins");
        assertThat(get("/aggregates/east/recommended-cpu").json().path("model").asString())
                .isEqualTo("IvyBridge");

        // A host's kind changes (a new CPU under the same UUID).
        register(ivy, "ivy-1", List.of("east"), SKYLAKE, null);
        etag = changed(etag, "a member's kind changes");
        assertThat(get("/aggregates/east/recommended-cpu").json().path("model").asString())
                .startsWith("Haswell");

        // A host is renamed: answers name it.
        register(second, "hsw-0", List.of("east"), HASWELL, null);
        etag = changed(etag, "a member is renamed");
        assertThat(get("/aggregates/east/recommended-cpu").json().path("kinds").findValuesAsString("name"))
                .contains("hsw-0 (+1 alike)");

        // The policy changes.
        assertThat(put(
                                "/aggregates/east",
                                Map.of("policy", Map.of("goal", "migration", "nestedVirtualization", "allowed")))
                        .status())
                .isEqualTo(200);
        etag = changed(etag, "the policy changes");

        // A member leaves through the API, or is deleted.
        assertThat(delete("/aggregates/east/hosts/" + second).status()).isEqualTo(204);
        etag = changed(etag, "a member leaves");
        assertThat(delete("/hosts/" + ivy).status()).isEqualTo(204);
        etag = changed(etag, "a member is deleted");
        assertThat(get("/aggregates/east").json().path("hostCount").asInt()).isEqualTo(1);
        assertThat(get("/aggregates/east/recommended-cpu")
                        .json()
                        .path("hostCount")
                        .asInt())
                .isEqualTo(1);

        // Other aggregates' changes do not touch this one.
        register("other-1", List.of("west"), IVY_BRIDGE);
        assertThat(etagOf("east")).as("after a change to another aggregate").isEqualTo(etag);

        // Deleted and created again under the same id: never the old answer.
        assertThat(delete("/aggregates/east").status()).isEqualTo(204);
        register("ivy-9", List.of("east"), IVY_BRIDGE);
        assertThat(etagOf("east")).isNotEqualTo(etag);
        assertThat(get("/aggregates/east/recommended-cpu").json().path("model").asString())
                .isEqualTo("IvyBridge");
    }

    private String etagOf(String aggregate) {
        Answer answer = get("/aggregates/" + aggregate + "/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.header("ETag");
    }

    private String changed(String before, String change) {
        String now = etagOf("east");
        assertThat(now).as("the ETag after " + change).isNotEqualTo(before);
        assertThat(get("/aggregates/east/recommended-cpu", "If-None-Match", before)
                        .status())
                .as("the old ETag after " + change)
                .isEqualTo(200);
        assertThat(get("/aggregates/east/recommended-cpu", "If-None-Match", now).status())
                .isEqualTo(304);
        return now;
    }

    @Test
    void anEqualReportWritesNothingButLastSeenAt() {
        String id = register("hsw-1", List.of("east"), HASWELL);
        Map<String, Object> report = registration(id, "hsw-1", List.of("east"), HASWELL);
        Map<String, Object> before = jdbc.queryForMap(
                "select version, updated_at, last_seen_at from host where id = ?", UUID.fromString(id));
        long membersVersion = membersVersion("east");
        long events = jdbc.queryForObject("select count(*) from cpu_event", Long.class);

        assertThat(post("/hosts", report).status()).isEqualTo(200);

        Map<String, Object> after = jdbc.queryForMap(
                "select version, updated_at, last_seen_at from host where id = ?", UUID.fromString(id));
        assertThat(after.get("version")).isEqualTo(before.get("version"));
        assertThat(after.get("updated_at")).isEqualTo(before.get("updated_at"));
        assertThat(after.get("last_seen_at")).isNotEqualTo(before.get("last_seen_at"));
        assertThat(membersVersion("east")).isEqualTo(membersVersion);
        assertThat(jdbc.queryForObject("select count(*) from cpu_event", Long.class))
                .isEqualTo(events);
        JsonNode host = get("/hosts/" + id).json();
        assertThat(host.path("lastSeenAt").asString())
                .isNotEqualTo(host.path("updatedAt").asString());
    }

    private long membersVersion(String aggregate) {
        return jdbc.queryForObject("select members_version from aggregate where id = ?", Long.class, aggregate);
    }

    @Test
    void oneHostRegisteringManyTimesAtOnceEndsAsOneHostCountedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Answer>> reports = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                // Two CPUs race: the host's kind moves between them while its aggregates count it.
                Map<String, Object> body = registration(
                        id, "racer", List.of("race", "race-" + (i % 2)), i % 2 == 0 ? HASWELL : IVY_BRIDGE);
                reports.add(() -> post("/hosts", body));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Answer> answer : pool.invokeAll(reports)) {
                statuses.add(answer.get().status());
            }
            assertThat(statuses).as("every registration answered").allMatch(s -> s == 200 || s == 201);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        JsonNode host = get("/hosts/" + id).json();
        assertThat(get("/hosts?aggregate=race").json().path("totalItems").asInt())
                .isEqualTo(1);
        JsonNode race = get("/aggregates/race").json();
        assertThat(race.path("hostCount").asInt()).isEqualTo(1);
        assertThat(race.path("kinds")).hasSize(1);
        assertThat(race.path("kinds").get(0).path("kind").asString())
                .isEqualTo(host.path("kind").asString());
        assertKeptCountsAgree();
        Set<String> memberOf = new HashSet<>();
        host.path("aggregates").forEach(a -> memberOf.add(a.asString()));
        assertThat(memberOf).hasSize(2).contains("race");
    }
}
