package io.fleetcpu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.agent.FakeFleetcpuServer.Answer;
import io.fleetcpu.agent.libvirt.LibvirtException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AgentCommandTest {

    private static final String UUID = "4c4c4544-0046-3510-8057-b7c04f4e3232";
    private static final LibvirtFacts HASWELL = new LibvirtFacts(
            "<capabilities><host><uuid>" + UUID + "</uuid></host></capabilities>",
            "<domainCapabilities/>",
            "<cpu mode='custom'><model>Haswell-noTSX-IBRS</model></cpu>",
            "<cpu mode='custom'><model>Haswell-noTSX-IBRS</model><feature name='invtsc' policy='disable'/></cpu>",
            null,
            "9.0.0",
            "7.2.0",
            UUID,
            List.of(),
            null);

    @TempDir
    Path dir;

    private FakeHostRoot host;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final FakeTime time = new FakeTime();
    private final List<String> libvirtUris = new ArrayList<>();

    @BeforeEach
    void intelHost() {
        host = new FakeHostRoot(dir.resolve("root"))
                .cpuFlags(FakeHostRoot.INTEL_FLAGS)
                .kvmModule("kvm_intel", "Y");
    }

    private final Map<String, String> environment = new HashMap<>();

    private int run(LibvirtFactsSource libvirt, String... args) {
        CommandLine commandLine = AgentCommand.commandLine(new AgentCommand(libvirt, time, time), environment);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    private int run(String... args) {
        return run(
                (uri, maxGuests) -> {
                    libvirtUris.add(uri);
                    return HASWELL;
                },
                args);
    }

    /** Runs the agent against this server for the fake host, with this token file and any further options. */
    private int registerWith(FakeFleetcpuServer server, Path tokenFile, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server",
                server.uri().toString(),
                "--root",
                host.path().toString(),
                "--token-file",
                tokenFile.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void dryRunPrintsTheRegistrationWithKernelAndLibvirtFacts() {
        int exit = run(
                "--dry-run",
                "--root",
                host.path().toString(),
                "--aggregate",
                "haswell-east",
                "--aggregate",
                "gpu,haswell-east",
                "--server",
                "https://fleetcpu.example:8080");

        assertThat(exit).isZero();
        assertThat(err.toString()).isEmpty();
        JsonNode json = JsonMapper.builder().build().readTree(out.toString());
        assertThat(json.get("uuid").asString()).isEqualTo(UUID);
        assertThat(json.get("hostname").asString()).isEqualTo("compute-17");
        assertThat(json.get("aggregates").values())
                .extracting(JsonNode::asString)
                .containsExactly("haswell-east", "gpu");
        assertThat(json.get("capabilitiesXml").asString()).isEqualTo(HASWELL.capabilitiesXml());
        assertThat(json.get("domainCapabilitiesXml").asString()).isEqualTo("<domainCapabilities/>");
        assertThat(json.get("expandedCpuXml").asString()).contains("Haswell-noTSX-IBRS");
        assertThat(json.get("migratableCpuXml").asString()).contains("invtsc");
        assertThat(json.has("hypervisorCpuXml")).as("null fields are left out").isFalse();
        assertThat(json.get("kernel")).isEqualTo(JsonMapper.builder().build().readTree("""
                {"release":"6.1.0-18-amd64","kvmModule":"kvm_intel","nested":"enabled","virtualizationFlag":"vmx"}"""));
        assertThat(json.get("versions").get("libvirt").asString()).isEqualTo("9.0.0");
        assertThat(json.get("versions").get("qemu").asString()).isEqualTo("7.2.0");
        assertThat(out.toString()).as("pretty-printed").contains("\n  \"uuid\"");
        assertThat(libvirtUris).containsExactly("qemu:///system");
    }

    @Test
    void dryRunNeedsNoServerAndTakesHostnameAndLibvirtUri() {
        FakeHostRoot amd = new FakeHostRoot(dir.resolve("amd")).cpuFlags(FakeHostRoot.AMD_FLAGS);

        int exit = run(
                "--dry-run",
                "--root",
                amd.path().toString(),
                "--hostname",
                "compute-99",
                "--libvirt-uri",
                "test:///default");

        assertThat(exit).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(out.toString());
        assertThat(json.get("hostname").asString()).isEqualTo("compute-99");
        assertThat(json.get("aggregates").isEmpty()).isTrue();
        assertThat(json.get("kernel").get("nested").asString()).isEqualTo("unknown");
        assertThat(json.get("kernel").has("kvmModule")).isFalse();
        assertThat(json.get("kernel").get("virtualizationFlag").asString()).isEqualTo("svm");
        assertThat(libvirtUris).containsExactly("test:///default");
    }

    @Test
    void registersWithTheServerAndExitsZero() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "  s3cret\n");
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(
                n -> n == 1 ? Answer.of(503) : new Answer(201, Map.of("Location", "/hosts/" + UUID), "{}"))) {

            int exit = registerWith(server, token, "--aggregate", "haswell-east");

            assertThat(exit).isEqualTo(ExitStatus.REGISTERED);
            assertThat(out.toString()).contains("compute-17 (" + UUID + ") registered: HTTP 201 (new host)");
            assertThat(server.received()).hasSize(2).allSatisfy(request -> {
                assertThat(request.header("Authorization")).isEqualTo("Bearer s3cret");
                JsonNode body = JsonMapper.builder().build().readTree(request.body());
                assertThat(body.get("uuid").asString()).isEqualTo(UUID);
                assertThat(body.get("kernel").get("nested").asString()).isEqualTo("enabled");
            });
        }
    }

    @Test
    void printsWhatTheRegistrationChangedForTheJournal() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
        String answer = """
                {"id": "%s", "hostname": "compute-17", "aggregates": ["gpu", "haswel-east"],
                 "aggregatesAddedByOperator": ["gpu"],
                 "registration": {"joined": ["haswel-east"], "left": ["haswell-west"],
                                  "createdAggregates": ["haswel-east"], "factsChanged": true, "cpuChanged": true}}
                """.formatted(UUID);
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(n -> Answer.json(200, "application/json", answer))) {

            int exit = registerWith(server, token, "--aggregate", "haswel-east");

            assertThat(exit).as(err.toString()).isEqualTo(ExitStatus.REGISTERED);
            assertThat(out.toString().lines().toList())
                    .contains(
                            "fleetcpu agent: created aggregate 'haswel-east' (it did not exist: check the name if that is a "
                                    + "surprise)",
                            "fleetcpu agent: joined aggregate 'haswel-east'",
                            "fleetcpu agent: left aggregate 'haswell-west' (no longer configured)",
                            "fleetcpu agent: stays in aggregate 'gpu' (an operator put it there)",
                            "fleetcpu agent: CPU facts changed (GET /hosts/" + UUID + "/history shows how)");
        }
    }

    @Test
    void anAnswerWithoutChangesSaysNothingChanged() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(n -> Answer.json(
                200,
                "application/json",
                "{\"registration\": {\"joined\": [], \"left\": [], \"createdAggregates\": [], "
                        + "\"factsChanged\": false, \"cpuChanged\": false}}"))) {

            int exit = registerWith(server, token);

            assertThat(exit).isEqualTo(ExitStatus.REGISTERED);
            assertThat(out.toString().lines().toList())
                    .hasSize(2)
                    .satisfies(lines -> assertThat(lines.get(0)).contains("registered: HTTP 200 (known host)"))
                    .satisfies(lines -> assertThat(lines.get(1))
                            .isEqualTo("fleetcpu agent: nothing changed since the last report"));
        }
    }

    @Test
    void optionsLeftOutComeFromTheEnvironmentFileVariables() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "from-env\n");
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(n -> Answer.of(200))) {
            environment.put("FLEETCPU_SERVER", server.uri().toString());
            environment.put("FLEETCPU_AGGREGATES", "haswell-east, gpu");
            environment.put("FLEETCPU_TOKEN_FILE", token.toString());
            environment.put("FLEETCPU_HOSTNAME", "");
            environment.put("FLEETCPU_DEADLINE", "");
            environment.put("FLEETCPU_LIBVIRT_URI", "qemu+ssh://compute-17/system");

            int exit = run("--root", host.path().toString());

            assertThat(exit).as(err.toString()).isEqualTo(ExitStatus.REGISTERED);
            assertThat(out.toString()).contains("registered: HTTP 200 (known host)");
            assertThat(libvirtUris).containsExactly("qemu+ssh://compute-17/system");
            assertThat(server.received()).singleElement().satisfies(request -> {
                assertThat(request.header("Authorization")).isEqualTo("Bearer from-env");
                JsonNode body = JsonMapper.builder().build().readTree(request.body());
                assertThat(body.get("hostname").asString())
                        .as("an empty variable counts as unset")
                        .isEqualTo("compute-17");
                assertThat(body.get("aggregates").values())
                        .extracting(JsonNode::asString)
                        .containsExactly("haswell-east", "gpu");
            });
        }
    }

    @Test
    void theCommandLineWinsOverTheEnvironment() {
        environment.put("FLEETCPU_AGGREGATES", "from-env");
        environment.put("FLEETCPU_HOSTNAME", "env-name");

        int exit =
                run("--dry-run", "--root", host.path().toString(), "--aggregate", "from-cli", "--hostname", "cli-name");

        assertThat(exit).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(out.toString());
        assertThat(json.get("aggregates").values())
                .extracting(JsonNode::asString)
                .containsExactly("from-cli");
        assertThat(json.get("hostname").asString()).isEqualTo("cli-name");
    }

    @Test
    void aRefusalIsPrintedAndExitsOne() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "s3cret");
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(
                n -> Answer.json(
                        422,
                        "application/problem+json",
                        "{\"title\":\"Unprocessable Entity\",\"status\":422,\"detail\":\"unknown CPU model\","
                                + "\"errors\":[{\"field\":\"expandedCpuXml\",\"problem\":\"no model 'Foo' in the catalog\"}]}"))) {

            int exit = registerWith(server, token);

            assertThat(exit).isEqualTo(ExitStatus.REFUSED);
            assertThat(err.toString())
                    .contains("Unprocessable Entity: unknown CPU model")
                    .contains("expandedCpuXml: no model 'Foo' in the catalog")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        int exit = run("--sever", "https://fleetcpu.example");

        assertThat(exit).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString())
                .contains("Unknown options: '--sever'")
                .contains("Possible solutions: --server")
                .contains("--help");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBadDurationIsAUsageError() {
        int exit = run("--server", "https://fleetcpu.example", "--deadline", "soon");

        assertThat(exit).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString()).contains("--deadline").contains("'soon' is not a duration");
    }

    @Test
    void aZeroInitialDelayIsAUsageError() {
        int exit = run(
                "--server",
                "https://fleetcpu.example",
                "--initial-delay",
                "0s",
                "--root",
                host.path().toString());

        assertThat(exit).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString()).contains("--initial-delay must be longer than 0");
        assertThat(libvirtUris).isEmpty();
    }

    @Test
    void aMissingServerIsAUsageError() {
        int exit = run("--root", host.path().toString());

        assertThat(exit).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString()).contains("Missing --server");
    }

    @Test
    void aServerThatIsNotHttpIsAUsageError() {
        int exit =
                run("--server", "fleetcpu.example:8080", "--root", host.path().toString());

        assertThat(exit).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString()).contains("is not an http(s) address");
    }

    @Test
    void aMissingTokenFileIsNamedAndNothingIsSent() {
        Path missing = dir.resolve("etc/fleetcpu/token");
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(n -> Answer.of(201))) {

            int exit = registerWith(server, missing);

            assertThat(exit).isEqualTo(ExitStatus.USAGE);
            assertThat(err.toString()).contains("token file " + missing + " does not exist");
            assertThat(server.received()).isEmpty();
            assertThat(libvirtUris).as("fails before reading the host").isEmpty();
        }
    }

    @Test
    void anEmptyTokenFileIsAUsageError() throws IOException {
        Path empty = Files.writeString(dir.resolve("token"), "\n");

        int exit = run(
                "--server",
                "https://fleetcpu.example",
                "--root",
                host.path().toString(),
                "--token-file",
                empty.toString());

        assertThat(exit).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString()).contains("token file " + empty + " is empty");
    }

    @Test
    void anUnreachableLibvirtIsOneClearLineAndExitThree() {
        int exit = run(
                (uri, maxGuests) -> {
                    throw new LibvirtException("Failed to connect socket to '/var/run/libvirt/libvirt-sock': "
                            + "No such file or directory");
                },
                "--dry-run",
                "--root",
                host.path().toString());

        assertThat(exit).isEqualTo(ExitStatus.NOT_COLLECTED);
        assertThat(err.toString().strip())
                .isEqualTo(
                        "fleetcpu agent: could not collect this host's facts: "
                                + "libvirt (qemu:///system): Failed to connect socket to "
                                + "'/var/run/libvirt/libvirt-sock': No such file or directory (is libvirtd installed and running?)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownCpuModelIsOneClearLineAndExitThree() {
        int exit = run(
                (uri, maxGuests) -> {
                    throw new LibvirtException(
                            uri + ": the host CPU in its capabilities has no model, so libvirt cannot "
                                    + "expand its features");
                },
                "--dry-run",
                "--root",
                host.path().toString());

        assertThat(exit).isEqualTo(ExitStatus.NOT_COLLECTED);
        assertThat(err.toString().strip())
                .isEqualTo("fleetcpu agent: could not collect this host's facts: "
                        + "libvirt: qemu:///system: the host CPU in its capabilities has no model, so libvirt cannot "
                        + "expand its features");
    }

    @Test
    void verboseAddsTheStackTrace() {
        int exit = run(
                (uri, maxGuests) -> {
                    throw new LibvirtException("cannot connect");
                },
                "--dry-run",
                "--verbose",
                "--root",
                host.path().toString());

        assertThat(exit).isEqualTo(ExitStatus.NOT_COLLECTED);
        assertThat(err.toString())
                .contains("could not collect this host's facts")
                .contains("at io.fleetcpu.agent.");
    }

    @Test
    void anUnreadableSysfsFileIsOneClearLineAndExitThree() {
        host.unreadable("sys/module/kvm_intel/parameters/nested");

        int exit = run("--dry-run", "--root", host.path().toString());

        assertThat(exit).isEqualTo(ExitStatus.NOT_COLLECTED);
        assertThat(err.toString())
                .startsWith("fleetcpu agent: could not collect this host's facts: cannot read ")
                .contains("sys/module/kvm_intel/parameters/nested")
                .doesNotContain("\tat ");
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    @Test
    void anUnreachableServerExitsFourAfterTheDeadline() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        int exit = run(
                "--server",
                "http://127.0.0.1:" + closedPort,
                "--root",
                host.path().toString(),
                "--deadline",
                "20s",
                "--initial-delay",
                "2s");

        assertThat(exit).isEqualTo(ExitStatus.UNREACHABLE);
        assertThat(err.toString())
                .contains("fleetcpu agent: gave up after")
                .contains("in 20s")
                .contains("cannot connect to http://127.0.0.1:" + closedPort + "/hosts");
        assertThat(time.slept()).isEqualTo(java.time.Duration.ofSeconds(20));
    }

    @Test
    void helpListsTheExitCodes() {
        int exit = run("--help");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("--server")
                .contains("--dry-run")
                .contains("Exit codes:")
                .contains("4   the server stayed unreachable");
    }
}
