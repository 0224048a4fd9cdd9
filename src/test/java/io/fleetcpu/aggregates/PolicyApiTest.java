package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.render.QemuFeatureNames;
import io.fleetcpu.testing.ApiAssertions;
import io.fleetcpu.testing.KvmKernel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The aggregate policy over real HTTP: bad policies refused naming the field with nothing written, If-Match on
 * changes, every rendering of the recommended CPU parsed back and compared with the JSON answer, nested
 * virtualisation from the hosts' kernel facts, minimum and pinned models.
 */
class PolicyApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";
    private static final String HASWELL_XEON = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String HASWELL_XEON_GUEST = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-guest.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final String PENTIUM_NO_VMX = "libvirt-9.9.0/x86_64-cpuid-Pentium-P6100-host.xml";
    private static final String WESTMERE = "libvirt-9.9.0/x86_64-cpuid-Core-i5-650-host.xml";

    private static final String UUID_1 = "00000000-0000-4000-8000-000000000001";
    private static final String UUID_2 = "00000000-0000-4000-8000-000000000002";
    private static final String UUID_3 = "00000000-0000-4000-8000-000000000003";
    private static final String UUID_4 = "00000000-0000-4000-8000-000000000004";

    private static final CpuCatalog CATALOG = CpuCatalog.bundled();

    // ---- bad policies --------------------------------------------------------------------------------------------

    /** A policy and the fields its refusal must name. */
    private record BadPolicy(String why, Map<String, Object> policy, List<String> fields) {}

    private static List<BadPolicy> badPolicies() {
        return List.of(
                new BadPolicy("unknown goal", Map.of("goal", "speed"), List.of("policy.goal")),
                new BadPolicy(
                        "unknown nested",
                        Map.of("nestedVirtualization", "maybe"),
                        List.of("policy.nestedVirtualization")),
                new BadPolicy(
                        "unknown feature in the disable list",
                        Map.of("mitigations", Map.of("mode", "disable", "disable", List.of("spectre-v2"))),
                        List.of("policy.mitigations.disable[0]")),
                new BadPolicy(
                        "a feature that is no mitigation",
                        Map.of("mitigations", Map.of("mode", "disable", "disable", List.of("avx2"))),
                        List.of("policy.mitigations.disable[0]")),
                new BadPolicy(
                        "the second of two",
                        Map.of("mitigations", Map.of("mode", "disable", "disable", List.of("spec-ctrl", "avx2"))),
                        List.of("policy.mitigations.disable[1]")),
                new BadPolicy(
                        "a disable list with mode require",
                        Map.of("mitigations", Map.of("mode", "require", "disable", List.of("spec-ctrl"))),
                        List.of("policy.mitigations.disable")),
                new BadPolicy(
                        "mode disable without a list",
                        Map.of("mitigations", Map.of("mode", "disable")),
                        List.of("policy.mitigations.disable")),
                new BadPolicy(
                        "unknown mitigation mode",
                        Map.of("mitigations", Map.of("mode", "sometimes")),
                        List.of("policy.mitigations.mode")),
                new BadPolicy(
                        "unknown pinned model", Map.of("pinnedModel", "Haswell-Ultra"), List.of("policy.pinnedModel")),
                new BadPolicy(
                        "unknown minimum model", Map.of("minimumModel", "Pentium-5"), List.of("policy.minimumModel")),
                new BadPolicy(
                        "unknown minimum level", Map.of("minimumLevel", "x86-64-v5"), List.of("policy.minimumLevel")),
                new BadPolicy(
                        "a level written as a model",
                        Map.of("minimumLevel", "Haswell"),
                        List.of("policy.minimumLevel")),
                new BadPolicy(
                        "a moving alias as the machine type",
                        Map.of("machineType", "q35"),
                        List.of("policy.machineType")),
                new BadPolicy(
                        "a machine type that is no name",
                        Map.of("machineType", "pc-q35-7.2; rm -rf /"),
                        List.of("policy.machineType")),
                new BadPolicy("strict without required", Map.of("strict", true), List.of("policy.strict")),
                new BadPolicy(
                        "strict with allowed",
                        Map.of("strict", true, "nestedVirtualization", "allowed"),
                        List.of("policy.strict")),
                new BadPolicy(
                        "everything wrong at once",
                        Map.of(
                                "goal",
                                "fast",
                                "nestedVirtualization",
                                "yes",
                                "mitigations",
                                Map.of("mode", "disable", "disable", List.of("avx2")),
                                "pinnedModel",
                                "Nope",
                                "minimumModel",
                                "Nada"),
                        List.of(
                                "policy.goal",
                                "policy.nestedVirtualization",
                                "policy.mitigations.disable[0]",
                                "policy.pinnedModel",
                                "policy.minimumModel")));
    }

    @Test
    void badPolicyIsRefusedNamingTheFieldAndNothingIsCreated() {
        for (BadPolicy bad : badPolicies()) {
            Answer post = post("/aggregates", Map.of("id", "bad", "policy", bad.policy()));
            assertProblem(post, 422);
            assertThat(errorFields(post))
                    .as("POST, %s: %s", bad.why(), post.body())
                    .containsExactlyInAnyOrderElementsOf(bad.fields());
            for (String field : bad.fields()) {
                assertThat(errorFor(post, field))
                        .as("what is wrong with %s", field)
                        .isNotBlank();
            }
            Answer put = put("/aggregates/bad", Map.of("policy", bad.policy()));
            assertProblem(put, 422);
            assertThat(errorFields(put)).as("PUT, %s", bad.why()).containsExactlyInAnyOrderElementsOf(bad.fields());
            assertNoAggregates();
            assertThat(get("/aggregates/bad").status()).isEqualTo(404);
        }
    }

    @Test
    void badPolicyLeavesTheAggregateAsItWas() {
        Map<String, Object> good = policy("balanced", "allowed", false, List.of("spec-ctrl"), null, "SandyBridge");
        Answer created = put("/aggregates/kept", Map.of("description", "kept as it is", "policy", good));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Answer before = get("/aggregates/kept");
        JsonNode policyBefore = before.json().path("policy");
        assertThat(policyBefore.path("goal").asString()).isEqualTo("balanced");
        assertThat(texts(policyBefore.path("mitigations").path("disable"))).containsExactly("spec-ctrl");

        for (BadPolicy bad : badPolicies()) {
            Answer put = put(
                    "/aggregates/kept",
                    Map.of("description", "changed", "policy", bad.policy()),
                    "If-Match",
                    before.header("ETag"));
            assertProblem(put, 422);
            assertThat(errorFields(put)).as("PUT, %s", bad.why()).containsExactlyInAnyOrderElementsOf(bad.fields());
            Answer after = get("/aggregates/kept");
            assertThat(after.json().path("policy"))
                    .as("policy after %s", bad.why())
                    .isEqualTo(policyBefore);
            assertThat(after.json().path("description").asString()).isEqualTo("kept as it is");
            assertThat(after.header("ETag")).isEqualTo(before.header("ETag"));
        }
    }

    // ---- If-Match ------------------------------------------------------------------------------------------------

    @Test
    void ifMatchGuardsChanges() {
        Answer created = put("/aggregates/east", Map.of("policy", Map.of("goal", "migration")));
        assertThat(created.status()).isEqualTo(201);
        String first = created.header("ETag");
        assertThat(first).isNotBlank().isEqualTo(get("/aggregates/east").header("ETag"));

        // Current: the change is made and the version moves on.
        Answer changed = put("/aggregates/east", Map.of("policy", Map.of("goal", "balanced")), "If-Match", first);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        String second = changed.header("ETag");
        assertThat(second).isNotBlank().isNotEqualTo(first);
        assertThat(get("/aggregates/east").header("ETag")).isEqualTo(second);
        assertThat(get("/aggregates/east").json().path("policy").path("goal").asString())
                .isEqualTo("balanced");

        // Stale: refused as a problem, nothing changed.
        Answer stale = put("/aggregates/east", Map.of("policy", Map.of("goal", "performance")), "If-Match", first);
        JsonNode problem = assertProblem(stale, 412);
        assertThat(problem.path("detail").asString()).contains("east");
        Answer now = get("/aggregates/east");
        assertThat(now.json().path("policy").path("goal").asString()).isEqualTo("balanced");
        assertThat(now.header("ETag")).isEqualTo(second);

        // One of several tags matching is enough; "*" matches any version of an existing aggregate.
        Answer list = put(
                "/aggregates/east", Map.of("policy", Map.of("goal", "performance")), "If-Match", first + ", " + second);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        Answer any = put("/aggregates/east", Map.of("policy", Map.of("goal", "migration")), "If-Match", "*");
        assertThat(any.status()).as(any.body()).isEqualTo(200);
        assertThat(any.header("ETag")).isNotEqualTo(list.header("ETag"));
        assertThat(get("/aggregates/east").json().path("policy").path("goal").asString())
                .isEqualTo("migration");

        // An aggregate that does not exist matches no tag, not even "*": nothing created.
        assertProblem(put("/aggregates/west", Map.of("policy", Map.of("goal", "migration")), "If-Match", "*"), 412);
        assertProblem(put("/aggregates/west", Map.of(), "If-Match", first), 412);
        assertThat(get("/aggregates/west").status()).isEqualTo(404);

        // DELETE: stale refused, current accepted.
        assertProblem(delete("/aggregates/east", "If-Match", first), 412);
        assertThat(get("/aggregates/east").status()).isEqualTo(200);
        assertThat(delete(
                                "/aggregates/east",
                                "If-Match",
                                get("/aggregates/east").header("ETag"))
                        .status())
                .isEqualTo(204);
        assertThat(get("/aggregates/east").status()).isEqualTo(404);
    }

    // ---- renderings ------------------------------------------------------------------------------------------

    @Test
    void everyRenderingSaysWhatTheJsonAnswerSays() {
        register(UUID_1, "haswell-1", "east", HASWELL, KvmKernel.intel("enabled"));
        register(UUID_2, "ivy-1", "east", IVY_BRIDGE, KvmKernel.intel("enabled"));
        setPolicy("east", policy("migration", "allowed", false, List.of("spec-ctrl"), null, null));

        Answer answer = get("/aggregates/east/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode json = answer.json();
        assertThat(json.path("mode").asString()).isEqualTo("custom");
        assertThat(json.path("model").asString()).isEqualTo("IvyBridge");
        assertThat(json.path("vendor").asString()).isEqualTo("Intel");
        List<String> features = features(json);
        assertThat(features).contains("require:vmx", "disable:spec-ctrl");
        assertThat(json.path("policy").path("nestedVirtualization").asString()).isEqualTo("allowed");
        assertThat(texts(json.path("warnings"))).anySatisfy(w -> assertThat(w).contains("Spectre variant 2"));
        assertThat(get("/aggregates/east/recommended-cpu?format=json").json()).isEqualTo(json);

        // libvirt
        Answer libvirt = get("/aggregates/east/recommended-cpu?format=libvirt");
        assertThat(libvirt.status()).as(libvirt.body()).isEqualTo(200);
        assertThat(libvirt.contentType()).startsWith("application/xml");
        assertThat(libvirt.body()).isEqualTo(json.path("libvirtXml").asString());
        CpuDefinition cpu = CpuDefinition.parse(libvirt.body());
        assertThat(cpu.mode()).isEqualTo("custom");
        assertThat(cpu.model()).isEqualTo(json.path("model").asString());
        assertThat(cpu.vendor()).isEqualTo(json.path("vendor").asString());
        assertThat(cpu.modelFallback()).isEqualTo(json.path("fallback").asString());
        assertThat(cpu.features().stream()
                        .map(f -> f.policy().libvirtName() + ":" + f.name())
                        .toList())
                .isEqualTo(features);
        assertThat(get("/aggregates/east/recommended-cpu", "Accept", "application/xml")
                        .body())
                .isEqualTo(libvirt.body());

        // nova.conf
        Answer nova = get("/aggregates/east/recommended-cpu?format=nova-conf");
        assertThat(nova.status()).isEqualTo(200);
        assertThat(nova.contentType()).startsWith("text/plain");
        Map<String, Map<String, String>> ini = ini(nova.body());
        assertThat(ini).containsOnlyKeys("libvirt");
        Map<String, String> section = ini.get("libvirt");
        assertThat(section).containsEntry("cpu_mode", "custom");
        // nova's ordered list ends with the newest model every host runs, here the recommended one
        List<String> cpuModels = List.of(section.get("cpu_models").split(",\\s*"));
        assertThat(cpuModels.get(cpuModels.size() - 1))
                .isEqualTo(json.path("model").asString());
        List<String> flags = List.of(section.get("cpu_model_extra_flags").split(",\\s*"));
        assertThat(flags)
                .isEqualTo(features.stream()
                        .map(f -> f.startsWith("disable:") ? "-" + f.substring(8) : f.substring(8))
                        .toList());

        // QEMU
        Answer qemu = get("/aggregates/east/recommended-cpu?format=qemu");
        assertThat(qemu.status()).as(qemu.body()).isEqualTo(200);
        // the hosts reported no machine types: no -machine, only the -cpu value
        assertThat(qemu.body()).isEqualTo("-cpu " + json.path("qemuCpu").asString() + "\n");
        String[] parts = json.path("qemuCpu").asString().split(",");
        assertThat(parts[0]).isEqualTo(json.path("model").asString());
        List<String> expectedQemu = new ArrayList<>();
        for (String f : features) {
            boolean disable = f.startsWith("disable:");
            String name = f.substring(8);
            QemuFeatureNames.qemuName(name).ifPresent(q -> expectedQemu.add((disable ? "-" : "+") + q));
        }
        assertThat(List.of(parts).subList(1, parts.length))
                .isEqualTo(expectedQemu)
                .contains("+vmx", "-spec-ctrl");

        // KubeVirt, by format and by Accept
        Answer kubevirt = get("/aggregates/east/recommended-cpu?format=kubevirt");
        assertThat(kubevirt.status()).isEqualTo(200);
        assertThat(kubevirt.contentType()).startsWith("application/yaml");
        assertThat(kubevirt.body()).isEqualTo(json.path("kubevirt").asString());
        assertKubevirt(kubevirt.body(), json.path("model").asString(), features);
        Answer yaml = get("/aggregates/east/recommended-cpu", "Accept", "application/yaml");
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.body()).isEqualTo(kubevirt.body());

        // cpu_map: the model's features + required - disabled, every one spelled out
        Answer cpuMap = get("/aggregates/east/recommended-cpu?format=cpu-map&modelName=IvyBridge-east-vmx");
        assertThat(cpuMap.status()).as(cpuMap.body()).isEqualTo(200);
        assertThat(cpuMap.contentType()).startsWith("application/xml");
        Element model =
                (Element) dom(cpuMap.body()).getElementsByTagName("model").item(0);
        assertThat(model.getAttribute("name")).isEqualTo("IvyBridge-east-vmx");
        Set<String> expected = new TreeSet<>(
                CATALOG.featureNames(CATALOG.model(json.path("model").asString())
                        .map(CpuModel::features)
                        .orElseThrow()));
        features.stream().filter(f -> f.startsWith("require:")).forEach(f -> expected.add(f.substring(8)));
        features.stream().filter(f -> f.startsWith("disable:")).forEach(f -> expected.remove(f.substring(8)));
        assertThat(featureNames(model)).isEqualTo(expected).contains("vmx").doesNotContain("spec-ctrl");
        // A name that cannot be a new model's is the request's fault: 400 naming modelName.
        assertThat(json.path("notExpressible").isEmpty()).as(json.toString()).isTrue();
        for (String bad : List.of("Ivy%20Bridge", "IvyBridge", "host")) {
            Answer refused = get("/aggregates/east/recommended-cpu?format=cpu-map&modelName=" + bad);
            assertProblem(refused, 400);
            assertThat(errorFields(refused)).containsExactly("modelName");
        }
        Answer defaultName = get("/aggregates/east/recommended-cpu?format=cpu-map");
        assertThat(defaultName.status()).isEqualTo(200);
        assertThat(((Element) dom(defaultName.body())
                                .getElementsByTagName("model")
                                .item(0))
                        .getAttribute("name"))
                .isEqualTo("IvyBridge-east");

        // Each representation its own validator.
        Set<String> etags = new LinkedHashSet<>();
        for (Answer a : List.of(answer, libvirt, nova, qemu, kubevirt, cpuMap)) {
            etags.add(a.header("ETag"));
        }
        assertThat(etags).hasSize(6).doesNotContainNull();
    }

    @Test
    void unknownFormatIs400() {
        register(UUID_1, "haswell-1", "east", HASWELL, KvmKernel.intel("enabled"));
        Answer answer = get("/aggregates/east/recommended-cpu?format=pdf");
        assertProblem(answer, 400);
        assertThat(answer.body()).contains("format").contains("pdf");
        assertThat(get("/aggregates/east/recommended-cpu?format=").status()).isEqualTo(400);
    }

    @Test
    void anAcceptTheServiceCannotAnswerIs406ListingWhatItCan() {
        register(UUID_1, "haswell-1", "east", HASWELL, KvmKernel.intel("enabled"));
        for (String accept : List.of("text/csv", "text/html", "application/pdf")) {
            JsonNode recommended = assertProblem(get("/aggregates/east/recommended-cpu", "Accept", accept), 406);
            assertThat(recommended.path("detail").asString()).contains(accept);
            assertThat(texts(recommended.path("supportedMediaTypes")))
                    .contains("application/json", "application/xml", "application/yaml");
            JsonNode baseline = assertProblem(get("/aggregates/east/baseline", "Accept", accept), 406);
            assertThat(baseline.path("detail").asString())
                    .contains(accept)
                    .contains("application/json")
                    .contains("application/xml");
            assertThat(texts(baseline.path("supportedMediaTypes")))
                    .containsExactlyInAnyOrder("application/json", "application/xml");
        }
        // Plain text is a rendering chosen with format, not by Accept alone.
        JsonNode text = assertProblem(get("/aggregates/east/recommended-cpu", "Accept", "text/plain"), 406);
        assertThat(texts(text.path("supportedMediaTypes")))
                .containsExactly("application/json", "application/xml", "application/yaml");
        Answer qemu = get("/aggregates/east/recommended-cpu?format=qemu", "Accept", "text/plain");
        assertThat(qemu.status()).isEqualTo(200);
        assertThat(qemu.contentType()).startsWith("text/plain");
        // What it can answer it still does, whatever else the client would take.
        assertThat(get("/aggregates/east/recommended-cpu", "Accept", "text/csv, application/yaml;q=0.5")
                        .status())
                .isEqualTo(200);
        assertThat(get("/aggregates/east/recommended-cpu?format=nova-conf", "Accept", "application/json")
                        .body())
                .startsWith("[libvirt]");
        assertThat(get("/aggregates/east/baseline", "Accept", "*/*").status()).isEqualTo(200);
    }

    @Test
    void hostModelCannotBeWrittenForQemuOrAsACpuMapModel() {
        registerWithHypervisorView(UUID_1, "xeon-1", "balanced", HASWELL_XEON, HASWELL_XEON_GUEST);
        registerWithHypervisorView(UUID_2, "xeon-2", "balanced", HASWELL_XEON, HASWELL_XEON_GUEST);
        setPolicy("balanced", policy("balanced", "allowed", false, List.of("spec-ctrl"), null, null));

        Answer answer = get("/aggregates/balanced/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.path("mode").asString()).isEqualTo("host-model");
        assertThat(json.path("model").isNull() || json.path("model").isMissingNode())
                .isTrue();
        assertThat(json.path("qemuCpu").isNull() || json.path("qemuCpu").isMissingNode())
                .isTrue();
        assertThat(features(json)).containsExactlyInAnyOrder("require:vmx", "disable:spec-ctrl");
        for (JsonNode host : json.path("hosts")) {
            assertThat(host.path("cpuView").asString()).isEqualTo("hypervisor");
        }

        // The answer says which formats cannot say it, and why; asking for one gets the same words in a 409.
        JsonNode notExpressible = json.path("notExpressible");
        assertThat(notExpressible.propertyNames()).containsExactlyInAnyOrder("qemu", "cpu-map");
        JsonNode qemu = assertProblem(get("/aggregates/balanced/recommended-cpu?format=qemu"), 409);
        assertThat(qemu.path("detail").asString())
                .contains("host-model has no QEMU -cpu equivalent")
                .contains(notExpressible.path("qemu").asString())
                .contains("domain capabilities")
                .contains("use format=libvirt")
                .doesNotContain("GuestCpu");
        JsonNode cpuMap = assertProblem(get("/aggregates/balanced/recommended-cpu?format=cpu-map&modelName=Mine"), 409);
        assertThat(cpuMap.path("detail").asString())
                .contains(notExpressible.path("cpu-map").asString())
                .contains("needs a named model");

        CpuDefinition libvirt = CpuDefinition.parse(
                get("/aggregates/balanced/recommended-cpu?format=libvirt").body());
        assertThat(libvirt.mode()).isEqualTo("host-model");
        assertThat(libvirt.features())
                .containsExactlyInAnyOrder(
                        new CpuFeature("vmx", FeaturePolicy.REQUIRE),
                        new CpuFeature("spec-ctrl", FeaturePolicy.DISABLE));
        assertThat(ini(get("/aggregates/balanced/recommended-cpu?format=nova-conf")
                                .body())
                        .get("libvirt"))
                .containsEntry("cpu_mode", "host-model")
                .doesNotContainKey("cpu_models");
        assertKubevirt(
                get("/aggregates/balanced/recommended-cpu?format=kubevirt").body(), "host-model", features(json));
    }

    @Test
    void featuresKvmNeverGivesGuestsAreNotAskedFor() {
        // Two identical Xeon E5-2630 v3 registered with their physical CPU only: it has cmt (Intel RDT), ds, acpi,
        // monitor…, which KVM never gives a guest; libvirt would refuse a guest CPU that requires them.
        register(UUID_1, "xeon-1", "xeons", HASWELL_XEON, KvmKernel.intel("enabled"));
        register(UUID_2, "xeon-2", "xeons", HASWELL_XEON, KvmKernel.intel("enabled"));

        Answer answer = get("/aggregates/xeons/recommended-cpu");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("model").asString()).isEqualTo("Haswell-noTSX");
        assertThat(get("/aggregates/xeons/recommended-cpu?format=libvirt").status())
                .isEqualTo(200);
        assertThat(answer.json().path("features").toString())
                .doesNotContain("\"cmt\"", "\"ds\"", "\"monitor\"", "\"invtsc\"");
        assertThat(answer.json().path("warnings").toString())
                .contains("host xeon-1 (+1 alike) sent no hypervisor view")
                .contains("cmt");
        Answer qemu = get("/aggregates/xeons/recommended-cpu?format=qemu");
        assertThat(qemu.status()).isEqualTo(200);
        assertThat(qemu.body().strip())
                .startsWith("-cpu Haswell-noTSX,")
                .doesNotContain("cmt")
                .isEqualTo("-cpu " + answer.json().path("qemuCpu").asString());
    }

    // ---- nested virtualisation from the kernel facts --------------------------------------------------------------

    @Test
    void nestedAllowedNamesTheHostsToFixWithTheirCommands() {
        register(UUID_1, "ready", "nested", WESTMERE, KvmKernel.intel("enabled"));
        register(UUID_2, "off", "nested", WESTMERE, KvmKernel.intel("disabled"));
        register(
                UUID_3,
                "pentium",
                "nested",
                PENTIUM_NO_VMX,
                Map.of("release", "6.1.0-18-amd64", "kvmModule", "kvm_intel", "nested", "enabled"));
        setPolicy("nested", policy("migration", "allowed", false, null, null, null));

        Answer answer = get("/aggregates/nested/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode nested = answer.json().path("nested");
        assertThat(nested.path("requested").asString()).isEqualTo("allowed");
        assertThat(nested.path("flag").asString()).isEqualTo("vmx");
        assertThat(nested.path("provided").asBoolean()).isFalse();
        assertThat(texts(nested.path("readyHosts"))).containsExactly("ready");
        assertThat(texts(nested.path("hostsWithoutFlag"))).containsExactly("pentium");
        assertThat(nested.path("hostsToFix").size()).isEqualTo(1);
        JsonNode fix = nested.path("hostsToFix").get(0);
        assertThat(fix.path("host").asString()).isEqualTo("off");
        assertThat(fix.path("nestedState").asString()).isEqualTo("disabled");
        assertThat(texts(fix.path("commands")).stream()
                        .map(c -> c.replaceFirst("\\s+#.*$", ""))
                        .toList())
                .containsExactly(
                        "modprobe -r kvm_intel",
                        "modprobe kvm_intel nested=1",
                        "echo 'options kvm_intel nested=1' > /etc/modprobe.d/kvm_intel-nested.conf");
        assertThat(features(answer.json())).doesNotContain("require:vmx");
    }

    @Test
    void nestedAllowedGivesVmxOnceEveryHostIsReady() {
        register(UUID_1, "ready-1", "nested", WESTMERE, KvmKernel.intel("enabled"));
        register(UUID_2, "ready-2", "nested", WESTMERE, KvmKernel.intel("enabled"));
        setPolicy("nested", policy("migration", "allowed", false, null, null, null));

        JsonNode json = get("/aggregates/nested/recommended-cpu").json();
        assertThat(json.path("nested").path("provided").asBoolean()).isTrue();
        // The two hosts are one kind of CPU, named by the first.
        assertThat(texts(json.path("nested").path("readyHosts"))).containsExactly("ready-1 (+1 alike)");
        assertThat(features(json)).contains("require:vmx");
        assertThat(CpuDefinition.parse(json.path("libvirtXml").asString()).requiredFeatureNames())
                .contains("vmx");

        // With nested off (the default) the same hosts' guests do not get vmx.
        setPolicy("nested", policy("migration", "off", false, null, null, null));
        assertThat(features(get("/aggregates/nested/recommended-cpu").json()))
                .contains("disable:vmx")
                .doesNotContain("require:vmx");
    }

    @Test
    void nestedNotPossibleOnEveryHostKeepsVmxFromGuests() {
        // Both hosts have vmx, one has nested disabled: the answer says guests do not get vmx, and must mean it.
        register(UUID_1, "ready", "nested", WESTMERE, KvmKernel.intel("enabled"));
        register(UUID_2, "off", "nested", WESTMERE, KvmKernel.intel("disabled"));
        setPolicy("nested", policy("migration", "allowed", false, null, null, null));

        JsonNode json = get("/aggregates/nested/recommended-cpu").json();
        assertThat(json.path("nested").path("provided").asBoolean()).isFalse();
        assertThat(features(json)).doesNotContain("require:vmx");
        assertThat(CpuDefinition.parse(json.path("libvirtXml").asString()).requiredFeatureNames())
                .doesNotContain("vmx");
    }

    @Test
    void nestedRequiredAndStrictIsAConflictNamingTheHosts() {
        register(UUID_1, "ready", "nested", WESTMERE, KvmKernel.intel("enabled"));
        register(UUID_2, "off", "nested", WESTMERE, KvmKernel.intel("disabled"));
        setPolicy("nested", policy("migration", "required", true, null, null, null));

        JsonNode problem = assertProblem(get("/aggregates/nested/recommended-cpu"), 409);
        assertThat(texts(problem.path("hosts"))).containsExactly("off");
        assertThat(problem.path("detail").asString()).contains("nested").contains("off");
    }

    // ---- minimum and pinned models --------------------------------------------------------------------------------

    @Test
    void minimumModelAboveTheHostsIsAConflictNamingThem() {
        register(UUID_1, "haswell-1", "east", HASWELL, KvmKernel.intel("enabled"));
        register(UUID_2, "ivy-1", "east", IVY_BRIDGE, KvmKernel.intel("enabled"));
        setPolicy("east", policy("migration", "off", false, null, "Haswell-noTSX", null));

        JsonNode problem = assertProblem(get("/aggregates/east/recommended-cpu"), 409);
        assertThat(texts(problem.path("hosts"))).containsExactly("ivy-1");
        assertThat(problem.path("detail").asString())
                .contains("Haswell-noTSX")
                .contains("ivy-1")
                .contains("avx2");
        assertProblem(get("/aggregates/east/recommended-cpu?format=libvirt"), 409);

        // Lowered below the hosts: answered.
        setPolicy("east", policy("migration", "off", false, null, "SandyBridge", null));
        Answer answer = get("/aggregates/east/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("model").asString()).isEqualTo("IvyBridge");
    }

    @Test
    void minimumLevelAboveSomeKindsIsAConflictNamingThem() {
        // x86-64 levels worked out from the fixtures (see MicroarchitectureLevelTest): the Haswells (Haswell-noTSX
        // with f16c and abm) reach x86-64-v3, the Ivy Bridges (no avx2, bmi1, bmi2, fma, movbe, abm) x86-64-v2.
        register(UUID_1, "haswell-1", "east", HASWELL, KvmKernel.intel("enabled"));
        register(UUID_2, "xeon-1", "east", HASWELL_XEON, KvmKernel.intel("enabled"));
        register(UUID_3, "ivy-1", "east", IVY_BRIDGE, KvmKernel.intel("enabled"));
        register(UUID_4, "ivy-2", "east", IVY_BRIDGE, KvmKernel.intel("enabled"));
        setPolicy("east", withMinimumLevel(policy("migration", "off", false, null, null, null), "x86-64-v3"));
        assertThat(get("/aggregates/east")
                        .json()
                        .path("policy")
                        .path("minimumLevel")
                        .asString())
                .isEqualTo("x86-64-v3");

        JsonNode problem = assertProblem(get("/aggregates/east/recommended-cpu"), 409);
        assertThat(texts(problem.path("hosts"))).containsExactly("ivy-1 (+1 alike)");
        assertThat(problem.path("detail").asString())
                .contains("x86-64-v3")
                .contains("avx2")
                .contains("ivy-1 (+1 alike) (x86-64-v2)")
                .doesNotContain("haswell-1")
                .doesNotContain("xeon-1");
        assertProblem(get("/aggregates/east/recommended-cpu?format=libvirt"), 409);

        // Lowered to what every kind reaches: answered, with the level reached and who costs the next one.
        setPolicy("east", withMinimumLevel(policy("migration", "off", false, null, null, null), "x86-64-v2"));
        Answer answer = get("/aggregates/east/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.path("model").asString()).isEqualTo("IvyBridge");
        assertThat(json.path("level").asString()).isEqualTo("x86-64-v2");
        assertThat(json.path("levelLost").path("level").asString()).isEqualTo("x86-64-v3");
        assertThat(texts(json.path("levelLost").path("costBy"))).containsExactly("ivy-1 (+1 alike)");
        assertThat(json.path("levelLost").path("hostsCount").asInt()).isEqualTo(2);
        Map<String, String> kindLevels = new LinkedHashMap<>();
        json.path("kinds")
                .forEach(k -> kindLevels.put(
                        k.path("name").asString(), k.path("level").asString()));
        assertThat(kindLevels)
                .containsEntry("ivy-1 (+1 alike)", "x86-64-v2")
                .containsEntry("haswell-1", "x86-64-v3")
                .containsEntry("xeon-1", "x86-64-v3");
        assertThat(get("/aggregates/east").json().path("kinds").findValuesAsString("level"))
                .containsExactlyInAnyOrder("x86-64-v2", "x86-64-v3", "x86-64-v3");
    }

    @Test
    void aRecommendationLosingNoLevelSaysSo() {
        register(UUID_1, "haswell-1", "east", HASWELL, KvmKernel.intel("enabled"));
        register(UUID_2, "xeon-1", "east", HASWELL_XEON, KvmKernel.intel("enabled"));
        setPolicy("east", withMinimumLevel(policy("migration", "off", false, null, null, null), "x86-64-v3"));
        JsonNode json = get("/aggregates/east/recommended-cpu").json();
        // Haswell-noTSX plus the f16c and abm both hosts share.
        assertThat(json.path("model").asString()).isEqualTo("Haswell-noTSX");
        assertThat(json.path("level").asString()).isEqualTo("x86-64-v3");
        assertThat(json.has("levelLost")).isFalse();
    }

    private static Map<String, Object> withMinimumLevel(Map<String, Object> policy, String level) {
        Map<String, Object> with = new LinkedHashMap<>(policy);
        with.put("minimumLevel", level);
        return with;
    }

    @Test
    void pinnedModelShowsTheHostsThatCannotRunIt() {
        register(UUID_1, "haswell-1", "east", HASWELL, KvmKernel.intel("enabled"));
        register(UUID_2, "ivy-1", "east", IVY_BRIDGE, KvmKernel.intel("enabled"));
        setPolicy("east", policy("migration", "off", false, null, null, "Haswell-noTSX"));

        Answer answer = get("/aggregates/east/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.path("model").asString()).isEqualTo("Haswell-noTSX");
        assertThat(json.path("policy").path("pinnedModel").asString()).isEqualTo("Haswell-noTSX");
        JsonNode gaps = json.path("hostsThatCannotRun");
        assertThat(gaps.size()).isEqualTo(1);
        assertThat(gaps.get(0).path("host").asString()).isEqualTo("ivy-1");
        assertThat(texts(gaps.get(0).path("missingFeatures"))).contains("avx2", "fma", "bmi1", "bmi2");
        assertThat(texts(json.path("warnings")))
                .anySatisfy(w -> assertThat(w).contains("ivy-1").contains("Haswell-noTSX"));
        assertThat(CpuDefinition.parse(get("/aggregates/east/recommended-cpu?format=libvirt")
                                .body())
                        .model())
                .isEqualTo("Haswell-noTSX");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private void register(String uuid, String hostname, String aggregate, String file, Map<String, Object> kernel) {
        Map<String, Object> body = registration(uuid, hostname, List.of(aggregate), file);
        body.put("kernel", kernel);
        Answer answer = post("/hosts", body);
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
    }

    private void registerWithHypervisorView(
            String uuid, String hostname, String aggregate, String file, String hypervisorFile) {
        Map<String, Object> body = registration(uuid, hostname, List.of(aggregate), file);
        body.put("kernel", KvmKernel.intel("enabled"));
        body.put("hypervisorCpuXml", cpuData(hypervisorFile));
        Answer answer = post("/hosts", body);
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
    }

    private static Map<String, Object> policy(
            String goal, String nested, boolean strict, List<String> disable, String minimumModel, String pinnedModel) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("goal", goal);
        policy.put("nestedVirtualization", nested);
        policy.put("strict", strict);
        policy.put(
                "mitigations",
                disable == null ? Map.of("mode", "require") : Map.of("mode", "disable", "disable", disable));
        if (minimumModel != null) {
            policy.put("minimumModel", minimumModel);
        }
        if (pinnedModel != null) {
            policy.put("pinnedModel", pinnedModel);
        }
        return policy;
    }

    private void setPolicy(String aggregate, Map<String, Object> policy) {
        Answer answer = put("/aggregates/" + aggregate, Map.of("policy", policy));
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
    }

    /** {@code policy:name} of each feature of the JSON answer, in order. */
    private static List<String> features(JsonNode answer) {
        List<String> features = new ArrayList<>();
        answer.path("features")
                .forEach(f -> features.add(
                        f.path("policy").asString() + ":" + f.path("name").asString()));
        return features;
    }

    /** A nova.conf: sections of {@code key = value}, comments and blank lines skipped. */
    private static Map<String, Map<String, String>> ini(String text) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            assertThat(current).as("a key before any section: %s", line).isNotNull();
            int eq = line.indexOf('=');
            assertThat(eq).as("not key = value: %s", line).isPositive();
            assertThat(current.put(
                            line.substring(0, eq).strip(),
                            line.substring(eq + 1).strip()))
                    .as("key given twice: %s", line)
                    .isNull();
        }
        return sections;
    }

    @SuppressWarnings("unchecked")
    private static void assertKubevirt(String text, String model, List<String> features) {
        Map<String, Object> doc = new Yaml().load(text);
        assertThat(doc).containsOnlyKeys("spec");
        Map<String, Object> cpu = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) doc.get("spec")).get("domain")).get("cpu");
        assertThat(cpu.get("model")).isEqualTo(model);
        List<Map<String, Object>> listed =
                cpu.containsKey("features") ? (List<Map<String, Object>>) cpu.get("features") : List.of();
        assertThat(listed.stream()
                        .map(f -> f.get("policy") + ":" + f.get("name"))
                        .toList())
                .isEqualTo(features);
    }

    private static Document dom(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not XML: " + xml, e);
        }
    }

    private static Set<String> featureNames(Element model) {
        Set<String> names = new TreeSet<>();
        NodeList features = model.getElementsByTagName("feature");
        for (int i = 0; i < features.getLength(); i++) {
            names.add(((Element) features.item(i)).getAttribute("name"));
        }
        return names;
    }
}
