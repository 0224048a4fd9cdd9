package io.fleetcpu.system;

import static io.fleetcpu.system.MigrationFixtures.agentRegistration;
import static io.fleetcpu.system.MigrationFixtures.registration;
import static io.fleetcpu.system.MigrationFixtures.resource;
import static io.fleetcpu.system.MigrationFixtures.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.KvmKernel;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A database the V5-era service filled migrates to CPU kinds (V6..V8) without losing anything, and every migrated
 * host gets exactly the kind a registration of the same report computes.
 *
 * <p>Database A is filled by registering real fixtures over HTTP with the current service; database B is migrated to
 * version 5 only and filled, row by row, with what the V5-era service stored for the same hosts (one row per host with
 * its CPU columns, aggregates, memberships, history). The current service then starts on B, Flyway migrates it, and
 * both databases must answer alike.
 */
class MigrationToCpuKindsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String USER = OperatorPostgres.USER;
    private static final String PASSWORD = OperatorPostgres.PASSWORD;

    private static final String HASWELL_XEON = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v3-host.xml";
    private static final String HASWELL_CORE = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final String IVY_BRIDGE_GUEST = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-guest.xml";

    private static final String TWIN_1 = "6b3f0e52-1c0a-4d8e-9a51-000000000001";
    private static final String TWIN_2 = "6b3f0e52-1c0a-4d8e-9a51-000000000002";
    private static final String IVY = "6b3f0e52-1c0a-4d8e-9a51-000000000003";
    /** The UUID inside hostdata/capabilities-broadwell-kvm-host.xml. */
    private static final String AGENT = "515ce18e-e55b-4fc1-834c-3b12eb4e146b";

    private static final List<String> HOSTS = List.of(TWIN_1, TWIN_2, IVY, AGENT);
    private static final List<String> AGGREGATES = List.of("east", "west");

    private static OperatorPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = OperatorPostgres.start("fleetcpu_a", "fleetcpu_b");
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** What one database answered, read over HTTP. */
    private record Seen(
            Map<String, JsonNode> hosts,
            Map<String, Map<String, String>> documents,
            Map<String, List<JsonNode>> history,
            Map<String, JsonNode> aggregates,
            Map<String, JsonNode> recommended,
            Map<String, JsonNode> baselines) {}

    @Test
    void aV5DatabaseMigratesToKindsAndItsHostsGetTheKindsARegistrationComputes() throws Exception {
        // ---- A: the current service registers the hosts --------------------------------------------------------
        Map<String, Map<String, Object>> reports = new LinkedHashMap<>();
        reports.put(
                TWIN_1,
                withKernel(
                        registration(TWIN_1, "compute-twin-1", List.of("east", "west"), HASWELL_XEON),
                        "6.1.0-18-amd64",
                        versions("9.0.0", "7.2.0", "0.1.0")));
        // Same CPU and KVM state, another kernel release and QEMU patch release: the same kind (a kind keeps QEMU's
        // major version only: V16).
        reports.put(
                TWIN_2,
                withKernel(
                        registration(TWIN_2, "compute-twin-2", List.of("east"), HASWELL_XEON),
                        "6.1.0-21-amd64",
                        versions("9.0.0", "7.2.9", "0.1.0")));
        Map<String, Object> ivy =
                withKernel(registration(IVY, "compute-ivy", List.of("east"), IVY_BRIDGE), "5.10.0-28-amd64", null);
        ivy.put("expandedCpuXml", cpuData(IVY_BRIDGE_GUEST));
        ivy.put("migratableCpuXml", cpuData(IVY_BRIDGE_GUEST));
        reports.put(IVY, ivy);
        reports.put(AGENT, agentRegistration());

        Seen a;
        try (RunningService service = start("fleetcpu_a")) {
            // The Ivy Bridge host first ran a Haswell: its change of CPU is history that must survive.
            register(service, registration(IVY, "compute-ivy", List.of("east"), HASWELL_CORE), 201);
            for (Map<String, Object> report : reports.values()) {
                register(service, report, report == ivy ? 200 : 201);
            }
            HttpResponse<String> policy = service.put(
                    "/aggregates/west",
                    JSON.writeValueAsString(Map.of(
                            "description",
                            "build farm, nested guests",
                            "policy",
                            Map.of(
                                    "goal",
                                    "migration",
                                    "nestedVirtualization",
                                    "allowed",
                                    "mitigations",
                                    Map.of("mode", "disable", "disable", List.of("spec-ctrl"))))));
            assertThat(policy.statusCode()).as(policy.body()).isEqualTo(200);
            a = read(service);
        }

        // The fixtures make the case this test is about: four hosts, three kinds, the twins alike.
        Map<String, String> kindsOnA = kinds(a);
        assertThat(kindsOnA.get(TWIN_1)).isEqualTo(kindsOnA.get(TWIN_2));
        assertThat(Set.copyOf(kindsOnA.values())).hasSize(3);
        assertThat(a.hosts().get(AGENT).path("hypervisorCpu").path("model").asString())
                .isEqualTo("kvm64");
        assertThat(a.hosts()
                        .get(AGENT)
                        .path("guestModels")
                        .path("supportedModes")
                        .size())
                .isPositive();
        assertThat(a.hosts().get(IVY).path("documents").has("expanded-cpu")).isTrue();
        assertThat(a.history().get(IVY))
                .extracting(e -> e.path("kind").asString())
                .containsExactly("cpu-changed", "registered");
        assertThat(a.history().get(IVY).get(0).path("aggregates").size())
                .as("the change of CPU changed east's recommendation")
                .isEqualTo(1);

        // ---- B: the V5 schema with what the V5-era service stored for the same hosts ---------------------------
        String urlB = url("fleetcpu_b");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(urlB);
        dataSource.setUser(USER);
        dataSource.setPassword(PASSWORD);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .target("5")
                .load()
                .migrate();
        try (Connection db = DriverManager.getConnection(urlB, USER, PASSWORD)) {
            assertThat(strings(db, "select version from flyway_schema_history where success order by installed_rank"))
                    .containsExactly("1", "2", "3", "4", "5");
            db.setAutoCommit(false);
            for (JsonNode aggregate : a.aggregates().values()) {
                insertAggregateV5(db, aggregate);
            }
            for (String id : HOSTS) {
                insertHostV5(db, a.hosts().get(id), a.documents().get(id), id.equals(IVY) ? 1 : 0);
            }
            List<JsonNode> events = new ArrayList<>();
            a.history().values().forEach(events::addAll);
            events.sort(
                    (x, y) -> Long.compare(x.path("id").asLong(), y.path("id").asLong()));
            for (JsonNode event : events) {
                insertEventV4(db, event);
            }
            db.commit();
        }

        // ---- the current service on B: Flyway migrates it -------------------------------------------------------
        try (RunningService service = start("fleetcpu_b")) {
            Seen b = read(service);
            System.out.println("---- V5 database migrated to CPU kinds ----");
            for (String id : HOSTS) {
                System.out.printf(
                        "host %s %-15s kind on A %s, on B %s%n",
                        id,
                        a.hosts().get(id).path("hostname").asString(),
                        kindsOnA.get(id),
                        b.hosts().get(id).path("kind").asString());
            }
            for (String aggregate : AGGREGATES) {
                System.out.printf(
                        "aggregate %-4s hostCount A %d, B %d; recommended A %s %s, B %s %s%n",
                        aggregate,
                        a.aggregates().get(aggregate).path("hostCount").asInt(),
                        b.aggregates().get(aggregate).path("hostCount").asInt(),
                        a.recommended().get(aggregate).path("mode").asString(),
                        a.recommended().get(aggregate).path("model").asString(),
                        b.recommended().get(aggregate).path("mode").asString(),
                        b.recommended().get(aggregate).path("model").asString());
            }
            try (Connection db = DriverManager.getConnection(urlB, USER, PASSWORD)) {
                // V1-V8 bring the kinds; later migrations (V9 on: agent credentials, …) run after them
                assertThat(strings(
                                db, "select version from flyway_schema_history where success order by installed_rank"))
                        .startsWith("1", "2", "3", "4", "5", "6", "7", "8");
                assertThat(strings(db, "select distinct added_by from aggregate_host"))
                        .as("memberships from before V10 count as the agent's")
                        .containsExactly("agent");
                assertThat(strings(db, "select id from cpu_kind order by id"))
                        .as("one cpu_kind row per distinct CPU")
                        .containsExactlyElementsOf(new java.util.TreeSet<>(kindsOnA.values()));
                assertThat(strings(
                                db,
                                "select aggregate_id || ' ' || kind_id || ' ' || hosts from aggregate_kind "
                                        + "order by 1"))
                        .containsExactlyInAnyOrder(
                                "east " + kindsOnA.get(TWIN_1) + " 2", "east " + kindsOnA.get(IVY) + " 1",
                                "west " + kindsOnA.get(TWIN_1) + " 1", "west " + kindsOnA.get(AGENT) + " 1");
            }

            // Every host, with every fact and document, and the kind a registration gave it on A.
            for (String id : HOSTS) {
                assertThat(b.hosts().get(id).path("kind").asString())
                        .as("kind of %s on B", id)
                        .isEqualTo(kindsOnA.get(id));
                assertThat(b.hosts().get(id))
                        .as("host %s on B", id)
                        .isEqualTo(a.hosts().get(id));
                assertThat(b.documents().get(id))
                        .as("documents of %s on B", id)
                        .isEqualTo(a.documents().get(id))
                        .isNotEmpty();
                assertThat(withoutIds(b.history().get(id)))
                        .as("history of %s on B", id)
                        .isEqualTo(withoutIds(a.history().get(id)));
            }
            JsonNode twins = JSON.readTree(
                    service.get("/hosts?kind=" + kindsOnA.get(TWIN_1)).body());
            assertThat(twins.path("items")
                            .valueStream()
                            .map(h -> h.path("id").asString())
                            .toList())
                    .containsExactly(TWIN_1, TWIN_2);

            // Aggregates: members counted by kind, and the same answers as on A.
            assertThat(b.aggregates().get("east").path("hostCount").asInt()).isEqualTo(3);
            assertThat(hostsByKind(b.aggregates().get("east")))
                    .isEqualTo(Map.of(kindsOnA.get(TWIN_1), 2, kindsOnA.get(IVY), 1));
            assertThat(b.aggregates().get("west").path("hostCount").asInt()).isEqualTo(2);
            assertThat(hostsByKind(b.aggregates().get("west")))
                    .isEqualTo(Map.of(kindsOnA.get(TWIN_1), 1, kindsOnA.get(AGENT), 1));
            for (String aggregate : AGGREGATES) {
                assertThat(b.aggregates().get(aggregate))
                        .as("aggregate %s on B", aggregate)
                        .isEqualTo(a.aggregates().get(aggregate));
                JsonNode onA = a.recommended().get(aggregate);
                JsonNode onB = b.recommended().get(aggregate);
                assertThat(onA.path("model").asString()).as("model on A").isNotBlank();
                assertThat(onB.path("mode").asString())
                        .isEqualTo(onA.path("mode").asString());
                assertThat(onB.path("model").asString())
                        .isEqualTo(onA.path("model").asString());
                assertThat(onB.path("features")).isEqualTo(onA.path("features"));
                assertThat(onB).as("recommended-cpu of %s on B", aggregate).isEqualTo(onA);
                assertThat(b.baselines().get(aggregate))
                        .as("baseline of %s on B", aggregate)
                        .isEqualTo(a.baselines().get(aggregate));
            }
            assertThat(a.recommended().get("east").path("model").asString())
                    .isNotEqualTo(a.recommended().get("west").path("model").asString());

            // The same report again: the host's kind is the one it has, so nothing about its CPU changed.
            for (String id : List.of(TWIN_1, AGENT)) {
                JsonNode before = JSON.readTree(service.get("/hosts/" + id).body());
                HttpResponse<String> again = register(service, reports.get(id), 200);
                JsonNode after = JSON.readTree(service.get("/hosts/" + id).body());
                assertThat(after.path("kind").asString()).isEqualTo(kindsOnA.get(id));
                assertThat(JSON.readTree(again.body()).path("kind").asString()).isEqualTo(kindsOnA.get(id));
                List<JsonNode> history = history(service, id);
                assertThat(history)
                        .extracting(e -> e.path("kind").asString())
                        .as("history of %s", id)
                        .doesNotContain("cpu-changed");
                assertThat(withoutIds(history)).isEqualTo(withoutIds(a.history().get(id)));
                assertThat(without(after, "lastSeenAt"))
                        .as("%s after the same report", id)
                        .isEqualTo(without(before, "lastSeenAt"));
            }
            try (Connection db = DriverManager.getConnection(urlB, USER, PASSWORD)) {
                assertThat(strings(db, "select count(*) from cpu_kind")).containsExactly("3");
                System.out.println("cpu_kind rows on B: " + strings(db, "select id from cpu_kind order by id"));
                System.out.println("cpu_event kinds on B: "
                        + strings(db, "select hostname || ' ' || kind from cpu_event order by id"));
            }
            System.out.println("same reports again on B: kinds unchanged, no cpu-changed event, updatedAt kept");
            System.out.println("---- end ----");
            for (String aggregate : AGGREGATES) {
                assertThat(json(service.get("/aggregates/" + aggregate + "/recommended-cpu")))
                        .isEqualTo(a.recommended().get(aggregate));
            }
        }
    }

    // ---- what a database answers ---------------------------------------------------------------------------------

    private static Seen read(RunningService service) {
        Map<String, JsonNode> hosts = new LinkedHashMap<>();
        Map<String, Map<String, String>> documents = new LinkedHashMap<>();
        Map<String, List<JsonNode>> history = new LinkedHashMap<>();
        for (String id : HOSTS) {
            JsonNode host = json(service.get("/hosts/" + id));
            hosts.put(id, host);
            Map<String, String> docs = new TreeMap<>();
            for (Map.Entry<String, JsonNode> document : host.path("documents").properties()) {
                HttpResponse<String> answer = service.get(document.getValue().asString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                docs.put(document.getKey(), answer.body());
            }
            documents.put(id, docs);
            history.put(id, history(service, id));
        }
        Map<String, JsonNode> aggregates = new LinkedHashMap<>();
        Map<String, JsonNode> recommended = new LinkedHashMap<>();
        Map<String, JsonNode> baselines = new LinkedHashMap<>();
        for (String id : AGGREGATES) {
            aggregates.put(id, json(service.get("/aggregates/" + id)));
            recommended.put(id, json(service.get("/aggregates/" + id + "/recommended-cpu")));
            baselines.put(id, json(service.get("/aggregates/" + id + "/baseline")));
        }
        return new Seen(hosts, documents, history, aggregates, recommended, baselines);
    }

    private static List<JsonNode> history(RunningService service, String id) {
        return json(service.get("/hosts/" + id + "/history")).valueStream().toList();
    }

    private static JsonNode json(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static Map<String, String> kinds(Seen seen) {
        Map<String, String> kinds = new LinkedHashMap<>();
        seen.hosts().forEach((id, host) -> kinds.put(id, host.path("kind").asString()));
        assertThat(kinds.values()).allSatisfy(k -> assertThat(k).matches("[0-9a-f]{32}"));
        return kinds;
    }

    private static Map<String, Integer> hostsByKind(JsonNode aggregate) {
        Map<String, Integer> counts = new TreeMap<>();
        aggregate
                .path("kinds")
                .forEach(k ->
                        counts.put(k.path("kind").asString(), k.path("hosts").asInt()));
        return counts;
    }

    private static List<JsonNode> withoutIds(List<JsonNode> events) {
        return events.stream().map(e -> without(e, "id")).toList();
    }

    private static JsonNode without(JsonNode node, String field) {
        ObjectNode copy = (ObjectNode) node.deepCopy();
        copy.remove(field);
        return copy;
    }

    // ---- rows as the V5-era service wrote them -------------------------------------------------------------------

    private static void insertAggregateV5(Connection db, JsonNode aggregate) throws SQLException {
        JsonNode policy = aggregate.path("policy");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", aggregate.path("id").asString());
        row.put("description", aggregate.path("description").asString());
        row.put("goal", policy.path("goal").asString());
        row.put("created_at", instant(aggregate, "createdAt"));
        row.put("updated_at", instant(aggregate, "updatedAt"));
        row.put("version", aggregate.path("version").asLong());
        row.put("nested_virtualization", policy.path("nestedVirtualization").asString());
        row.put("strict", policy.path("strict").asBoolean());
        row.put("mitigations", policy.path("mitigations").path("mode").asString());
        row.put("disabled_mitigations", list(policy.path("mitigations").path("disable")));
        row.put("minimum_model", text(policy, "minimumModel"));
        row.put("pinned_model", text(policy, "pinnedModel"));
        insert(db, "aggregate", row);
    }

    /** V1, V2 and V5 columns, as the V5-era Host entity (CpuFacts embedded twice) mapped the host. */
    private static void insertHostV5(Connection db, JsonNode host, Map<String, String> documents, long version)
            throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        UUID id = UUID.fromString(host.path("id").asString());
        row.put("id", id);
        row.put("hostname", host.path("hostname").asString());
        cpuColumns(row, "", host.path("cpu"));
        row.put("capabilities_xml", documents.get("capabilities"));
        row.put("domain_capabilities_xml", documents.get("domain-capabilities"));
        row.put("expanded_cpu_xml", documents.get("expanded-cpu"));
        row.put("registered_at", instant(host, "registeredAt"));
        row.put("updated_at", instant(host, "updatedAt"));
        row.put("version", version);
        row.put("migratable_cpu_xml", documents.get("migratable-cpu"));
        row.put("hypervisor_cpu_xml", documents.get("hypervisor-cpu"));
        cpuColumns(row, "hypervisor_", host.path("hypervisorCpu"));
        JsonNode models = host.path("guestModels");
        row.put("host_model", text(models, "hostModel"));
        row.put("usable_models", models.isMissingNode() ? null : list(models.path("usableModels")));
        row.put("supported_cpu_modes", models.has("supportedModes") ? list(models.path("supportedModes")) : null);
        JsonNode kernel = host.path("kernel");
        row.put("kernel_release", text(kernel, "release"));
        row.put("kvm_module", text(kernel, "kvmModule"));
        row.put("nested", kernel.path("nested").asString());
        row.put("virtualization_flag", text(kernel, "virtualizationFlag"));
        JsonNode versions = host.path("versions");
        row.put("libvirt_version", text(versions, "libvirt"));
        row.put("qemu_version", text(versions, "qemu"));
        row.put("agent_version", text(versions, "agent"));
        insert(db, "host", row);
        for (JsonNode aggregate : host.path("aggregates")) {
            insert(db, "aggregate_host", Map.of("aggregate_id", aggregate.asString(), "host_id", id));
        }
    }

    /** One CpuFacts: its columns are null together when the host did not send that view. */
    private static void cpuColumns(Map<String, Object> row, String prefix, JsonNode cpu) {
        boolean none = cpu.isMissingNode() || cpu.isNull();
        JsonNode signature = cpu.path("signature");
        row.put(prefix + "arch", none ? null : text(cpu, "arch"));
        row.put(prefix + "vendor", none ? null : text(cpu, "vendor"));
        row.put(prefix + "model", none ? null : text(cpu, "model"));
        row.put(prefix + "model_known", none ? null : cpu.path("modelKnown").asBoolean());
        row.put(prefix + "microcode", none ? null : text(cpu, "microcode"));
        row.put(
                prefix + "signature_family",
                none || !signature.has("family")
                        ? null
                        : signature.path("family").asInt());
        row.put(
                prefix + "signature_model",
                none || !signature.has("model") ? null : signature.path("model").asInt());
        row.put(
                prefix + "signature_stepping",
                none || !signature.has("stepping")
                        ? null
                        : signature.path("stepping").asInt());
        row.put(prefix + "cpu_source", none ? null : text(cpu, "source"));
        row.put(prefix + "listed_features", none ? null : list(cpu.path("listedFeatures")));
        row.put(prefix + "disabled_features", none ? null : list(cpu.path("disabledFeatures")));
        row.put(prefix + "features", none ? null : list(cpu.path("features")));
        row.put(prefix + "unknown_features", none ? null : list(cpu.path("unknownFeatures")));
    }

    /** V4's tables; the event's id comes from its sequence, as it did when the service wrote it. */
    private static void insertEventV4(Connection db, JsonNode event) throws SQLException {
        long id;
        try (PreparedStatement sql = db.prepareStatement("insert into cpu_event (host_id, hostname, occurred_at, kind, "
                + "added, removed) values (?, ?, ?, ?, ?, ?) returning id")) {
            sql.setObject(1, UUID.fromString(event.path("hostId").asString()));
            sql.setString(2, event.path("hostname").asString());
            sql.setObject(3, instant(event, "occurredAt"));
            sql.setString(4, event.path("kind").asString());
            sql.setArray(5, db.createArrayOf("text", list(event.path("added"))));
            sql.setArray(6, db.createArrayOf("text", list(event.path("removed"))));
            try (ResultSet row = sql.executeQuery()) {
                row.next();
                id = row.getLong(1);
            }
        }
        int position = 0;
        for (JsonNode change : event.path("changes")) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("event_id", id);
            row.put("position", position++);
            row.put("fact", change.path("fact").asString());
            row.put("before", text(change, "before"));
            row.put("after", text(change, "after"));
            insert(db, "cpu_event_change", row);
        }
        for (JsonNode effect : event.path("aggregates")) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("event_id", id);
            row.put("aggregate_id", effect.path("aggregateId").asString());
            row.put("cpu_before", effect.path("cpuBefore").asString());
            row.put("cpu_after", effect.path("cpuAfter").asString());
            row.put("host_runs_previous", effect.path("hostRunsPrevious").asBoolean());
            row.put("missing_features", list(effect.path("missingFeatures")));
            insert(db, "cpu_event_aggregate", row);
        }
    }

    private static void insert(Connection db, String table, Map<String, Object> row) throws SQLException {
        String columns = String.join(", ", row.keySet());
        String marks = String.join(", ", row.keySet().stream().map(c -> "?").toList());
        try (PreparedStatement sql =
                db.prepareStatement("insert into " + table + " (" + columns + ") values (" + marks + ")")) {
            int i = 1;
            for (Object value : row.values()) {
                if (value instanceof String[] array) {
                    sql.setArray(i++, db.createArrayOf("text", array));
                } else {
                    sql.setObject(i++, value);
                }
            }
            sql.executeUpdate();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asString();
    }

    private static String[] list(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values.toArray(String[]::new);
    }

    private static OffsetDateTime instant(JsonNode node, String field) {
        return OffsetDateTime.parse(node.path(field).asString());
    }

    // ---- registrations -------------------------------------------------------------------------------------------

    private static RunningService start(String database) {
        return RunningService.start(
                "--spring.datasource.url=" + url(database),
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + PASSWORD,
                "--fleetcpu.embedded-postgres.data-directory=target/migration-to-cpu-kinds-test-unused");
    }

    private static String url(String database) {
        return postgres.url(database);
    }

    private static HttpResponse<String> register(RunningService service, Map<String, Object> report, int status) {
        HttpResponse<String> answer = service.post("/hosts", JSON.writeValueAsString(report));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer;
    }

    private static Map<String, Object> versions(String libvirt, String qemu, String agent) {
        return Map.of("libvirt", libvirt, "qemu", qemu, "agent", agent);
    }

    private static Map<String, Object> withKernel(
            Map<String, Object> body, String release, Map<String, Object> versions) {
        body.put("kernel", KvmKernel.intel(release, "enabled"));
        if (versions != null) {
            body.put("versions", versions);
        }
        return body;
    }

    private static String cpuData(String file) {
        return resource("/cpudata/" + file);
    }
}
