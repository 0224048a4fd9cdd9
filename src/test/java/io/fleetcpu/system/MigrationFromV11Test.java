package io.fleetcpu.system;

import static io.fleetcpu.system.MigrationFixtures.agentRegistration;
import static io.fleetcpu.system.MigrationFixtures.registration;
import static io.fleetcpu.system.MigrationFixtures.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.policy.migration.MigrationFacts;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A database at V11 (before kinds had a catalog, V12, and kept the models the hypervisor deprecates or cannot run,
 * V13), with hosts and kinds stored, migrates to the latest version without losing anything.
 *
 * <p>Database A is filled by registering real fixtures over HTTP with the current service. Database B is migrated to
 * V11 only and gets A's rows as a V11-era service stored them: the columns V11 has, and kind ids computed as they
 * were then (no catalog line, no model lists: {@code CpuKindFacts} of the V11 columns). One host's row says libvirt
 * 11.3.0, which at V11 read nothing differently. The current service then starts on B and Flyway migrates it.
 *
 * <p>Expected, from the migrations' own words: V12 gives every kind the configured catalog ({@code libvirt 9.0}
 * unless {@code fleetcpu.catalog.libvirt-version} is set), whatever its hosts' libvirt, and keeps the ids; V13 gives
 * a host with a domain capabilities document the kind a registration of its report computes now (its model lists
 * filled from the document, hence another id when it lists unusable models), and leaves the lists null (not known)
 * for kinds without a document.
 */
class MigrationFromV11Test {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String USER = OperatorPostgres.USER;
    private static final String PASSWORD = OperatorPostgres.PASSWORD;

    private static final String HASWELL_XEON = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v3-host.xml";
    private static final String COOPERLAKE = "libvirt-9.9.0/x86_64-cpuid-Cooperlake-host.xml";

    private static final String TWIN_1 = "7c1d2e3f-0a1b-4c2d-8e3f-000000000001";
    private static final String TWIN_2 = "7c1d2e3f-0a1b-4c2d-8e3f-000000000002";
    private static final String COOPER = "7c1d2e3f-0a1b-4c2d-8e3f-000000000003";
    /** The UUID inside hostdata/capabilities-broadwell-kvm-host.xml. */
    private static final String AGENT = "515ce18e-e55b-4fc1-834c-3b12eb4e146b";

    private static final List<String> HOSTS = List.of(TWIN_1, TWIN_2, COOPER, AGENT);

    /** B's tables in an order their foreign keys allow; aggregate_kind is kept by a trigger on aggregate_host. */
    private static final List<String> TABLES = List.of(
            "aggregate", "cpu_kind", "host", "aggregate_host", "cpu_event", "cpu_event_change", "cpu_event_aggregate");

    private static OperatorPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = OperatorPostgres.start("fleetcpu_v11_a", "fleetcpu_v11_b");
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aV11DatabaseWithHostsAndKindsMigratesToTheLatestKeepingEveryHost() throws Exception {
        // ---- A: the current service registers the hosts (none says libvirt 10 or later: read as V11 read them) ----
        Map<String, JsonNode> onA = new LinkedHashMap<>();
        Map<String, JsonNode> aggregatesOnA = new LinkedHashMap<>();
        try (RunningService service = start("fleetcpu_v11_a")) {
            register(service, registration(TWIN_1, "twin-1", List.of("east"), HASWELL_XEON));
            register(service, registration(TWIN_2, "twin-2", List.of("east"), HASWELL_XEON));
            register(service, registration(COOPER, "cooper", List.of("east", "west"), COOPERLAKE));
            register(service, agentRegistration());
            for (String id : HOSTS) {
                onA.put(id, JSON.readTree(service.get("/hosts/" + id).body()));
            }
            for (String aggregate : List.of("east", "west")) {
                aggregatesOnA.put(
                        aggregate,
                        JSON.readTree(service.get("/aggregates/" + aggregate).body()));
            }
        }
        assertThat(onA.get(TWIN_1).path("kind").asString())
                .isEqualTo(onA.get(TWIN_2).path("kind").asString());

        // ---- B: V11, with A's rows as a V11-era service stored them ----------------------------------------------
        String urlA = postgres.url("fleetcpu_v11_a");
        String urlB = postgres.url("fleetcpu_v11_b");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(urlB);
        dataSource.setUser(USER);
        dataSource.setPassword(PASSWORD);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .target("11")
                .load()
                .migrate();
        Map<String, String> v11Ids = new HashMap<>();
        Map<String, CpuKindFacts> factsOnA = new HashMap<>();
        try (Connection a = DriverManager.getConnection(urlA, USER, PASSWORD);
                Connection b = DriverManager.getConnection(urlB, USER, PASSWORD)) {
            assertThat(strings(b, "select max(version::int) from flyway_schema_history where success"))
                    .containsExactly("11");
            assertThat(strings(
                            b,
                            "select count(*) from information_schema.columns where table_name = 'cpu_kind' "
                                    + "and column_name in ('catalog', 'deprecated_models')"))
                    .containsExactly("0");
            try (Statement s = a.createStatement();
                    ResultSet kind = s.executeQuery("select * from cpu_kind")) {
                while (kind.next()) {
                    v11Ids.put(kind.getString("id"), factsOfV11Columns(kind).id());
                    factsOnA.put(kind.getString("id"), factsOfV11Columns(kind));
                }
            }
            b.setAutoCommit(false);
            for (String table : TABLES) {
                copy(a, b, table, v11Ids);
            }
            try (PreparedStatement libvirt =
                    b.prepareStatement("update host set libvirt_version = '11.3.0' where id = ?::uuid")) {
                libvirt.setString(1, COOPER);
                assertThat(libvirt.executeUpdate()).isEqualTo(1);
            }
            b.commit();
        }
        String agentKindOnA = onA.get(AGENT).path("kind").asString();
        assertThat(v11Ids.get(agentKindOnA))
                .as("the agent's kind had another id before V13 (no model lists)")
                .isNotEqualTo(agentKindOnA);
        assertThat(v11Ids.get(onA.get(TWIN_1).path("kind").asString()))
                .as("a kind without a domain capabilities document had the same id")
                .isEqualTo(onA.get(TWIN_1).path("kind").asString());

        // V16 reads what a live migration needs from each host row's capabilities and versions: the Cooperlake's row
        // now says libvirt 11.3.0, so its kind gains libvirt's major version (its capabilities list no machine types).
        CpuKindFacts cooperOnA = factsOnA.get(onA.get(COOPER).path("kind").asString());
        String cooperKindOnB = new CpuKindFacts(
                        cooperOnA.cpu(),
                        cooperOnA.hypervisorCpu(),
                        cooperOnA.guestModels(),
                        cooperOnA.kvmModule(),
                        cooperOnA.nested(),
                        cooperOnA.virtualizationFlag(),
                        "libvirt 9.0",
                        MigrationFacts.of(List.of(), null, null, null, "11.3.0"))
                .id();
        Map<String, String> kindsOnB = new LinkedHashMap<>();
        onA.forEach((id, host) -> kindsOnB.put(
                id, id.equals(COOPER) ? cooperKindOnB : host.path("kind").asString()));

        // ---- the current service on B: Flyway migrates V12, V13 and on ---------------------------------------------
        try (RunningService service = start("fleetcpu_v11_b")) {
            try (Connection b = DriverManager.getConnection(urlB, USER, PASSWORD)) {
                assertThat(strings(
                                b,
                                "select version from flyway_schema_history where success and version::int > 11 "
                                        + "order by installed_rank"))
                        .startsWith("12", "13");
                assertThat(strings(b, "select distinct catalog from cpu_kind"))
                        .as("V12: every kind gets the configured catalog")
                        .containsExactly("libvirt 9.0");
                assertThat(strings(b, "select id from cpu_kind order by id"))
                        .as("one row per kind, no leftovers")
                        .containsExactlyElementsOf(new java.util.TreeSet<>(kindsOnB.values()));
                // V13: the agent's kind has the lists its document gives (49 models usable='no' on that KVM host), the
                // others none known
                assertThat(strings(
                                b,
                                "select coalesce(array_length(unusable_models, 1), -1) || ' ' || "
                                        + "coalesce(array_length(deprecated_models, 1), 0) from cpu_kind where id = '"
                                        + agentKindOnA + "'"))
                        .containsExactly("49 0");
                assertThat(strings(b, "select count(*) from cpu_kind where unusable_models is null"))
                        .containsExactly("2");
                assertThat(strings(
                                b,
                                "select aggregate_id || ' ' || kind_id || ' ' || hosts from aggregate_kind order by 1"))
                        .containsExactlyInAnyOrder(
                                "east " + onA.get(TWIN_1).path("kind").asString() + " 2",
                                "east " + cooperKindOnB + " 1",
                                "west " + cooperKindOnB + " 1",
                                "west " + agentKindOnA + " 1");
            }
            for (String id : HOSTS) {
                JsonNode onB = JSON.readTree(service.get("/hosts/" + id).body());
                JsonNode expected = onA.get(id);
                if (id.equals(COOPER)) {
                    // the row says libvirt 11.3.0, but the host's CPU is not read again until it registers: its kind
                    // keeps the configured catalog, and flush-l1d stays unknown to it; V16 gave it libvirt's major
                    assertThat(onB.path("versions").path("libvirt").asString()).isEqualTo("11.3.0");
                    assertThat(onB.path("catalog").asString()).isEqualTo("libvirt 9.0");
                    assertThat(onB.path("cpu").path("unknownFeatures").toString())
                            .contains("flush-l1d");
                    assertThat(onB.path("migration").path("libvirtMajor").asInt())
                            .isEqualTo(11);
                    ObjectNode withVersions = (ObjectNode) expected.deepCopy();
                    withVersions.set("versions", onB.path("versions"));
                    withVersions.set("migration", onB.path("migration"));
                    withVersions.put("kind", cooperKindOnB);
                    expected = withVersions;
                }
                assertThat(onB.path("kind").asString()).as("kind of %s", id).isEqualTo(kindsOnB.get(id));
                assertThat(onB).as("host %s after the migration", id).isEqualTo(expected);
            }
            for (String aggregate : List.of("east", "west")) {
                // the same, but for the Cooperlake's kind V16 gave it
                JsonNode expected = JSON.readTree(aggregatesOnA
                        .get(aggregate)
                        .toString()
                        .replace(onA.get(COOPER).path("kind").asString(), cooperKindOnB));
                assertThat(JSON.readTree(service.get("/aggregates/" + aggregate).body()))
                        .as("aggregate %s", aggregate)
                        .isEqualTo(expected);
            }
            JsonNode cooper = JSON.readTree(service.get("/hosts/" + COOPER).body());
            System.out.println("V11 database migrated: kinds " + v11Ids + "; cooper (row says libvirt 11.3.0) kind "
                    + cooper.path("kind").asString() + " catalog "
                    + cooper.path("catalog").asString());

            // The Cooperlake's agent registers again, saying libvirt 11.3.0: now read with libvirt 11.3's map.
            Map<String, Object> again = registration(COOPER, "cooper", List.of("east", "west"), COOPERLAKE);
            again.put("versions", Map.of("libvirt", "11.3.0", "qemu", "10.0.0"));
            HttpResponse<String> answer = service.post("/hosts", JSON.writeValueAsString(again));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode reRead = JSON.readTree(service.get("/hosts/" + COOPER).body());
            assertThat(reRead.path("kind").asString())
                    .isNotEqualTo(onA.get(COOPER).path("kind").asString());
            assertThat(reRead.path("cpu").path("unknownFeatures").isEmpty())
                    .as(reRead.toString())
                    .isTrue();
            assertThat(reRead.path("catalog").asString()).isEqualTo("libvirt 11.3");
        }
    }

    /** The kind's facts from the columns V11 had, as the V11-era service hashed them (V7__host_kinds.facts). */
    private static CpuKindFacts factsOfV11Columns(ResultSet row) throws SQLException, ReflectiveOperationException {
        Method facts = Class.forName("db.migration.V7__host_kinds").getDeclaredMethod("facts", ResultSet.class);
        facts.setAccessible(true);
        try {
            return (CpuKindFacts) facts.invoke(null, row);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Copies a table's rows from A to B, the columns B has; kind ids as V11 computed them. */
    private static void copy(Connection a, Connection b, String table, Map<String, String> v11Ids) throws SQLException {
        List<String> columns = strings(
                b,
                "select column_name from information_schema.columns where table_schema = "
                        + "'public' and table_name = '" + table + "' order by ordinal_position");
        assertThat(columns).as("table %s at V11", table).isNotEmpty();
        String list = String.join(", ", columns);
        String marks = String.join(", ", columns.stream().map(c -> "?").toList());
        try (Statement s = a.createStatement();
                ResultSet row = s.executeQuery("select " + list + " from " + table);
                PreparedStatement insert =
                        b.prepareStatement("insert into " + table + " (" + list + ") values (" + marks + ")")) {
            ResultSetMetaData meta = row.getMetaData();
            while (row.next()) {
                for (int i = 1; i <= columns.size(); i++) {
                    String column = columns.get(i - 1);
                    Object value = row.getObject(i);
                    if (value instanceof Array array) {
                        String type = meta.getColumnTypeName(i).replaceFirst("^_", "");
                        value = b.createArrayOf(type, (Object[]) array.getArray());
                    } else if (value != null
                            && (column.equals("kind_id") || table.equals("cpu_kind") && column.equals("id"))) {
                        value = v11Ids.getOrDefault((String) value, (String) value);
                    }
                    insert.setObject(i, value, meta.getColumnType(i));
                }
                insert.executeUpdate();
            }
        }
        if (Set.of("cpu_event").contains(table)) {
            try (Statement s = b.createStatement()) {
                s.execute(
                        "select setval(pg_get_serial_sequence('cpu_event', 'id'), (select coalesce(max(id), 1) from cpu_event))");
            }
        }
    }

    private static RunningService start(String database) {
        return RunningService.start(
                "--spring.datasource.url=" + postgres.url(database),
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + PASSWORD,
                "--fleetcpu.embedded-postgres.data-directory=target/migration-from-v11-test-unused");
    }

    private static void register(RunningService service, Map<String, Object> report) {
        HttpResponse<String> answer = service.post("/hosts", JSON.writeValueAsString(report));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    }
}
