package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuMapDigest;
import io.fleetcpu.testing.CpuMapFiles;
import io.fleetcpu.testing.KvmKernel;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two instances of the service on one PostgreSQL, as behind a load balancer: each keeps aggregate answers in memory,
 * under versions kept in the database. Whatever changes through one instance, the other answers the same body and the
 * same ETag at once: no sleep, no retry.
 */
class TwoInstancesOnOneDatabaseTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String DATABASE = "fleetcpu_shared";
    private static final String USER = OperatorPostgres.USER;
    private static final String PASSWORD = OperatorPostgres.PASSWORD;

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v3-host.xml";
    private static final String BROADWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v4-host.xml";
    private static final String SKYLAKE = "libvirt-9.9.0/x86_64-cpuid-Core-i5-6600-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final String SANDY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i5-2500-host.xml";
    private static final String WESTMERE = "libvirt-9.9.0/x86_64-cpuid-Core-i5-650-host.xml";

    private static final String HASWELL_ID = "2f1d7c7e-0b7a-4f55-8d3e-000000000001";
    private static final String BROADWELL_ID = "2f1d7c7e-0b7a-4f55-8d3e-000000000002";
    private static final String SKYLAKE_ID = "2f1d7c7e-0b7a-4f55-8d3e-000000000003";
    private static final String OLDER_ID = "2f1d7c7e-0b7a-4f55-8d3e-000000000004";
    private static final String WESTMERE_ID = "2f1d7c7e-0b7a-4f55-8d3e-000000000005";

    private static final String ANSWER = "/aggregates/east/recommended-cpu";
    /** libvirt's baseline, cached the same way. */
    private static final String BASELINE = "/aggregates/east/baseline";

    private static OperatorPostgres postgres;
    private static String url;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = OperatorPostgres.start(DATABASE);
        url = postgres.url(DATABASE);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** One answer of one instance. */
    private record Seen(int status, String etag, JsonNode body) {

        String model() {
            return status == 200
                    ? body.path("mode").asString() + " " + body.path("model").asString()
                            + (features().contains("require:vmx") ? " +vmx" : "") + " ("
                            + body.path("hostCount").asInt()
                            + " hosts)"
                    : status + " " + body.path("title").asString();
        }

        List<String> features() {
            List<String> features = new ArrayList<>();
            body.path("features")
                    .forEach(f -> features.add(
                            f.path("policy").asString() + ":" + f.path("name").asString()));
            return features;
        }
    }

    /** Both instances' answers at one moment; B is always asked first. */
    private record Both(Seen a, Seen b) {}

    private final List<String> transcript = new ArrayList<>();

    @Test
    void bothInstancesAnswerAlikeAfterEveryKindOfChange() throws SQLException {
        try (RunningService a = start();
                RunningService b = start()) {
            register(a, HASWELL_ID, "east-haswell", List.of("east"), HASWELL, 201);
            register(a, BROADWELL_ID, "east-broadwell", List.of("east"), BROADWELL, 201);
            register(a, SKYLAKE_ID, "east-skylake", List.of("east"), SKYLAKE, 201);

            Both start = read(a, b);
            assertAlike(start);
            assertThat(start.b().status()).as(start.b().body().toString()).isEqualTo(200);
            assertThat(b.get(ANSWER, "If-None-Match", start.a().etag()).statusCode())
                    .as("B given A's ETag")
                    .isEqualTo(304);
            assertThat(a.get(ANSWER, "If-None-Match", start.b().etag()).statusCode())
                    .as("A given B's ETag")
                    .isEqualTo(304);
            note("start: east-haswell, east-broadwell, east-skylake registered through A", null, start);

            // (a) a host with an older CPU joins.
            Both joined = change(
                    "(a) register east-older (Ivy Bridge, i7-3770) into east through A",
                    start,
                    a,
                    b,
                    () -> register(a, OLDER_ID, "east-older", List.of("east"), IVY_BRIDGE, 201));
            assertThat(joined.b().body().path("model").asString())
                    .isEqualTo("IvyBridge")
                    .isNotEqualTo(start.b().body().path("model").asString());
            assertThat(joined.b().body().path("hostCount").asInt()).isEqualTo(4);

            // (b) the policy changes.
            Both policy = change(
                    "(b) PUT /aggregates/east nestedVirtualization=allowed through A",
                    joined,
                    a,
                    b,
                    () -> expect(
                            a.put(
                                    "/aggregates/east",
                                    "{\"policy\": {\"goal\": \"migration\", "
                                            + "\"nestedVirtualization\": \"allowed\"}}"),
                            200));
            assertThat(joined.b().features()).doesNotContain("require:vmx");
            assertThat(policy.b().features()).contains("require:vmx");
            assertThat(policy.b()
                            .body()
                            .path("policy")
                            .path("nestedVirtualization")
                            .asString())
                    .isEqualTo("allowed");

            // (c) a member's CPU changes: its kind changes.
            String kindBefore = kindOf(a, OLDER_ID);
            Both recpu = change(
                    "(c) east-older re-registers with a Sandy Bridge CPU (i5-2500) through A",
                    policy,
                    a,
                    b,
                    () -> register(a, OLDER_ID, "east-older", List.of("east"), SANDY_BRIDGE, 200));
            assertThat(kindOf(b, OLDER_ID)).isNotEqualTo(kindBefore);
            assertThat(recpu.b().body().path("model").asString())
                    .isEqualTo("SandyBridge")
                    .isNotEqualTo(policy.b().body().path("model").asString());
            assertThat(recpu.b().body().path("hostCount").asInt()).isEqualTo(4);

            // (d) a member leaves.
            Both left = change(
                    "(d) DELETE /aggregates/east/hosts/east-older through A",
                    recpu,
                    a,
                    b,
                    () -> expect(a.delete("/aggregates/east/hosts/" + OLDER_ID), 204));
            assertThat(left.b().body().path("model").asString())
                    .isEqualTo(start.b().body().path("model").asString())
                    .isNotEqualTo(recpu.b().body().path("model").asString());
            assertThat(left.b().body().path("hostCount").asInt()).isEqualTo(3);

            // (e) the aggregate goes and comes back under the same id, with other hosts, until its versions are the
            // very numbers the old one had when both instances cached its answer: only created_at tells them apart.
            register(a, WESTMERE_ID, "west-westmere", List.of(), WESTMERE, 201);
            long[] old = versions();
            Instant oldCreated = created();
            Both gone = change(
                    "(e1) DELETE /aggregates/east through A",
                    left,
                    a,
                    b,
                    () -> expect(a.delete("/aggregates/east"), 204));
            assertThat(gone.b().status()).isEqualTo(404);

            Both current = change(
                    "(e2) PUT /aggregates/east (created again, nestedVirtualization=allowed) through A",
                    gone,
                    a,
                    b,
                    () -> expect(
                            a.put(
                                    "/aggregates/east",
                                    "{\"policy\": {\"goal\": \"migration\", "
                                            + "\"nestedVirtualization\": \"allowed\"}}"),
                            201));
            assertThat(current.b().status()).as("an empty aggregate").isEqualTo(409);
            while (versions()[0] < old[0]) {
                current = change(
                        "(e3) PUT /aggregates/east again through A (policy version " + (versions()[0] + 1) + ")",
                        current,
                        a,
                        b,
                        () -> expect(
                                a.put(
                                        "/aggregates/east",
                                        "{\"policy\": {\"goal\": "
                                                + "\"migration\", \"nestedVirtualization\": \"allowed\"}}"),
                                200));
            }
            current = change(
                    "(e4) PUT /aggregates/east/hosts/east-older (Sandy Bridge) through A",
                    current,
                    a,
                    b,
                    () -> expect(a.put("/aggregates/east/hosts/" + OLDER_ID, ""), 201));
            current = change(
                    "(e5) PUT /aggregates/east/hosts/west-westmere through A",
                    current,
                    a,
                    b,
                    () -> expect(a.put("/aggregates/east/hosts/" + WESTMERE_ID, ""), 201));
            boolean haswellIn = false;
            while (versions()[1] < old[1]) {
                boolean join = !haswellIn;
                current = change(
                        "(e6) " + (join ? "PUT" : "DELETE") + " /aggregates/east/hosts/east-haswell through A "
                                + "(members version " + (versions()[1] + 1) + ")",
                        current,
                        a,
                        b,
                        () -> expect(
                                join
                                        ? a.put("/aggregates/east/hosts/" + HASWELL_ID, "")
                                        : a.delete("/aggregates/east/hosts/" + HASWELL_ID),
                                join ? 201 : 204));
                haswellIn = join;
            }
            assertThat(versions())
                    .as("aggregate.version and members_version of the new east")
                    .containsExactly(old[0], old[1]);
            assertThat(created()).isNotEqualTo(oldCreated);
            Both again = current;
            assertThat(again.b().body().path("hostCount").asInt()).isEqualTo(haswellIn ? 3 : 2);
            assertThat(again.b().body().path("model").asString())
                    .isEqualTo("Westmere")
                    .isNotEqualTo(left.b().body().path("model").asString());
            assertThat(again.b().body()).isNotEqualTo(left.b().body());
            assertThat(again.b().etag()).isNotEqualTo(left.b().etag());
            int oldEtagOnB = b.get(ANSWER, "If-None-Match", left.b().etag()).statusCode();
            transcript.add(String.format(
                    "(e) at versions policy=%d members=%d: old east %s ETag %s; new east %s ETag %s "
                            + "on A and B; B given the old ETag: %d",
                    old[0],
                    old[1],
                    left.b().model(),
                    left.b().etag(),
                    again.b().model(),
                    again.b().etag(),
                    oldEtagOnB));
            assertThat(oldEtagOnB).as("B given the old east's ETag").isEqualTo(200);
        } finally {
            System.out.println("---- two instances, one database: transcript ----");
            transcript.forEach(System.out::println);
            System.out.println("---- end of transcript ----");
        }
    }

    /**
     * Makes the change through A, then asks B at once, then A; both must answer alike, with a new ETag, and the ETag
     * from before must no longer give 304 on either.
     */
    private Both change(String what, Both before, RunningService a, RunningService b, Runnable change) {
        change.run();
        Seen onB = seen(b.get(ANSWER));
        HttpResponse<String> bOld = before.b().etag() == null
                ? null
                : b.get(ANSWER, "If-None-Match", before.b().etag());
        Seen onA = seen(a.get(ANSWER));
        HttpResponse<String> aOld = before.a().etag() == null
                ? null
                : a.get(ANSWER, "If-None-Match", before.a().etag());
        Both after = new Both(onA, onB);
        note(what, before, after);
        assertAlike(after);
        Seen baselineOnB = seen(b.get(BASELINE));
        assertAlike(new Both(seen(a.get(BASELINE)), baselineOnB));
        assertThat(baselineOnB.status()).as("%s: B's baseline", what).isEqualTo(onB.status());
        if (bOld != null) {
            assertThat(bOld.statusCode())
                    .as("%s: B given the ETag from before", what)
                    .isNotEqualTo(304);
            assertThat(aOld.statusCode())
                    .as("%s: A given the ETag from before", what)
                    .isNotEqualTo(304);
        }
        if (onB.status() == 200) {
            // Both could be stale alike: the answer must also count the members the database has now.
            assertThat(onB.body().path("hostCount").asLong())
                    .as("%s: hostCount in B's answer", what)
                    .isEqualTo(members());
            assertThat(onB.etag())
                    .as("%s: B's ETag", what)
                    .isNotNull()
                    .isNotEqualTo(before.b().etag());
            assertThat(b.get(ANSWER, "If-None-Match", onA.etag()).statusCode())
                    .as("%s: B given A's ETag", what)
                    .isEqualTo(304);
            assertThat(a.get(ANSWER, "If-None-Match", onB.etag()).statusCode())
                    .as("%s: A given B's ETag", what)
                    .isEqualTo(304);
        }
        return after;
    }

    private void note(String what, Both before, Both after) {
        transcript.add(what);
        transcript.add(String.format(
                "    A: ETag %s -> %s   %s -> %s",
                before == null ? "-" : before.a().etag(),
                after.a().etag(),
                before == null ? "-" : before.a().model(),
                after.a().model()));
        transcript.add(String.format(
                "    B: ETag %s -> %s   %s -> %s",
                before == null ? "-" : before.b().etag(),
                after.b().etag(),
                before == null ? "-" : before.b().model(),
                after.b().model()));
    }

    private static void assertAlike(Both both) {
        assertThat(both.b().status()).as("B's status").isEqualTo(both.a().status());
        assertThat(both.b().body()).as("B's answer").isEqualTo(both.a().body());
        assertThat(both.b().etag()).as("B's ETag").isEqualTo(both.a().etag());
    }

    private static Both read(RunningService a, RunningService b) {
        Seen onB = seen(b.get(ANSWER));
        return new Both(seen(a.get(ANSWER)), onB);
    }

    private static Seen seen(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 404, 409);
        return new Seen(
                answer.statusCode(), answer.headers().firstValue("ETag").orElse(null), JSON.readTree(answer.body()));
    }

    private static String kindOf(RunningService service, String hostId) {
        HttpResponse<String> host = expect(service.get("/hosts/" + hostId), 200);
        return JSON.readTree(host.body()).path("kind").asString();
    }

    /** aggregate.version and aggregate.members_version of east, as the database has them. */
    private static long[] versions() throws SQLException {
        try (Connection db = DriverManager.getConnection(url, USER, PASSWORD);
                PreparedStatement sql =
                        db.prepareStatement("select version, members_version from aggregate where id = 'east'");
                ResultSet row = sql.executeQuery()) {
            assertThat(row.next()).as("east exists").isTrue();
            return new long[] {row.getLong(1), row.getLong(2)};
        }
    }

    /** How many hosts the database has in east. */
    private static long members() {
        try (Connection db = DriverManager.getConnection(url, USER, PASSWORD);
                PreparedStatement sql =
                        db.prepareStatement("select count(*) from aggregate_host where aggregate_id = 'east'");
                ResultSet row = sql.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant created() throws SQLException {
        try (Connection db = DriverManager.getConnection(url, USER, PASSWORD);
                PreparedStatement sql = db.prepareStatement("select created_at from aggregate where id = 'east'");
                ResultSet row = sql.executeQuery()) {
            assertThat(row.next()).as("east exists").isTrue();
            return row.getTimestamp(1).toInstant();
        }
    }

    /**
     * A cpu_map an agent uploads through one instance reads, at once, the hosts registered through the other: maps are
     * kept in the database, each instance keeping those it has read.
     */
    @Test
    void aMapUploadedThroughOneInstanceReadsHostsRegisteredThroughTheOther() {
        Map<String, byte[]> files = CpuMapFiles.patched(BundledMap.LIBVIRT_12_8, "two instances, one database");
        String digest = CpuMapDigest.of(files);
        try (RunningService a = start();
                RunningService b = start()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("hostname", "gold-6530");
            body.put("aggregates", List.of("maps"));
            body.put(
                    "capabilitiesXml",
                    RunningService.capabilities(
                            "2f1d7c7e-0b7a-4f55-8d3e-000000000010",
                            "libvirt-newer/x86_64-cpuid-Xeon-Gold-6530-host.xml"));
            body.put("versions", Map.of("libvirt", "12.5.0"));
            body.put("cpuMap", digest);
            // B has never seen the map; A is asked to hold it first
            expect(a.get("/cpu-maps/" + digest), 404);
            expect(b.put("/cpu-maps/" + digest, JSON.writeValueAsString(CpuMapFiles.upload(files, "12.5.0"))), 201);
            JsonNode host = JSON.readTree(
                    expect(a.post("/hosts", JSON.writeValueAsString(body)), 201).body());
            assertThat(host.path("cpuMap").asString()).isEqualTo(digest);
            assertThat(host.path("catalog").asString()).isEqualTo("libvirt 12.5 (map " + digest.substring(0, 12) + ")");
            // and B, which stored the map, reads the kind A stored with it
            JsonNode answer = JSON.readTree(
                    expect(b.get("/aggregates/maps/recommended-cpu"), 200).body());
            assertThat(answer.path("catalog").path("cpuMapDigest").asString()).isEqualTo(digest);
            assertThat(expect(a.get("/catalogs"), 200).body()).contains(digest);
        }
    }

    private static RunningService start() {
        return RunningService.start(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + PASSWORD,
                "--fleetcpu.embedded-postgres.data-directory=target/two-instances-test-unused");
    }

    private static HttpResponse<String> expect(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer;
    }

    private static void register(
            RunningService service,
            String uuid,
            String hostname,
            List<String> aggregates,
            String hostCpuFile,
            int status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", hostname);
        body.put("aggregates", aggregates);
        body.put("capabilitiesXml", RunningService.capabilities(uuid, hostCpuFile));
        body.put("kernel", KvmKernel.intel("enabled"));
        expect(service.post("/hosts", JSON.writeValueAsString(body)), status);
    }
}
