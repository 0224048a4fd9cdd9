package io.fleetcpu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Bodies are read as sent (no type coercion, no duplicate keys, no control characters in any string), every
 * error is a problem detail without Java internals (Tomcat's own included), and every answer carries the
 * security headers.
 */
class InputHygieneApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";

    /** A body the service must refuse, where it goes, and the field the refusal must name. */
    record BadBody(String method, String path, String body, int status, String field, String problem) {
        @Override
        public String toString() {
            return method + " " + path + " " + body;
        }
    }

    static Stream<BadBody> badBodies() {
        return Stream.of(
                // POST /hosts
                new BadBody("POST", "/hosts", "{\"hostname\": true}", 400, "hostname", "must be a string, not true"),
                new BadBody("POST", "/hosts", "{\"hostname\": 17}", 400, "hostname", "must be a string, not 17"),
                new BadBody("POST", "/hosts", "{\"hostname\": {\"name\": \"a\"}}", 400, "hostname", "must be a string"),
                new BadBody(
                        "POST",
                        "/hosts",
                        "{\"hostname\": \"a\", \"hostname\": \"b\"}",
                        400,
                        "hostname",
                        "more than once"),
                new BadBody("POST", "/hosts", "{\"aggregates\": \"east\"}", 400, "aggregates", "must be an array"),
                new BadBody(
                        "POST",
                        "/hosts",
                        "{\"aggregates\": [\"east\", 5]}",
                        400,
                        "aggregates[1]",
                        "must be a string, not 5"),
                new BadBody(
                        "POST",
                        "/hosts",
                        "{\"cpu\": {\"arch\": \"x86_64\", \"features\": [\"sse\", \"avx\", \"aes\", 3]}}",
                        400,
                        "cpu.features[3]",
                        "must be a string, not 3"),
                new BadBody("POST", "/hosts", "{\"cpu\": [\"x86_64\"]}", 400, "cpu", "must be an object"),
                new BadBody("POST", "/hosts", "{\"cpu\": \"\"}", 400, "cpu", "must be an object"),
                new BadBody(
                        "POST",
                        "/hosts",
                        "{\"cpu\": {\"arch\": \"x86_64\", \"arch\": \"aarch64\"}}",
                        400,
                        "cpu.arch",
                        "more than once"),
                new BadBody(
                        "POST", "/hosts", "{\"versions\": {\"qemu\": 7.2}}", 400, "versions.qemu", "must be a string"),
                new BadBody(
                        "POST",
                        "/hosts",
                        "{\"kernel\": {\"nested\": false}}",
                        400,
                        "kernel.nested",
                        "must be a string"),
                new BadBody("POST", "/hosts", "{\"cpu\": {\"vendors\": \"Intel\"}}", 400, "cpu.vendors", "not a field"),
                new BadBody(
                        "POST", "/hosts", "{\"hostname\": \"compute\\u00001\"}", 422, "hostname", "control characters"),
                new BadBody(
                        "POST",
                        "/hosts",
                        "{\"cpu\": {\"features\": [\"sse\", \"a\\u0007\"]}}",
                        422,
                        "cpu.features[1]",
                        "control characters"),
                new BadBody(
                        "POST",
                        "/hosts",
                        "{\"kernel\": {\"release\": \"6.1\\ud800\"}}",
                        422,
                        "kernel.release",
                        "lone surrogate"),
                new BadBody(
                        "POST",
                        "/hosts",
                        "{\"versions\": {\"agent\": \"0.1\\u001b[2J\"}}",
                        422,
                        "versions.agent",
                        "control characters"),
                // PUT /aggregates/{id}
                new BadBody(
                        "PUT",
                        "/aggregates/east",
                        "{\"description\": 5}",
                        400,
                        "description",
                        "must be a string, not 5"),
                new BadBody(
                        "PUT",
                        "/aggregates/east",
                        "{\"policy\": {\"strict\": 2}}",
                        400,
                        "policy.strict",
                        "must be true or false, not 2"),
                new BadBody(
                        "PUT",
                        "/aggregates/east",
                        "{\"policy\": {\"strict\": \"true\"}}",
                        400,
                        "policy.strict",
                        "must be true or false"),
                new BadBody(
                        "PUT",
                        "/aggregates/east",
                        "{\"policy\": {\"goal\": \"migration\", \"goal\": \"performance\"}}",
                        400,
                        "policy.goal",
                        "more than once"),
                new BadBody(
                        "PUT",
                        "/aggregates/east",
                        "{\"description\": \"a\", \"description\": \"b\"}",
                        400,
                        "description",
                        "more than once"),
                new BadBody(
                        "PUT",
                        "/aggregates/east",
                        "{\"policy\": {\"mitigations\": {\"mode\": \"disable\", " + "\"disable\": \"spec-ctrl\"}}}",
                        400,
                        "policy.mitigations.disable",
                        "must be an array"),
                new BadBody(
                        "PUT",
                        "/aggregates/east",
                        "{\"policy\": {\"goal\": [\"migration\"]}}",
                        400,
                        "policy.goal",
                        "must be a string"),
                new BadBody(
                        "PUT",
                        "/aggregates/east",
                        "{\"policy\": {\"pinnedModel\": \"Haswell\\u0000\"}}",
                        422,
                        "policy.pinnedModel",
                        "control characters"),
                new BadBody(
                        "PUT",
                        "/aggregates/east",
                        "{\"policy\": {\"mitigations\": {\"mode\": \"disable\", "
                                + "\"disable\": [\"spec-ctrl\\u0000\"]}}}",
                        422,
                        "policy.mitigations.disable[0]",
                        "control characters"),
                new BadBody("POST", "/aggregates", "{\"id\": 5}", 400, "id", "must be a string, not 5"),
                new BadBody("POST", "/aggregates", "{\"id\": \"east\\u0000\"}", 422, "id", "control characters"),
                // POST /aggregates/{id}/what-if
                new BadBody(
                        "POST",
                        "/aggregates/east/what-if",
                        "{\"addHosts\": \"h1\"}",
                        400,
                        "addHosts",
                        "must be an array"),
                new BadBody(
                        "POST",
                        "/aggregates/east/what-if",
                        "{\"addReports\": [{\"hostname\": \"a\"}, {\"hostname\": false}]}",
                        400,
                        "addReports[1].hostname",
                        "must be a string, not false"),
                new BadBody(
                        "POST",
                        "/aggregates/east/what-if",
                        "{\"removeHosts\": [1.5]}",
                        400,
                        "removeHosts[0]",
                        "must be a string, not 1.5"),
                new BadBody(
                        "POST",
                        "/aggregates/east/what-if",
                        "{\"removeHosts\": [], \"removeHosts\": []}",
                        400,
                        "removeHosts",
                        "more than once"),
                new BadBody(
                        "POST",
                        "/aggregates/east/what-if",
                        "{\"addReports\": [{\"aggregates\": [\"a\\u0000\"]}]}",
                        422,
                        "addReports[0].aggregates[0]",
                        "control characters"),
                // POST /migrations/check
                new BadBody(
                        "POST",
                        "/migrations/check",
                        "{\"guest\": {\"cpuXml\": true}}",
                        400,
                        "guest.cpuXml",
                        "must be a string, not true"),
                new BadBody(
                        "POST",
                        "/migrations/check",
                        "{\"target\": {\"host\": \"a\", \"host\": \"b\"}}",
                        400,
                        "target.host",
                        "more than once"),
                new BadBody(
                        "POST",
                        "/migrations/check",
                        "{\"guest\": \"host-passthrough\"}",
                        400,
                        "guest",
                        "must be an object"),
                new BadBody(
                        "POST",
                        "/migrations/check",
                        "{\"guest\": {\"aggregate\": \"east\\u0000\"}}",
                        422,
                        "guest.aggregate",
                        "control characters"),
                new BadBody(
                        "POST",
                        "/migrations/check",
                        "{\"guest\": {\"cpuXml\": \"<cpu>\\u0001</cpu>\"}}",
                        422,
                        "guest.cpuXml",
                        "control characters"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void wrongTypesDuplicateKeysAndControlCharactersAreRefusedNamingTheField(BadBody bad) {
        Answer answer = send(builder(bad.path(), withToken("Content-Type", "application/json"))
                .method(bad.method(), HttpRequest.BodyPublishers.ofString(bad.body())));
        assertProblem(answer, bad.status());
        assertThat(errorFields(answer)).as(answer.body()).containsExactly(bad.field());
        assertThat(errorFor(answer, bad.field())).contains(bad.problem());
        assertNoJavaInternals(answer);
        assertNothingWritten();
    }

    @Test
    void everyFieldWithUnprintableTextIsNamedInOneAnswer() {
        Answer answer = put(
                "/aggregates/east",
                "{\"description\": \"east\\u0000\", \"policy\": {\"pinnedModel\": "
                        + "\"Haswell\\u007f\", \"mitigations\": {\"mode\": \"disable\", \"disable\": [\"ssbd\", \"\\udc00\"]}}}");
        assertProblem(answer, 422);
        assertThat(errorFields(answer))
                .containsExactlyInAnyOrder("description", "policy.pinnedModel", "policy.mitigations.disable[1]");
        assertNoJavaInternals(answer);
        assertNoAggregates();
    }

    @Test
    void controlCharactersInQueryParametersAreRefusedNot500() {
        for (String path : List.of(
                "/hosts?aggregate=east%00",
                "/hosts?vendor=Intel%00",
                "/hosts?model=%01",
                "/hosts?feature=avx%00",
                "/hosts?kind=%00",
                "/cpu-models?vendor=Intel%00",
                "/groupings?aggregate=east%00",
                "/groupings?vendor=%00",
                "/groupings?minimumModel=Haswell%00",
                "/events?since=%00",
                "/aggregates/east/recommended-cpu?format=libvirt&modelName=%00",
                "/aggregates/east%00",
                "/cpu-models/Haswell%00")) {
            Answer answer = get(path);
            assertThat(answer.status()).as("%s: %s", path, answer.body()).isBetween(400, 499);
            assertThat(answer.contentType()).as(path).startsWith("application/problem+json");
            assertNoJavaInternals(answer);
        }
    }

    @Test
    void tabsAndNewlinesInTextStayAllowed() {
        Answer answer = put("/aggregates/east", "{\"description\": \"east hall\\n\\trow 3\"}");
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
        assertThat(answer.json().path("description").asString()).isEqualTo("east hall\n\trow 3");
    }

    @Test
    void emptyNullAndBrokenBodiesAreProblemsWithoutJavaInternals() {
        for (String body : List.of(
                "", "null", "{\"hostname\": ", "{\"hostname\": \"a\"} trailing", "[]", "NaN", "{\"hostname\": 'a'}")) {
            Answer answer = post("/hosts", body);
            assertProblem(answer, 400);
            assertThat(answer.json().path("detail").asString()).as(body).isNotBlank();
            assertNoJavaInternals(answer);
        }
        assertThat(post("/hosts", "").json().path("detail").asString()).contains("empty");
        assertNothingWritten();
    }

    @Test
    void containerErrorsAreProblemDetails() {
        // unknown path, GET /error, wrong method, wrong content type, unacceptable Accept
        assertThat(assertProblem(get("/no/such/path"), 404).path("detail").asString())
                .contains("/no/such/path");
        assertProblem(get("/error"), 404);
        assertProblem(send(builder("/error", withToken()).POST(HttpRequest.BodyPublishers.ofString("{}"))), 404);
        assertProblem(
                send(builder("/hosts", withToken()).method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))), 405);
        assertProblem(
                send(builder("/hosts", withToken("Content-Type", "text/plain"))
                        .POST(HttpRequest.BodyPublishers.ofString("hello"))),
                415);
        assertProblem(get("/hosts", "Accept", "image/png"), 406);
        for (Answer answer : List.of(get("/no/such/path"), get("/error"))) {
            assertNoJavaInternals(answer);
            assertSecurityHeaders(answer);
        }
    }

    @Test
    void tomcatsOwnRefusalsAreProblemDetailsWithTheHeaders() throws IOException {
        String longUrl = "/hosts?aggregate=" + "a".repeat(9000);
        StringBuilder manyParameters = new StringBuilder("/hosts?");
        for (int i = 0; i <= 1000; i++) {
            manyParameters.append(i == 0 ? "" : "&").append("p").append(i).append("=1");
        }
        List<String> requests = List.of(
                "GET " + longUrl + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET " + manyParameters + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /hosts HTTP/1.1 extra\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /ho sts\u0001 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /hosts HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(9000)
                        + "\r\nConnection: close\r\n\r\n");
        for (String request : requests) {
            RawAnswer answer = raw(request);
            assertThat(answer.status())
                    .as("%s\n%s", request.substring(0, Math.min(80, request.length())), answer.text())
                    .isBetween(400, 499);
            assertThat(answer.header("Content-Type")).as(answer.text()).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.path("status").asInt()).isEqualTo(answer.status());
            assertThat(problem.path("title").asString()).isNotBlank();
            assertThat(answer.body()).doesNotContain("Apache Tomcat", "org.apache", "<html");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.header("Content-Security-Policy")).contains("default-src 'none'");
            assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        assertThat(post(
                                "/hosts",
                                registration("00000000-0000-4000-8000-000000000001", "node1", List.of("east"), HASWELL))
                        .status())
                .isIn(200, 201);
        assertThat(post(
                                "/hosts",
                                registration("00000000-0000-4000-8000-000000000002", "node2", List.of("east"), HASWELL))
                        .status())
                .isIn(200, 201);

        Answer ok = get("/hosts");
        assertThat(ok.status()).isEqualTo(200);
        assertSecurityHeaders(ok);
        assertThat(ok.header("Cache-Control")).isEqualTo("no-store");

        Answer tagged = get("/aggregates/east/recommended-cpu");
        assertThat(tagged.status()).isEqualTo(200);
        assertSecurityHeaders(tagged);
        assertThat(tagged.header("Cache-Control")).isEqualTo("no-cache");
        Answer notModified = get("/aggregates/east/recommended-cpu", "If-None-Match", tagged.header("ETag"));
        assertThat(notModified.status()).isEqualTo(304);
        assertSecurityHeaders(notModified);
        assertThat(notModified.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(notModified.header("ETag")).isEqualTo(tagged.header("ETag"));

        Answer refused = post("/hosts", "{\"hostname\": true}");
        assertThat(refused.status()).isEqualTo(400);
        assertSecurityHeaders(refused);
        assertThat(refused.header("Cache-Control")).isEqualTo("no-store");
        Answer unauthorized = post("/hosts", "{}", "Authorization", "Bearer wrong");
        assertThat(unauthorized.status()).isEqualTo(401);
        assertSecurityHeaders(unauthorized);
        Answer missing = get("/hosts/" + UUID.randomUUID());
        assertThat(missing.status()).isEqualTo(404);
        assertSecurityHeaders(missing);
    }

    @Test
    void rawDocumentsComeAsSandboxedDownloadsExactlyAsSent() {
        String uuid = "00000000-0000-4000-8000-000000000001";
        var body = registration(uuid, "node1", List.of("east"), HASWELL);
        String sent =
                body.get("capabilitiesXml").toString().replace("<host>", "<host><!-- <script>alert(1)</script> -->");
        body.put("capabilitiesXml", sent);
        assertThat(post("/hosts", body).status()).isIn(200, 201);

        Answer document = get("/hosts/" + uuid + "/documents/capabilities");
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.body()).isEqualTo(sent);
        assertThat(document.contentType()).startsWith("application/xml");
        assertThat(document.header("Content-Disposition"))
                .startsWith("attachment")
                .contains(uuid + "-capabilities.xml");
        assertThat(document.header("Content-Security-Policy"))
                .contains("sandbox")
                .contains("default-src 'none'");
        assertThat(document.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void swaggerUiGetsAPolicyThatLetsItLoadItsOwnScripts() {
        Answer page = get("/swagger-ui/index.html");
        assertThat(page.status()).isEqualTo(200);
        String policy = page.header("Content-Security-Policy");
        assertThat(policy)
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-eval");
        assertThat(page.body()).contains("swagger-ui-bundle.js");
        Answer script = get("/swagger-ui/swagger-ui-bundle.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(get("/v3/api-docs").header("Content-Security-Policy")).startsWith("default-src 'none'");
    }

    private static void assertSecurityHeaders(Answer answer) {
        assertThat(answer.header("X-Content-Type-Options"))
                .as("nosniff on %s", answer.status())
                .isEqualTo("nosniff");
        assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(answer.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(answer.header("Cache-Control")).isIn("no-store", "no-cache");
    }

    private static void assertNoJavaInternals(Answer answer) {
        assertThat(answer.body())
                .as("problem")
                .doesNotContain(
                        "java.",
                        "tools.jackson",
                        "io.fleetcpu",
                        "`",
                        "$",
                        "Exception",
                        "CoercionConfig",
                        "ReadFeature",
                        "DeserializationFeature",
                        "public ",
                        "Source:",
                        "org.apache",
                        "Apache Tomcat");
    }

    private record RawAnswer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }

        String text() {
            return head + "\r\n\r\n" + body;
        }
    }

    /** A request written byte for byte, as no HTTP client library would send it. */
    private RawAnswer raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new RawAnswer(Integer.parseInt(head.split(" ")[1]), head, body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
