package io.fleetcpu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuMapDigest;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.libvirtxml.HostCapabilities;
import io.fleetcpu.testing.ApiTest;
import io.fleetcpu.testing.CpuMapFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * End to end on this machine: the agent reads the real libvirtd ({@code qemu:///system}) and registers the
 * machine with a fleetcpu service started here; what the service stores must be what {@code virsh} says of the
 * same machine. Skipped where no libvirtd answers; CI starts one and fails if this was skipped.
 */
class AgentRegistersThisMachineTest extends ApiTest {

    private static final String URI = ThisMachine.LIBVIRT_URI;
    private static final Set<String> QEMU_DRIVER_FILTERS = Set.of("cmt", "mbm_total", "mbm_local", "osxsave", "ospke");

    @TempDir
    Path dir;

    @Test
    void storedHostMatchesWhatVirshSays() throws IOException {
        ThisMachine.assumeLibvirtd();
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");

        int exit = registerThisMachine(token);
        assertThat(exit).as("agent exit code").isZero();

        HostCapabilities capabilities = HostCapabilities.parse(virsh("capabilities"));
        Answer answer = get("/hosts/" + capabilities.hostUuid());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode host = answer.json();

        assertThat(host.get("aggregates").toString()).isEqualTo("[\"this-machine\"]");
        assertThat(host.get("cpu").get("model").asString())
                .isEqualTo(capabilities.cpu().model());
        assertThat(host.get("cpu").get("vendor").asString())
                .isEqualTo(capabilities.cpu().vendor());

        // The full feature set: what 'virsh cpu-baseline --features' expands the host CPU to, except that the QEMU
        // driver also drops the features it never passes to guests (virQEMUCapsCPUFilterFeatures).
        Path caps = Files.writeString(dir.resolve("capabilities.xml"), virsh("capabilities"));
        CpuDefinition expanded = CpuDefinition.parse(virsh("cpu-baseline", "--features", caps.toString()));
        Set<String> stored = names(host.get("cpu").get("features"));
        stored.removeAll(QEMU_DRIVER_FILTERS);
        assertThat(stored).isEqualTo(new HashSet<>(expanded.requiredFeatureNames()));

        DomainCapabilities domain = DomainCapabilities.parse(virsh("domcapabilities"));
        assertThat(host.get("guestModels").get("hostModel").asString())
                .isEqualTo(domain.hostModel().model());
        assertThat(names(host.get("guestModels").get("usableModels")))
                .isEqualTo(new HashSet<>(domain.usableModelNames()));

        // What guests can really get there: the hypervisor's expansion of its host-model CPU.
        assertThat(host.get("cpuView").asString()).isEqualTo("hypervisor");
        assertThat(host.get("hypervisorCpu").get("model").asString())
                .isEqualTo(domain.hostModel().model());
        assertThat(host.get("versions").get("libvirt").asString()).isNotBlank();
        JsonNode kernel = host.get("kernel");
        assertThat(kernel.hasNonNull("kvmModule") ? kernel.get("kvmModule").asString() : null)
                .as("the KVM module /sys/module lists")
                .isEqualTo(kvmModule());
        assertThat(kernel.get("nested").asString())
                .as("the module's nested parameter")
                .isEqualTo(nestedWord(kvmModule()));

        // Read with this machine's own libvirt's map: the one in /usr/share/libvirt/cpu_map, by its digest.
        Map<String, byte[]> ownMap = CpuMapFiles.x86Files(Path.of(HostCpuMap.DEFAULT_DIRECTORY));
        assertThat(host.get("cpuMap").asString()).isEqualTo(CpuMapDigest.of(ownMap));

        // Registering again changes nothing.
        assertThat(registerThisMachine(token)).isZero();
        assertThat(get("/hosts/" + capabilities.hostUuid()).json().get("updatedAt"))
                .isEqualTo(host.get("updatedAt"));
    }

    /**
     * A host whose libvirt's cpu_map the service does not hold (here: libvirt 12.8's as a distribution might patch it):
     * the agent uploads it once, the host is read with it, and the next registration uploads nothing.
     */
    @Test
    void theAgentUploadsItsLibvirtsCpuMapOnceAndTheHostIsReadWithIt() throws IOException {
        ThisMachine.assumeLibvirtd();
        Path token = Files.writeString(dir.resolve("token"), AGENT_TOKEN + "\n");
        Map<String, byte[]> files = CpuMapFiles.patched(BundledMap.LIBVIRT_12_8, "this machine's distribution");
        Path map = CpuMapFiles.write(files, dir.resolve("cpu_map"));
        String digest = CpuMapDigest.of(files);

        StringWriter first = new StringWriter();
        assertThat(registerThisMachine(token, map, first)).as(first.toString()).isZero();
        assertThat(first.toString())
                .contains("uploaded this host's libvirt cpu_map " + digest + " (HTTP 201, " + files.size() + " files");
        String uuid = HostCapabilities.parse(virsh("capabilities")).hostUuid().toString();
        JsonNode host = get("/hosts/" + uuid).json();
        assertThat(host.get("cpuMap").asString()).isEqualTo(digest);
        assertThat(host.get("catalog").asString()).endsWith("(map " + digest.substring(0, 12) + ")");

        StringWriter second = new StringWriter();
        assertThat(registerThisMachine(token, map, second))
                .as(second.toString())
                .isZero();
        assertThat(second.toString()).doesNotContain("uploaded").contains("registered: HTTP 200");
        assertThat(get("/catalogs").json().toString()).contains(digest);
    }

    /** The agent's own run against this service with this cpu_map directory; what it prints goes to {@code out}. */
    private int registerThisMachine(Path token, Path cpuMap, StringWriter out) {
        CommandLine agent = AgentCommand.commandLine(
                new AgentCommand(LiveLibvirt.INSTANCE, Clock.systemUTC(), Sleeper.REAL), Map.of());
        agent.setOut(new PrintWriter(out));
        agent.setErr(new PrintWriter(out));
        return agent.execute(
                "--server",
                uri("").toString(),
                "--aggregate",
                "own-map",
                "--token-file",
                token.toString(),
                "--libvirt-uri",
                URI,
                "--cpu-map",
                cpuMap.toString(),
                "--deadline",
                "30s");
    }

    /** kvm_intel or kvm_amd, whichever this machine's kernel has loaded; null without KVM (emulation only). */
    private static @Nullable String kvmModule() {
        return Stream.of("kvm_intel", "kvm_amd")
                .filter(m -> Files.isDirectory(Path.of("/sys/module", m)))
                .findFirst()
                .orElse(null);
    }

    /** What the module's nested parameter says, as the service words it: kvm_intel writes Y/N, kvm_amd 1/0. */
    private static String nestedWord(@Nullable String module) throws IOException {
        Path parameter = Path.of("/sys/module", String.valueOf(module), "parameters", "nested");
        if (module == null || !Files.exists(parameter)) {
            return "unknown";
        }
        return switch (Files.readString(parameter).strip()) {
            case "Y", "1" -> "enabled";
            case "N", "0" -> "disabled";
            default -> "unknown";
        };
    }

    /** The agent's own run against this service, into aggregate this-machine. */
    private int registerThisMachine(Path token) {
        return AgentCommand.run(
                "--server",
                uri("").toString(),
                "--aggregate",
                "this-machine",
                "--token-file",
                token.toString(),
                "--libvirt-uri",
                URI,
                "--deadline",
                "30s");
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new HashSet<>();
        array.forEach(n -> names.add(n.asString()));
        return names;
    }

    /** virsh as an independent witness of the same machine. */
    private static String virsh(String... args) {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", URI));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS))
                    .as("virsh finished")
                    .isTrue();
            assertThat(process.exitValue())
                    .as("virsh " + String.join(" ", args))
                    .isZero();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run virsh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
