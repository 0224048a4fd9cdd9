package io.fleetcpu.api.fuzz;

import io.fleetcpu.FleetcpuApplication;
import io.fleetcpu.testing.KvmKernel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service, started once for all fuzz properties (jqwik properties get no Spring test context) on a random
 * port with its own embedded PostgreSQL, and a small known fleet in it. Talks real HTTP; reads the database only to
 * fingerprint it.
 */
final class ServiceUnderFuzz implements AutoCloseable {

    static final String TOKEN = "fuzz-token-0123456789";
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The known fleet every try starts from: ids fuzz cases refer to. */
    static final String HSW_1 = "00000000-0000-4000-8000-00000000000a";

    static final String HSW_2 = "00000000-0000-4000-8000-00000000000b";
    static final String IVY = "00000000-0000-4000-8000-00000000000c";
    static final String EPYC = "00000000-0000-4000-8000-00000000000d";
    static final List<String> HOSTS = List.of(HSW_1, HSW_2, IVY, EPYC);
    /** east: two Haswells and an Ivy Bridge; west: a Haswell; amd: an EPYC; empty: none; nested: strict policy. */
    static final List<String> AGGREGATES = List.of("east", "west", "amd", "empty", "nested");

    static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    static final String EPYC_ROME = "libvirt-9.9.0/x86_64-cpuid-EPYC-7502-32-Core-host.xml";

    /** One answer: status, headers and body as text. */
    record Answer(int status, HttpHeaders headers, String body) {

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private static ServiceUnderFuzz running;

    private final ConfigurableApplicationContext context;
    private final JdbcTemplate jdbc;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final int port;
    private String fleetFingerprint;
    private String current;
    private long kinds;

    private ServiceUnderFuzz(ConfigurableApplicationContext context) {
        this.context = context;
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static synchronized ServiceUnderFuzz start() {
        if (running == null) {
            running = new ServiceUnderFuzz(new SpringApplicationBuilder(FleetcpuApplication.class)
                    .run(
                            "--server.port=0",
                            "--fleetcpu.security.tokens=" + TOKEN,
                            "--spring.main.banner-mode=off",
                            "--fleetcpu.embedded-postgres.data-directory=target/test-postgres/fuzz-"
                                    + UUID.randomUUID(),
                            "--fleetcpu.embedded-postgres.clean=true"));
        }
        return running;
    }

    static synchronized void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    @Override
    public void close() {
        context.close();
    }

    /** Sends bytes as they are: no header but the token and those given. */
    Answer send(String method, String path, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(
                    response.statusCode(), response.headers(), new String(response.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " got no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path) {
        return send("GET", path, null, null, Map.of());
    }

    private Answer json(String method, String path, Object body) {
        byte[] bytes = JSON.writeValueAsBytes(body);
        return send(method, path, "application/json", bytes, Map.of());
    }

    /** Tables a refused request must leave as they were. */
    private static final List<String> TABLES = List.of(
            "host",
            "aggregate",
            "aggregate_host",
            "aggregate_kind",
            "cpu_kind_hosts",
            "cpu_event",
            "cpu_event_change",
            "cpu_event_aggregate",
            "host_guests",
            "guest");
    /** Each table's row count and a digest of its rows' contents, in one statement (one snapshot). */
    private static final String FINGERPRINT = String.join(
            " || ' ' || ",
            TABLES.stream()
                    .map(t ->
                            "(select '" + t + "=' || count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by "
                                    + "t::text)), '-') from " + t + " t)")
                    .toList());

    /** The fingerprint of the tables, read again. */
    String fingerprint() {
        String[] read = jdbc.queryForObject(
                        "select " + FINGERPRINT + " || '#' || (select count(*) from cpu_kind)", String.class)
                .split("#");
        current = read[0];
        kinds = Long.parseLong(read[1]);
        return current;
    }

    /** The fingerprint as last read: nothing but fuzz requests writes, and it is read again after each. */
    String lastFingerprint() {
        return current;
    }

    /**
     * Rows of cpu_kind, as last read with the fingerprint. Kinds of CPU are stored in their own transaction before
     * the host is: counted apart.
     */
    long cpuKinds() {
        return kinds;
    }

    /**
     * Puts the known fleet back when an accepted request changed it, so that every try starts from it: registered
     * over HTTP once and kept aside, then copied back row for row (triggers and foreign keys off, as a restore from a
     * dump does). The aggregates get a new creation time each time, so that no answer the service keeps in memory
     * for a version of an aggregate is taken for another one.
     */
    void restoreFleet() {
        if (fleetFingerprint != null && fleetFingerprint.equals(current)) {
            return;
        }
        if (fleetFingerprint == null) {
            registerFleet();
            StringBuilder keep = new StringBuilder("create schema fuzz_fleet;");
            TABLES.forEach(t -> keep.append("create table fuzz_fleet.")
                    .append(t)
                    .append(" as select * from ")
                    .append(t)
                    .append(';'));
            jdbc.execute(keep.toString());
        }
        StringBuilder restore = new StringBuilder("begin; set local session_replication_role = replica; truncate ")
                .append(String.join(", ", TABLES))
                .append(';');
        TABLES.forEach(t -> restore.append("insert into ")
                .append(t)
                .append(" select * from fuzz_fleet.")
                .append(t)
                .append(';'));
        jdbc.execute(restore.append("update aggregate set created_at = clock_timestamp(); commit;")
                .toString());
        fleetFingerprint = fingerprint();
    }

    private void registerFleet() {
        jdbc.execute("truncate host, aggregate, cpu_event, cpu_kind_hosts cascade");
        register(HSW_1, "hsw-1", List.of("east"), HASWELL, false);
        register(HSW_2, "hsw-2", List.of("east", "west"), HASWELL, false);
        register(IVY, "ivy-1", List.of("east"), IVY_BRIDGE, true);
        register(EPYC, "epyc-1", List.of("amd"), EPYC_ROME, false);
        expect(json("PUT", "/aggregates/empty", Map.of("description", "no hosts")), 201);
        expect(
                json(
                        "PUT",
                        "/aggregates/nested",
                        Map.of(
                                "policy",
                                Map.of(
                                        "nestedVirtualization",
                                        "required",
                                        "strict",
                                        true,
                                        "minimumModel",
                                        "SandyBridge"))),
                201);
    }

    private void register(String id, String hostname, List<String> aggregates, String cpu, boolean agentFacts) {
        Map<String, Object> body = registration(id, hostname, aggregates, cpu);
        if (agentFacts) {
            body.put("domainCapabilitiesXml", cpuData("domcaps/qemu_7.2.0-q35.x86_64.xml"));
            body.put("kernel", KvmKernel.intel("enabled"));
            body.put("versions", Map.of("libvirt", "9.0.0", "qemu", "7.2.0", "agent", "0.1.0"));
        }
        expect(json("POST", "/hosts", body), 201);
    }

    private static void expect(Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("setting up the known fleet: " + answer.status() + " " + answer.body());
        }
    }

    /** A registration as an agent sends it, around a real host CPU from the fixtures. */
    static Map<String, Object> registration(String uuid, String hostname, List<String> aggregates, String hostCpuFile) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", hostname);
        body.put("aggregates", aggregates);
        body.put("capabilitiesXml", capabilities(uuid, hostCpuFile));
        return body;
    }

    static String capabilities(String uuid, String hostCpuFile) {
        return "<capabilities>\n  <host>\n    <uuid>" + uuid + "</uuid>\n" + cpuData(hostCpuFile)
                + "  </host>\n</capabilities>\n";
    }

    static String cpuData(String path) {
        try (InputStream in = ServiceUnderFuzz.class.getResourceAsStream("/cpudata/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture cpudata/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
