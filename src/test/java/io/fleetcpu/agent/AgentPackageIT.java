package io.fleetcpu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.testing.ApiTest;
import io.fleetcpu.testing.ProgramRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The agent's Debian package, {@code target/fleetcpu-agent.deb}, as compute nodes get it: what it holds, read with
 * {@code dpkg-deb}; and installed on this machine ({@code apt-get install ./target/fleetcpu-agent.deb}, which needs
 * root, apt and a libvirtd: skipped elsewhere, required in CI), the installed agent registering this machine with a service
 * started here as its systemd unit runs it (the settings of /etc/fleetcpu/agent.env in its environment), then
 * reporting again, as the timer would, with nothing changed.
 */
class AgentPackageIT extends ApiTest {

    private static final Path DEB = Path.of("target", "fleetcpu-agent.deb");

    @TempDir
    Path dir;

    @Test
    void thePackageHoldsTheAgentItsUnitsAndItsSettingsAsAConffile() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "no dpkg-deb here (not a Debian system)");

        ProgramRun fields =
                run(List.of("dpkg-deb", "--field", DEB.toString(), "Package", "Architecture", "Depends"), Map.of());
        ProgramRun contents = run(List.of("dpkg-deb", "--contents", DEB.toString()), Map.of());
        ProgramRun conffiles = run(List.of("dpkg-deb", "--info", DEB.toString(), "conffiles"), Map.of());

        assertThat(fields.output())
                .contains("Package: fleetcpu-agent")
                .contains("Architecture: all")
                .contains("Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, libvirt0");
        assertThat(contents.output())
                .contains("./usr/share/fleetcpu-agent/fleetcpu-agent.jar")
                .contains("-rwxr-xr-x root/root", "./usr/bin/fleetcpu-agent")
                .contains("./lib/systemd/system/fleetcpu-agent.service")
                .contains("./lib/systemd/system/fleetcpu-agent.timer")
                .contains("./lib/systemd/system/fleetcpu-agent.path")
                .contains("-rw------- root/root", "./etc/fleetcpu/agent.env")
                .contains("./usr/share/doc/fleetcpu-agent/copyright")
                .contains("./usr/share/doc/fleetcpu-agent/changelog.gz");
        assertThat(conffiles.output().strip()).isEqualTo("/etc/fleetcpu/agent.env");
    }

    @Test
    void theInstalledAgentRegistersThisMachineAndReportsAgainWithNothingChanged() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")) && onPath("apt-get"), "installing needs root and apt");
        ThisMachine.assumeLibvirtd();

        List<String> installCommand =
                List.of("apt-get", "install", "-y", "-q", "--reinstall", "--no-install-recommends", "./" + DEB);
        Map<String, String> noQuestions = Map.of("DEBIAN_FRONTEND", "noninteractive");
        ProgramRun install = run(installCommand, noQuestions);
        if (install.exit() != 0) {
            // a machine whose package lists were never fetched cannot find a dependency it lacks (a JRE of its own)
            run(List.of("apt-get", "update", "-q"), noQuestions);
            install = run(installCommand, noQuestions);
        }
        assertThat(install.exit()).as(install.output() + install.errors()).isZero();
        assertThat(Files.mismatch(
                        Path.of("/usr/share/fleetcpu-agent/fleetcpu-agent.jar"), Path.of("target/fleetcpu-agent.jar")))
                .as("the installed jar is this build's")
                .isEqualTo(-1L);
        assertThat(Files.readString(Path.of("/lib/systemd/system/fleetcpu-agent.service")))
                .contains("ExecStart=/usr/bin/fleetcpu-agent $FLEETCPU_AGENT_OPTIONS");
        assertTheLauncherRunsTheAgent();
        if (onPath("systemd-analyze")) {
            ProgramRun verify = run(
                    List.of(
                            "systemd-analyze",
                            "verify",
                            "/lib/systemd/system/fleetcpu-agent.service",
                            "/lib/systemd/system/fleetcpu-agent.timer",
                            "/lib/systemd/system/fleetcpu-agent.path"),
                    Map.of());
            assertThat(verify.exit())
                    .as("systemd's own check of the units: " + verify.errors())
                    .isZero();
            assertThat(verify.errors())
                    .doesNotContain("fleetcpu-agent.service:", "fleetcpu-agent.timer:", "fleetcpu-agent.path:");
        }

        // what the unit runs, with what /etc/fleetcpu/agent.env would hold in its environment
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Map<String, String> settings = Map.of(
                "FLEETCPU_SERVER",
                uri("").toString(),
                "FLEETCPU_AGGREGATES",
                "installed-agent",
                "FLEETCPU_TOKEN_FILE",
                token.toString(),
                "FLEETCPU_LIBVIRT_URI",
                ThisMachine.LIBVIRT_URI);
        ProgramRun first = run(List.of("/usr/bin/fleetcpu-agent"), settings);
        ProgramRun again = run(List.of("/usr/bin/fleetcpu-agent"), settings);

        assertThat(first.exit()).as(first.errors()).isZero();
        assertThat(first.output()).contains("registered: HTTP 201 (new host)", "joined aggregate 'installed-agent'");
        String uuid = first.output().replaceAll("(?s).*\\(([0-9a-f-]{36})\\) registered.*", "$1");
        JsonNode host = get("/hosts/" + uuid).json();
        assertThat(host.get("aggregates").toString()).isEqualTo("[\"installed-agent\"]");
        assertThat(again.exit()).as(again.errors()).isZero();
        assertThat(again.output())
                .contains("registered: HTTP 200 (known host)")
                .contains("fleetcpu agent: nothing changed since the last report");
        assertThat(get("/hosts/" + uuid).json().get("updatedAt")).isEqualTo(host.get("updatedAt"));
    }

    /** The launcher runs the installed agent, which prints its options, --max-guests among them. */
    private void assertTheLauncherRunsTheAgent() throws IOException, InterruptedException {
        ProgramRun help = run(List.of("/usr/bin/fleetcpu-agent", "--help"), Map.of());
        assertThat(help.exit()).isZero();
        assertThat(help.output()).startsWith("Usage: fleetcpu-agent ").contains("--max-guests");
    }

    private ProgramRun run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        return ProgramRun.of(command, environment, dir, Duration.ofMinutes(5));
    }

    private static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
