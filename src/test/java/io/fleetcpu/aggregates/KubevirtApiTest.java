package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;

/**
 * The KubeVirt renderings over HTTP: the VMI spec with its node selector, the labels KubeVirt's node-labeller would
 * write on each kind of host, and the KubeVirt CR snippet. The agent's host (src/test/resources/hostdata) sent what
 * KubeVirt's node-labeller reads itself: domain capabilities and {@code hypervisor-cpu-baseline --features} of them
 * (KubeVirt's supported_features.xml), so the expected labels are read off those files by KubeVirt's rules
 * (github:kubevirt/kubevirt pkg/virt-handler/node-labeller): a cpu-feature label per feature with policy require, a
 * cpu-model label per usable model not in the obsolete list, the host-model's model and vendor.
 */
class KubevirtApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";
    private static final String HASWELL_XEON = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String PATH = "/aggregates/lab/recommended-cpu";

    @Test
    void theAgentsHostGetsTheLabelsKubevirtWritesAndTheVmSelectsThem() {
        // The host's hypervisor (KVM, CPU without SSE3) names no usable model but pentium* and 486, so only a pinned
        // model is custom.
        assertThat(put("/aggregates/lab", Map.of("policy", Map.of("pinnedModel", "kvm64")))
                        .status())
                .isIn(200, 201);
        assertThat(post("/hosts", agentRegistration("lab")).status()).isEqualTo(201);
        JsonNode json = get(PATH).json();
        assertThat(json.get("model").asString()).as(json.toString()).isEqualTo("kvm64");

        // The labels: every feature the hypervisor's CPU requires; no cpu-model label, since the host's usable
        // models (pentium, pentium2, pentium3, 486) are all obsolete to KubeVirt; a cpu-model-migration label for
        // each of the 49 models the domain capabilities report usable='no' but the 11 obsolete ones (Conroe,
        // Opteron_G1, Opteron_G2, athlon, core2duo, coreduo, kvm32, n270, phenom, qemu32, qemu64; kvm64 is not,
        // under the obsoleteCPUModels format=kubevirt-cluster sets for a kvm64 answer).
        Map<String, Object> expected = new LinkedHashMap<>();
        listed(hostData("hypervisor-cpu-kvm64.xml"), "require")
                .forEach(f -> expected.put("cpu-feature.node.kubevirt.io/" + f, "true"));
        expected.put("host-model-cpu.node.kubevirt.io/kvm64", "true");
        expected.put("cpu-vendor.node.kubevirt.io/Intel", "true");
        List.of(
                        "Broadwell",
                        "Broadwell-IBRS",
                        "Broadwell-noTSX",
                        "Broadwell-noTSX-IBRS",
                        "Cascadelake-Server",
                        "Cascadelake-Server-noTSX",
                        "Cooperlake",
                        "Dhyana",
                        "EPYC",
                        "EPYC-IBPB",
                        "EPYC-Milan",
                        "EPYC-Rome",
                        "Haswell",
                        "Haswell-IBRS",
                        "Haswell-noTSX",
                        "Haswell-noTSX-IBRS",
                        "Icelake-Server",
                        "Icelake-Server-noTSX",
                        "IvyBridge",
                        "IvyBridge-IBRS",
                        "Nehalem",
                        "Nehalem-IBRS",
                        "Opteron_G3",
                        "Opteron_G4",
                        "Opteron_G5",
                        "Penryn",
                        "SandyBridge",
                        "SandyBridge-IBRS",
                        "Skylake-Client",
                        "Skylake-Client-IBRS",
                        "Skylake-Client-noTSX-IBRS",
                        "Skylake-Server",
                        "Skylake-Server-IBRS",
                        "Skylake-Server-noTSX-IBRS",
                        "Snowridge",
                        "Westmere",
                        "Westmere-IBRS",
                        "kvm64")
                .forEach(m -> expected.put("cpu-model-migration.node.kubevirt.io/" + m, "true"));
        Answer labelsAnswer = get(PATH + "?format=kubevirt-labels");
        assertThat(labelsAnswer.status()).isEqualTo(200);
        assertThat(labelsAnswer.contentType()).startsWith("application/yaml");
        Map<String, Object> labelsDoc = load(labelsAnswer.body());
        List<Map<String, Object>> kinds = list(labelsDoc.get("kinds"));
        assertThat(kinds).hasSize(1);
        assertThat(kinds.get(0).get("hosts")).isEqualTo(1);
        assertThat(kinds.get(0).get("exampleHosts")).isEqualTo(List.of("build-1"));
        Map<String, Object> labels = map(kinds.get(0).get("labels"));
        assertThat(labels).hasSize(60 + 2 + 38).isEqualTo(expected);
        assertThat(labels).doesNotContainKey("cpu-feature.node.kubevirt.io/pni"); // the one disabled

        // The VMI: kvm64 with the answer's features, every required one selected by its label (all are labelled
        // here); KubeVirt calls kvm64 obsolete and this host does not report it usable, and the answer says both.
        Answer vmAnswer = get(PATH + "?format=kubevirt");
        assertThat(vmAnswer.status()).isEqualTo(200);
        assertThat(vmAnswer.contentType()).startsWith("application/yaml");
        Map<String, Object> spec = map(load(vmAnswer.body()).get("spec"));
        Map<String, Object> cpu = map(map(spec.get("domain")).get("cpu"));
        assertThat(cpu.get("model")).isEqualTo("kvm64");
        List<Map<String, Object>> answerFeatures = new ArrayList<>();
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("cpu-model.node.kubevirt.io/kvm64", "true");
        json.get("features").forEach(f -> {
            answerFeatures.add(Map.of(
                    "name", f.get("name").asString(), "policy", f.get("policy").asString()));
            if (f.get("policy").asString().equals("require")) {
                selector.put("cpu-feature.node.kubevirt.io/" + f.get("name").asString(), "true");
            }
        });
        assertThat(answerFeatures).isNotEmpty();
        assertThat(cpu.get("features")).isEqualTo(answerFeatures);
        assertThat(map(spec.get("nodeSelector"))).isEqualTo(selector);
        selector.remove("cpu-model.node.kubevirt.io/kvm64");
        assertThat(labels).containsAllEntriesOf(selector);
        assertThat(vmAnswer.body())
                .contains("kvm64 is in KubeVirt's default obsoleteCPUModels")
                .contains("not every node reports kvm64 usable")
                .doesNotContain("# left out");
        assertThat(vmAnswer.body()).isEqualTo(json.get("kubevirt").asString());

        // The cluster: cpuModel kvm64, and KubeVirt's obsolete list without it.
        Answer clusterAnswer = get(PATH + "?format=kubevirt-cluster");
        assertThat(clusterAnswer.status()).isEqualTo(200);
        Map<String, Object> configuration =
                map(map(load(clusterAnswer.body()).get("spec")).get("configuration"));
        assertThat(configuration.get("cpuModel")).isEqualTo("kvm64");
        assertThat(map(configuration.get("obsoleteCPUModels")).keySet())
                .hasSize(33)
                .doesNotContain("kvm64")
                .contains("kvm64-v1", "qemu64", "486", "Opteron_G2");
        assertThat(list(labelsDoc.get("obsoleteCPUModels"))).hasSize(33).doesNotContain("kvm64");

        // Each representation has its own validator, and each gives 304 while nothing changed.
        Set<String> etags = new HashSet<>();
        etags.add(get(PATH).header("ETag"));
        for (Answer answer : List.of(labelsAnswer, vmAnswer, clusterAnswer)) {
            assertThat(answer.header("ETag")).isNotBlank();
            etags.add(answer.header("ETag"));
        }
        assertThat(etags).hasSize(4);
        for (String format : List.of("kubevirt", "kubevirt-labels", "kubevirt-cluster")) {
            String etag = get(PATH + "?format=" + format).header("ETag");
            assertThat(get(PATH + "?format=" + format, "If-None-Match", etag).status())
                    .as(format)
                    .isEqualTo(304);
        }
    }

    @Test
    void hostsWithoutAHypervisorViewGetNoFeatureKubevirtCannotLabel() {
        registerPlain("00000000-0000-4000-8000-000000000001", "node1", HASWELL);
        registerPlain("00000000-0000-4000-8000-000000000002", "node2", HASWELL_XEON);

        JsonNode json = get(PATH).json();
        List<String> required = new ArrayList<>();
        json.get("features").forEach(f -> {
            if (f.get("policy").asString().equals("require")) {
                required.add(f.get("name").asString());
            }
        });
        String vm = get(PATH + "?format=kubevirt").body();
        Map<String, Object> spec = map(load(vm).get("spec"));
        List<String> kept = new ArrayList<>();
        List<Map<String, Object>> features =
                list(map(map(spec.get("domain")).get("cpu")).getOrDefault("features", List.of()));
        features.stream().filter(f -> f.get("policy").equals("require")).forEach(f -> kept.add((String) f.get("name")));
        // what the VM requires is selected, feature by feature, and what it leaves out is said
        List<String> selected = new ArrayList<>();
        map(spec.get("nodeSelector")).keySet().stream()
                .filter(k -> k.startsWith("cpu-feature.node.kubevirt.io/"))
                .forEach(k -> selected.add(k.substring("cpu-feature.node.kubevirt.io/".length())));
        assertThat(selected).isEqualTo(kept).doesNotContain("ds", "monitor", "acpi", "ht", "tm", "pbe");
        assertThat(map(spec.get("nodeSelector")))
                .containsEntry("cpu-model.node.kubevirt.io/" + json.get("model").asString(), "true");
        for (String f : required) {
            if (!kept.contains(f)) {
                assertThat(vm).contains("# left out: require " + f + ":");
            }
        }

        // Neither host sent what the node-labeller reads: the labels are unknown, and the answer says so.
        Map<String, Object> labels = load(get(PATH + "?format=kubevirt-labels").body());
        assertThat(KubevirtApiTest.<Map<String, Object>>list(labels.get("kinds")))
                .hasSize(2)
                .allSatisfy(k -> assertThat(map(k.get("labels"))).isEmpty());
        assertThat(get(PATH + "?format=kubevirt-labels").body()).contains("its cpu-feature labels are unknown");
    }

    private void registerPlain(String uuid, String hostname, String file) {
        Answer answer = post("/hosts", registration(uuid, hostname, List.of("lab"), file));
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
    }

    /** The names of the features a libvirt {@code <cpu>} lists with this policy. */
    private static List<String> listed(String xml, String policy) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("<feature policy='" + policy + "' name='([^']+)'/>")
                .matcher(xml);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Map<String, Object> load(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object o) {
        return (List<T>) o;
    }
}
