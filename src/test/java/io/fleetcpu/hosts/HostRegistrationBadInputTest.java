package io.fleetcpu.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Registrations an agent or a person gets wrong: each refused whole, saying what is wrong, nothing stored. */
class HostRegistrationBadInputTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";
    private static final String COOPERLAKE_FLUSH_L1D = "libvirt-9.9.0/x86_64-cpuid-Cooperlake-host.xml";

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    @Test
    void malformedJsonIsRefusedWith400() {
        Answer answer = post("/hosts", "{\"hostname\": \"compute-1\", \"aggregates\": [");
        JsonNode problem = assertProblem(answer, 400);
        assertThat(problem.path("detail").asString()).contains("not valid JSON");
        assertNothingWritten();
    }

    @Test
    void jsonOfTheWrongShapeIsRefusedWith400() {
        Map<String, Object> body = registration(uuid(), "compute-1", List.of("haswell"), HASWELL);
        body.put("aggregates", 5);
        Answer answer = post("/hosts", body);
        JsonNode problem = assertProblem(answer, 400);
        assertThat(problem.path("detail").asString()).contains("not valid JSON");
        assertNothingWritten();
    }

    @Test
    void malformedCapabilitiesXmlIsRefusedNamingTheField() {
        Map<String, Object> body = registration(uuid(), "compute-1", List.of("haswell"), HASWELL);
        body.put("capabilitiesXml", "<capabilities><host><uuid>" + uuid() + "</uuid></host>");
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).contains("capabilitiesXml");
        assertThat(errorFor(answer, "capabilitiesXml")).containsIgnoringCase("well-formed");
        assertNothingWritten();
    }

    @Test
    void externalEntityIsRefusedAndNeverRead() throws Exception {
        String id = uuid();
        String xxe = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE capabilities [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + "<capabilities><host><uuid>" + id + "</uuid>\n"
                + "<cpu><arch>x86_64</arch><model>Haswell-noTSX</model><vendor>&xxe;</vendor></cpu>\n"
                + "</host></capabilities>\n";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", "compute-1");
        body.put("aggregates", List.of("haswell"));
        body.put("capabilitiesXml", xxe);
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).contains("capabilitiesXml");
        assertThat(errorFor(answer, "capabilitiesXml")).contains("DOCTYPE");
        String passwd = Files.readString(Path.of("/etc/passwd"));
        assertThat(answer.body()).doesNotContain("root:x:0:0").doesNotContain("/bin/sh");
        for (String line : passwd.split("\n")) {
            if (line.length() > 10) {
                assertThat(answer.body()).doesNotContain(line);
            }
        }
        assertNothingWritten();
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        xml.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++) {
            xml.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                xml.append("&lol").append(i - 1).append(';');
            }
            xml.append("\">\n");
        }
        xml.append("]>\n<capabilities><host><uuid>")
                .append(uuid())
                .append("</uuid>")
                .append("<cpu><arch>x86_64</arch><model>&lol9;</model></cpu></host></capabilities>\n");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", "compute-1");
        body.put("aggregates", List.of("haswell"));
        body.put("capabilitiesXml", xml.toString());
        long start = System.nanoTime();
        Answer answer = post("/hosts", body);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).contains("capabilitiesXml");
        assertThat(answer.body().length()).isLessThan(10_000);
        assertThat(answer.body()).doesNotContain("lollollol");
        assertThat(millis).isLessThan(5_000);
        assertNothingWritten();
    }

    /** A valid registration padded with JSON whitespace past 2 MiB: only its size is wrong. */
    private static byte[] oversizedRegistration() {
        String valid = JSON.writeValueAsString(registration(uuid(), "compute-big", List.of("big"), HASWELL));
        StringBuilder padded = new StringBuilder(3 * 1024 * 1024 + valid.length());
        padded.append('{');
        padded.append(" ".repeat(3 * 1024 * 1024));
        padded.append(valid, 1, valid.length());
        return padded.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bodyOverTwoMebibytesWithContentLengthIs413() {
        byte[] body = oversizedRegistration();
        Answer answer = send(builder("/hosts", withToken("Content-Type", "application/json"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        JsonNode problem = assertProblem(answer, 413);
        assertThat(problem.path("detail").asString()).contains("larger than");
        assertNothingWritten();
    }

    @Test
    void chunkedBodyOverTwoMebibytesIs413() {
        byte[] body = oversizedRegistration();
        HttpRequest.Builder request = builder("/hosts", withToken("Content-Type", "application/json"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertThat(request.build().bodyPublisher().orElseThrow().contentLength())
                .as("sent chunked")
                .isNegative();
        Answer answer = send(request);
        JsonNode problem = assertProblem(answer, 413);
        assertThat(problem.path("detail").asString()).contains("larger than");
        assertNothingWritten();
    }

    /**
     * A client that sends its whole body before it reads still gets the 413: the service answers at once, then
     * reads the rest of the body away, and only then ends the answer and closes. Step by step on a socket: the
     * answer's problem comes after the headers alone; the body is sent after it; the answer then ends and the
     * connection closes cleanly, not reset under the client's unsent bytes (which would throw the answer away).
     */
    @Test
    void refusedBodyIsReadAwaySoTheClientKeepsTheAnswer() throws Exception {
        byte[] body = oversizedRegistration();
        try (Socket socket = registrationSocket("Content-Length: " + body.length)) {
            assertRawProblem(readProblem(socket.getInputStream()), 413);
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            assertEndsCleanly(socket);
        }
        try (Socket socket = registrationSocket("Transfer-Encoding: chunked")) {
            OutputStream out = socket.getOutputStream();
            int threeQuarters = body.length * 3 / 4;
            out.write(chunk(body, 0, threeQuarters));
            out.flush();
            assertRawProblem(readProblem(socket.getInputStream()), 413);
            out.write(chunk(body, threeQuarters, body.length));
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEndsCleanly(socket);
        }
        assertNothingWritten();
    }

    /** A declared length past what the service reads away is refused at once, and the connection closed unread. */
    @Test
    void hugeDeclaredBodyIsRefusedWithoutReadingIt() throws Exception {
        try (Socket socket = registrationSocket("Content-Length: " + 1024L * 1024 * 1024)) {
            assertRawProblem(readProblem(socket.getInputStream()), 413);
            assertEndsCleanly(socket);
        }
        assertNothingWritten();
    }

    private Socket registrationSocket(String framing) throws IOException {
        Socket socket = new Socket("localhost", uri("/").getPort());
        socket.setSoTimeout(10_000);
        socket.getOutputStream()
                .write(("POST /hosts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                                + "\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static byte[] chunk(byte[] body, int from, int to) {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.writeBytes((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        chunk.write(body, from, to - from);
        chunk.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return chunk.toByteArray();
    }

    /**
     * The answer's head and its problem, sent whole at once. The answer has no length: it ends when the connection
     * does, after the rest of the body was read.
     */
    private static String readProblem(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the answer before the connection ends: " + head).isNotNegative();
            head.write(b);
        }
        // Byte by byte to the object's closing brace, and not one byte further.
        ByteArrayOutputStream problem = new ByteArrayOutputStream();
        int depth = 0;
        boolean inString = false;
        do {
            int b = in.read();
            assertThat(b)
                    .as("the whole problem before the connection ends: " + problem)
                    .isNotNegative();
            problem.write(b);
            if (inString) {
                if (b == '\\') {
                    problem.write(in.read());
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{') {
                depth++;
            } else if (b == '}') {
                depth--;
            }
        } while (depth > 0 || problem.size() == 0);
        return head.toString(StandardCharsets.ISO_8859_1) + problem.toString(StandardCharsets.UTF_8);
    }

    /** Nothing more of the answer, then the end of the connection: not a reset. */
    private static void assertEndsCleanly(Socket socket) throws IOException {
        assertThat(socket.getInputStream().readAllBytes())
                .as("what follows the problem")
                .isEmpty();
    }

    private static void assertRawProblem(String answer, int status) {
        assertThat(answer).startsWith("HTTP/1.1 " + status + " ");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).containsIgnoringCase("Connection: close");
        assertThat(answer).contains("larger than");
    }

    @Test
    void chunkedBodyUnderTheLimitIsAccepted() {
        byte[] body = JSON.writeValueAsString(registration(uuid(), "compute-chunked", List.of("chunked"), HASWELL))
                .getBytes(StandardCharsets.UTF_8);
        Answer answer = send(builder("/hosts", withToken("Content-Type", "application/json"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    @Test
    void unknownArchIsRefusedNamingCpuArch() {
        Answer answer = post(
                "/hosts",
                structured(uuid(), "compute-1", List.of("sparcs"), cpu("sparc99", null, "Haswell-noTSX", List.of())));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).contains("cpu.arch");
        assertThat(errorFor(answer, "cpu.arch")).contains("sparc99");
        assertNothingWritten();
    }

    @Test
    void unknownModelWithoutFeaturesIsRefusedNamingCpuModel() {
        Answer answer = post(
                "/hosts",
                structured(uuid(), "compute-1", List.of("nosuch"), cpu("x86_64", "Intel", "NoSuchModel", null)));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("cpu.model");
        assertThat(errorFor(answer, "cpu.model")).contains("NoSuchModel");
        assertThat(answer.json().path("detail").asString()).contains("cpu.model");
        assertNothingWritten();
    }

    @Test
    void unknownModelNameTooLongForTheDatabaseIsRefusedNot500() {
        // The catalog does not know it, but a feature list says what it stands for, so it passes the reader;
        // the host table keeps model in varchar(64).
        String model = "Vendor-Private-Model-" + "x".repeat(80);
        Answer answer = post(
                "/hosts",
                structured(
                        uuid(),
                        "compute-1",
                        List.of("long"),
                        cpu("x86_64", "Intel", model, List.of("avx2", "sse4.2"))));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).contains("cpu.model");
        assertNothingWritten();
    }

    @Test
    void missingUuidIsRefusedNamingUuid() {
        Answer answer = post(
                "/hosts",
                structured(null, "compute-1", List.of("haswell"), cpu("x86_64", "Intel", "Haswell-noTSX", null)));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("uuid");
        assertThat(errorFor(answer, "uuid")).contains("missing");
        assertNothingWritten();
    }

    @Test
    void invalidUuidIsRefusedNamingUuid() {
        for (String bad : List.of("not-a-uuid", "1-2-3-4-5", "4c4c4544-0046-3510-8057-b7c04f4e32321")) {
            Answer answer = post(
                    "/hosts",
                    structured(bad, "compute-1", List.of("haswell"), cpu("x86_64", "Intel", "Haswell-noTSX", null)));
            assertProblem(answer, 422);
            assertThat(errorFields(answer)).containsExactly("uuid");
            assertThat(errorFor(answer, "uuid")).contains(bad).contains("not a UUID");
        }
        assertNothingWritten();
    }

    @Test
    void uuidDifferentFromTheCapabilitiesDocumentIsRefused() {
        String inDocument = uuid();
        String sent = uuid();
        Map<String, Object> body = registration(inDocument, "compute-1", List.of("haswell"), HASWELL);
        body.put("uuid", sent);
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("uuid");
        assertThat(errorFor(answer, "uuid")).contains(sent).contains(inDocument);
        assertNothingWritten();
    }

    @Test
    void missingHostnameIsRefusedNamingHostname() {
        Map<String, Object> body = registration(uuid(), null, List.of("haswell"), HASWELL);
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("hostname");
        assertThat(errorFor(answer, "hostname")).contains("missing");
        body.put("hostname", "   ");
        answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("hostname");
        body.put("hostname", "bad host name!");
        answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("hostname");
        assertNothingWritten();
    }

    @Test
    void invalidAggregateIdIsRefusedNamingItsIndexAndNothingIsCreated() {
        Answer answer = post("/hosts", registration(uuid(), "compute-1", List.of("Bad Name!"), HASWELL));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("aggregates[0]");
        assertThat(errorFor(answer, "aggregates[0]")).contains("Bad Name!");
        assertNothingWritten();
    }

    @Test
    void validAggregatesBeforeAnInvalidOneAreNotCreated() {
        Answer answer = post(
                "/hosts", registration(uuid(), "compute-1", List.of("good-one", "also-good", "Bad Name!"), HASWELL));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("aggregates[2]");
        assertNothingWritten();
        assertThat(get("/aggregates/good-one").status()).isEqualTo(404);
    }

    @Test
    void invalidAggregateAfterADuplicateIsNamedByItsIndexInTheRequest() {
        // The agent sent aggregates[2] wrong; the answer must point there, not at a position in a de-duplicated list.
        Answer answer =
                post("/hosts", registration(uuid(), "compute-1", List.of("haswell", "haswell", "Bad Name!"), HASWELL));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("aggregates[2]");
        assertNothingWritten();
    }

    @Test
    void everyWrongFieldIsNamedAtOnceIncludingAggregates() {
        // "refuses it whole naming every field that is wrong": a missing hostname must not hide a bad aggregate id.
        Answer answer = post("/hosts", registration(uuid(), null, List.of("Bad Name!"), HASWELL));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactlyInAnyOrder("hostname", "aggregates[0]");
        assertNothingWritten();
    }

    @Test
    void nullAggregateIsRefusedNamingIt() {
        List<String> aggregates = new ArrayList<>();
        aggregates.add(null);
        Answer answer = post("/hosts", registration(uuid(), "compute-1", aggregates, HASWELL));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("aggregates[0]");
        assertNothingWritten();
    }

    @Test
    void realCpuWithFeatureUnknownToTheCatalogIsAcceptedAndReported() {
        String id = uuid();
        Answer answer = post("/hosts", registration(id, "compute-cooper", List.of("cooperlake"), COOPERLAKE_FLUSH_L1D));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode cpu = answer.json().path("cpu");
        assertThat(texts(cpu.path("unknownFeatures"))).contains("flush-l1d");
        assertThat(texts(cpu.path("listedFeatures"))).contains("flush-l1d");
        assertThat(cpu.path("model").asString()).isEqualTo("Cooperlake");
        assertThat(texts(cpu.path("features"))).contains("avx512f");
        // and it is kept: the stored host says the same
        assertThat(texts(get("/hosts/" + id).json().path("cpu").path("unknownFeatures")))
                .contains("flush-l1d");
        assertThat(texts(get("/inventory").json().path("unknownFeatures"))).contains("flush-l1d");
    }

    @Test
    void structuredCpuWithMadeUpFeatureIsAcceptedAndReported() {
        String id = uuid();
        Answer answer = post(
                "/hosts",
                structured(
                        id,
                        "compute-2",
                        List.of("haswell"),
                        cpu("x86_64", "Intel", "Haswell-noTSX", List.of("made-up-feature", "vmx"))));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode cpu = answer.json().path("cpu");
        assertThat(texts(cpu.path("unknownFeatures"))).containsExactly("made-up-feature");
        assertThat(texts(cpu.path("listedFeatures"))).contains("made-up-feature", "vmx");
        assertThat(texts(cpu.path("features"))).contains("avx2", "vmx").doesNotContain("made-up-feature");
        assertThat(texts(get("/hosts/" + id).json().path("cpu").path("unknownFeatures")))
                .containsExactly("made-up-feature");
    }

    @Test
    void missingTokenIs401AndNothingIsWritten() {
        String body = JSON.writeValueAsString(registration(uuid(), "compute-1", List.of("haswell"), HASWELL));
        Answer answer = send(
                builder("/hosts", "Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        JsonNode problem = assertProblem(answer, 401);
        assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(problem.path("detail").asString()).contains("Authorization");
        assertNothingWritten();
    }

    @Test
    void wrongTokenIs401AndNothingIsWritten() {
        for (String authorization :
                List.of("Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer " + TOKEN + "x", TOKEN)) {
            Answer answer = post(
                    "/hosts",
                    registration(uuid(), "compute-1", List.of("haswell"), HASWELL),
                    "Authorization",
                    authorization);
            assertProblem(answer, 401);
            assertThat(answer.header("WWW-Authenticate")).as(authorization).startsWith("Bearer");
        }
        assertNothingWritten();
    }

    @Test
    void deleteWithoutTokenIs401AndTheHostStays() {
        String id = uuid();
        assertThat(post("/hosts", registration(id, "compute-1", List.of("haswell"), HASWELL))
                        .status())
                .isEqualTo(201);
        Answer answer = delete("/hosts/" + id, "Authorization", "Bearer nope");
        assertProblem(answer, 401);
        assertThat(get("/hosts/" + id).status()).isEqualTo(200);
    }

    @Test
    void readsNeedNoToken() {
        assertThat(get("/hosts").status()).isEqualTo(200);
        assertThat(get("/aggregates").status()).isEqualTo(200);
        assertThat(get("/inventory").status()).isEqualTo(200);
        assertThat(get("/cpu-models/Haswell-noTSX").status()).isEqualTo(200);
    }

    @Test
    void vendorTooLongForTheDatabaseIsRefusedNot500() {
        // aarch64 is outside the catalog, so its vendor is not checked against the catalog's vendors;
        // the host table keeps vendor in varchar(32).
        Answer answer = post(
                "/hosts",
                structured(
                        uuid(),
                        "arm-1",
                        List.of("arm"),
                        cpu("aarch64", "Some-Very-Long-Vendor-Name-" + "y".repeat(40), null, List.of("fp", "asimd"))));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).contains("cpu.vendor");
        assertNothingWritten();
    }

    @Test
    void microcodeTooLongIsAcceptedOrRefusedButNever500() {
        String id = uuid();
        String xml = capabilities(id, HASWELL)
                .replace("<arch>x86_64</arch>", "<arch>x86_64</arch>\n  <microcode version='" + "1".repeat(40) + "'/>");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", "compute-1");
        body.put("aggregates", List.of("haswell"));
        body.put("capabilitiesXml", xml);
        Answer answer = post("/hosts", body);
        assertThat(answer.status()).as(answer.body()).isIn(201, 422);
        if (answer.status() == 422) {
            assertThat(errorFields(answer)).contains("capabilitiesXml");
            assertNothingWritten();
        }
    }

    @Test
    void unknownVendorOnX86IsRefusedNamingCpuVendor() {
        Answer answer = post(
                "/hosts", structured(uuid(), "compute-1", List.of("z"), cpu("x86_64", "Zilog", "Haswell-noTSX", null)));
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("cpu.vendor");
        assertThat(errorFor(answer, "cpu.vendor")).contains("Zilog");
        assertNothingWritten();
    }

    @Test
    void noCpuAtAllIsRefusedNamingCpu() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uuid", uuid());
        body.put("hostname", "compute-1");
        body.put("aggregates", List.of("haswell"));
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("cpu");
        assertNothingWritten();
    }

    @Test
    void domainCapabilitiesAloneIsRefusedNamingCpu() {
        // 'virsh domcapabilities' says what guests can get, not what the host CPU is: without
        // capabilitiesXml, expandedCpuXml or cpu there is no host CPU to store.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uuid", uuid());
        body.put("hostname", "compute-domcaps");
        body.put("aggregates", List.of("rome"));
        body.put("domainCapabilitiesXml", cpuData("domcaps/qemu_6.2.0-q35.x86_64.xml"));
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).contains("cpu");
        assertThat(errorFor(answer, "cpu")).contains("domainCapabilitiesXml");
        assertNothingWritten();
    }

    @Test
    void emptyBodyIs400() {
        assertProblem(post("/hosts", ""), 400);
        assertProblem(post("/hosts", "null"), 400);
        assertNothingWritten();
    }

    @Test
    void wrongContentTypeIs415Problem() {
        String body = JSON.writeValueAsString(registration(uuid(), "compute-1", List.of("haswell"), HASWELL));
        Answer answer = send(builder("/hosts", withToken("Content-Type", "text/plain"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertProblem(answer, 415);
        assertNothingWritten();
    }
}
