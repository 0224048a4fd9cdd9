package io.fleetcpu.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.agent.libvirt.LibvirtConnection;
import io.fleetcpu.agent.libvirt.LibvirtException;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.NestedState;
import io.fleetcpu.testing.ApiAssertions;
import io.fleetcpu.testing.KvmKernel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What an agent sends beyond the host CPU: the hypervisor's view of the CPU, the domain
 * capabilities, the kernel's KVM facts and versions; and that recommendations compute with the
 * hypervisor's view when a host sent it.
 */
class AgentFactsApiTest extends ApiAssertions {

    private static final String UUID_HV = "515ce18e-e55b-4fc1-834c-3b12eb4e146b";

    @Test
    void storesBothViewsTheKernelFactsAndTheUsableModels() {
        Answer answer = post("/hosts", agentRegistration("lab"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);

        JsonNode host = get("/hosts/" + UUID_HV).json();
        assertThat(host.get("cpu").get("model").asString()).isEqualTo("Broadwell-noTSX-IBRS");
        assertThat(host.get("cpuView").asString()).isEqualTo("hypervisor");
        JsonNode hypervisor = host.get("hypervisorCpu");
        assertThat(hypervisor.get("model").asString()).isEqualTo("kvm64");
        assertThat(hypervisor.get("source").asString()).isEqualTo("hypervisorCpuXml");
        CpuDefinition sent = CpuDefinition.parse(hostData("hypervisor-cpu-kvm64.xml"));
        assertThat(hypervisor.get("features").size())
                .isEqualTo(sent.requiredFeatureNames().size());
        assertThat(host.get("cpu").get("features").size())
                .isGreaterThan(hypervisor.get("features").size());

        DomainCapabilities domain = DomainCapabilities.parse(hostData("domcapabilities-broadwell-kvm.xml"));
        assertThat(host.get("guestModels").get("hostModel").asString())
                .isEqualTo(domain.hostModel().model());
        assertThat(JSON.convertValue(host.get("guestModels").get("usableModels"), List.class))
                .isEqualTo(domain.usableModelNames())
                .isNotEmpty();

        assertThat(host.get("kernel").get("nested").asString()).isEqualTo("enabled");
        assertThat(host.get("kernel").get("kvmModule").asString()).isEqualTo("kvm_intel");
        assertThat(host.get("kernel").get("virtualizationFlag").asString()).isEqualTo("vmx");
        assertThat(host.get("versions").get("qemu").asString()).isEqualTo("7.2.0");
        assertThat(host.get("documents").has("hypervisor-cpu")).isTrue();
        assertThat(get("/hosts/" + UUID_HV + "/documents/hypervisor-cpu").body())
                .isEqualTo(hostData("hypervisor-cpu-kvm64.xml"));

        // The same report again changes nothing.
        Answer again = post("/hosts", agentRegistration("lab"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("updatedAt")).isEqualTo(answer.json().get("updatedAt"));
    }

    @Test
    void recommendationsUseTheHypervisorViewAndSaySo() {
        assertThat(post("/hosts", agentRegistration("mixed-views")).status()).isEqualTo(201);
        Answer physical = post(
                "/hosts",
                registration(
                        "00000000-0000-4000-8000-000000000002",
                        "haswell-1",
                        List.of("mixed-views"),
                        "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml"));
        assertThat(physical.status()).isEqualTo(201);

        JsonNode cpu = get("/aggregates/mixed-views/baseline?driver=test").json();
        assertThat(get("/aggregates/mixed-views/recommended-cpu").json().get("kinds"))
                .isEqualTo(cpu.get("kinds"));
        Map<String, String> views = new LinkedHashMap<>();
        cpu.get("kinds")
                .forEach(k ->
                        views.put(k.get("name").asString(), k.get("cpuView").asString()));
        assertThat(views).containsEntry("build-1", "hypervisor").containsEntry("haswell-1", "host");

        // libvirt's own baseline of the hypervisor's CPU and the physical Haswell, on the test driver.
        CpuDefinition hypervisorCpu =
                CpuDefinition.parse(hostData("hypervisor-cpu-kvm64.xml")).withArch("x86_64");
        String haswell = cpuData("libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml");
        CpuDefinition libvirt;
        try (LibvirtConnection connection = LibvirtConnection.open("test:///default")) {
            libvirt = CpuDefinition.parse(
                    connection.baselineCpu(List.of(hypervisorCpu.toHostCpuXml(), haswell), false, false));
        } catch (LibvirtException e) {
            assumeTrue(false, "libvirt not available: " + e.getMessage());
            return;
        }
        // A host-shaped <cpu> cannot say "model minus a feature", so libvirt is given kvm64 with the
        // pni (SSE3) that this QEMU cannot give guests; fleetcpu knows better and takes it away.
        assertThat(sentDisabled()).containsExactly("pni");
        List<CpuFeature> expected = new java.util.ArrayList<>(libvirt.features());
        expected.add(new CpuFeature("pni", FeaturePolicy.DISABLE));
        CpuDefinition ours = CpuDefinition.parse(cpu.get("libvirtXml").asString());
        assertThat(ours.model()).isEqualTo(libvirt.model()).isEqualTo("kvm64");
        assertThat(ours.vendor()).isEqualTo(libvirt.vendor());
        assertThat(ours.features()).isEqualTo(expected);
    }

    private static List<String> sentDisabled() {
        return CpuDefinition.parse(hostData("hypervisor-cpu-kvm64.xml")).disabledFeatureNames();
    }

    @Test
    void badKernelFactsAndDocumentsAreRefusedNamingTheField() {
        Map<String, Object> body = agentRegistration("lab");
        body.put("kernel", Map.of("nested", "maybe", "kvmModule", "kvm_arm"));
        body.put("hypervisorCpuXml", "<cpu><model>kvm64");
        body.put("versions", Map.of("qemu", "7".repeat(100)));
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFields(answer))
                .contains("kernel.nested", "kernel.kvmModule", "hypervisorCpuXml", "versions.qemu");
        assertNothingWritten();
    }

    @Autowired
    private JdbcTemplate jdbc;

    /**
     * The nested state is {@link NestedState} in the code and its word everywhere else: the registration, the host's
     * answer, the {@code cpu_kind} column and the drift event's fact.
     */
    @Test
    void theNestedStateIsItsWordInTheAnswerTheStoredKindAndTheHistory() {
        assertThat(post("/hosts", agentRegistration("lab")).status()).isEqualTo(201);
        Map<String, Object> disabled = agentRegistration("lab");
        disabled.put("kernel", KvmKernel.intel("disabled"));
        Answer answer = post("/hosts", disabled);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("kernel").get("nested").asString()).isEqualTo("disabled");

        assertThat(get("/hosts/" + UUID_HV).json().get("kernel").get("nested").asString())
                .isEqualTo("disabled");
        assertThat(jdbc.queryForObject(
                        "select k.nested from cpu_kind k join host h on h.kind_id = k.id where h.id = ?",
                        String.class,
                        java.util.UUID.fromString(UUID_HV)))
                .isEqualTo("disabled");
        JsonNode drift = get("/hosts/" + UUID_HV + "/history").json().get(0);
        Map<String, String> changes = new LinkedHashMap<>();
        drift.get("changes")
                .forEach(c -> changes.put(
                        c.get("fact").asString(),
                        c.get("before").asString() + " -> " + c.get("after").asString()));
        assertThat(changes).containsEntry("nested", "enabled -> disabled");

        // Left out, it is unknown.
        Map<String, Object> unsaid = agentRegistration("lab");
        unsaid.put("kernel", Map.of("kvmModule", "kvm_intel"));
        assertThat(post("/hosts", unsaid).json().get("kernel").get("nested").asString())
                .isEqualTo("unknown");
    }

    @Test
    void aWrongNestedWordIsAProblemNamingTheFieldAndTheWords() {
        Map<String, Object> body = agentRegistration("lab");
        body.put("kernel", Map.of("nested", "Enabled"));
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFor(answer, "kernel.nested")).isEqualTo("'Enabled' is not one of [enabled, disabled, unknown]");
        assertNothingWritten();
    }
}
