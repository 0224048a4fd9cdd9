package io.fleetcpu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.libvirtxml.HostCapabilities;
import io.fleetcpu.testing.ApiTest;
import io.fleetcpu.testing.ProgramRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The agent's own jar, {@code target/fleetcpu-agent.jar}, as compute nodes run it: built by {@code package}, so run
 * by {@code verify} (failsafe) after it. It holds the agent and its libraries only, starts on its own, and registers
 * this machine (the real libvirtd at {@code qemu:///system}: skipped where none answers, required in CI) with a
 * service started here exactly as the service jar's {@code agent} command does.
 */
class AgentJarIT extends ApiTest {

    private static final Path JAR = Path.of("target", "fleetcpu-agent.jar");

    @TempDir
    Path dir;

    @Test
    void theJarHoldsTheAgentAndNoServiceParts() throws IOException {
        assertThat(JAR).exists();
        assertThat(Files.size(JAR)).as("the budget for compute nodes").isLessThanOrEqualTo(15L * 1024 * 1024);
        List<String> names = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Enumeration<? extends ZipEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                names.add(entries.nextElement().getName());
            }
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(AgentMain.class.getName());
        }
        assertThat(names)
                .contains("io/fleetcpu/agent/AgentCommand.class", "org/libvirt/Connect.class")
                .noneMatch(n -> n.startsWith("org/springframework/boot/") || n.startsWith("org/hibernate/"))
                .noneMatch(n -> n.startsWith("io/fleetcpu/aggregates/") || n.startsWith("io/fleetcpu/hosts/"))
                .noneMatch(n -> n.endsWith(".txz"));
    }

    @Test
    void itStartsWithoutTheServiceJar() throws Exception {
        ProgramRun help = java("--help");
        ProgramRun version = java("--version");

        assertThat(help.exit()).as(help.errors()).isZero();
        assertThat(help.output()).startsWith("Usage: fleetcpu-agent ").contains("--server=URL", "--dry-run");
        assertThat(version.exit()).as(version.errors()).isZero();
        assertThat(version.output()).startsWith("fleetcpu agent ");
    }

    @Test
    void itRegistersThisMachine() throws Exception {
        ThisMachine.assumeLibvirtd();

        // the same registration as the agent inside the service jar builds, from the same libvirtd
        ProgramRun dryRun = java("--dry-run", "--libvirt-uri", ThisMachine.LIBVIRT_URI, "--aggregate", "agent-jar");
        assertThat(dryRun.exit()).as(dryRun.errors()).isZero();
        JsonNode printed = JSON.readTree(dryRun.output());
        assertThat(printed.get("capabilitiesXml").asString()).contains("<capabilities>");
        assertThat(printed.get("versions").get("agent").asString()).isNotBlank();

        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        ProgramRun register = java(
                "--server",
                uri("").toString(),
                "--token-file",
                token.toString(),
                "--aggregate",
                "agent-jar",
                "--libvirt-uri",
                ThisMachine.LIBVIRT_URI,
                "--deadline",
                "60s");
        assertThat(register.exit()).as(register.errors()).isZero();
        assertThat(register.output()).contains("registered: HTTP 201");

        String uuid = HostCapabilities.parse(printed.get("capabilitiesXml").asString())
                .hostUuid()
                .toString();
        JsonNode host = get("/hosts/" + uuid).json();
        assertThat(host.get("aggregates").toString()).isEqualTo("[\"agent-jar\"]");
        assertThat(host.get("hostname").asString())
                .isEqualTo(printed.get("hostname").asString());
        assertThat(host.get("cpuView").asString()).isEqualTo("hypervisor");
        assertThat(host.get("versions").get("agent").asString())
                .isEqualTo(printed.get("versions").get("agent").asString());
    }

    /** {@code java -jar target/fleetcpu-agent.jar ...}, as a compute node runs it. */
    private ProgramRun java(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        return ProgramRun.of(command, Map.of(), dir, Duration.ofMinutes(2));
    }
}
