package io.fleetcpu.policy.render;

import static io.fleetcpu.policy.render.RenderExamples.CATALOG;
import static io.fleetcpu.policy.render.RenderExamples.RENDERER;
import static io.fleetcpu.policy.render.RenderExamples.disable;
import static io.fleetcpu.policy.render.RenderExamples.require;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.guest.GuestCpu;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The labels KubeVirt's node-labeller writes for real domain capabilities (libvirt's test data of QEMU 7.2 and 8.2 on
 * an AMD EPYC Rome host), the VMI spec that selects them, and the KubeVirt CR snippet. Expected values follow the
 * node-labeller's rules (github:kubevirt/kubevirt pkg/virt-handler/node-labeller/cpu_plugin.go, node_labeller.go,
 * util/util.go), applied here by hand to the fixtures and to libvirt's cpu_map.
 */
class KubevirtNodeLabelsTest {

    private static final Set<String> DEFAULT_OBSOLETE = Set.copyOf(KubevirtNodeLabels.DEFAULT_OBSOLETE_CPU_MODELS);

    /** usable='yes' in domcaps/qemu_7.2.0, minus KubeVirt's default obsolete models (qemu64, kvm64, 486, Conroe, ...). */
    private static final Set<String> MODELS_QEMU_72 = Set.of(
            "Westmere", "SandyBridge", "Penryn", "Opteron_G3", "Nehalem", "EPYC-Rome", "EPYC-IBPB", "EPYC", "Dhyana");
    /**
     * usable='no' in domcaps/qemu_7.2.0 minus the default obsolete models (athlon, core2duo, coreduo, n270, phenom):
     * KubeVirt labels them cpu-model-migration too (getKnownCpuModels: every model with a usable attribute).
     */
    private static final Set<String> UNUSABLE_QEMU_72 = Set.of(
            "Broadwell",
            "Broadwell-IBRS",
            "Broadwell-noTSX",
            "Broadwell-noTSX-IBRS",
            "Cascadelake-Server",
            "Cascadelake-Server-noTSX",
            "Cooperlake",
            "EPYC-Milan",
            "Haswell",
            "Haswell-IBRS",
            "Haswell-noTSX",
            "Haswell-noTSX-IBRS",
            "Icelake-Server",
            "Icelake-Server-noTSX",
            "IvyBridge",
            "IvyBridge-IBRS",
            "Nehalem-IBRS",
            "Opteron_G4",
            "Opteron_G5",
            "SandyBridge-IBRS",
            "Skylake-Client",
            "Skylake-Client-IBRS",
            "Skylake-Client-noTSX-IBRS",
            "Skylake-Server",
            "Skylake-Server-IBRS",
            "Skylake-Server-noTSX-IBRS",
            "Snowridge",
            "Westmere-IBRS");
    /** The same for qemu_8.2.0, where EPYC-Rome itself is not usable. */
    private static final Set<String> MODELS_QEMU_82 =
            Set.of("Westmere", "SandyBridge", "Penryn", "Opteron_G3", "Nehalem", "EPYC-IBPB", "EPYC", "Dhyana");

    @Test
    void theObsoleteListIsKubevirtsDefault() {
        // util.go's DefaultObsoleteCPUModels: 17 models, each also as -v1
        assertThat(KubevirtNodeLabels.DEFAULT_OBSOLETE_CPU_MODELS)
                .hasSize(34)
                .doesNotHaveDuplicates()
                .contains("kvm64", "kvm64-v1", "qemu64", "Conroe", "Opteron_G2", "486")
                .doesNotContain("Penryn", "Westmere", "cpu64-rhel6");
    }

    @Test
    void modelLabelsAreTheUsableModelsThatAreNotObsolete() {
        SortedMap<String, String> labels = labels("qemu_7.2.0-q35.x86_64.xml", DEFAULT_OBSOLETE);
        assertThat(withPrefix(labels, KubevirtNodeLabels.CPU_MODEL)).isEqualTo(MODELS_QEMU_72);
        Set<String> migration = new java.util.HashSet<>(MODELS_QEMU_72);
        migration.addAll(UNUSABLE_QEMU_72);
        assertThat(withPrefix(labels, KubevirtNodeLabels.CPU_MODEL_MIGRATION)).isEqualTo(migration);
        assertThat(withPrefix(labels, KubevirtNodeLabels.HOST_MODEL_CPU)).containsExactly("EPYC-Rome");
        assertThat(withPrefix(labels, KubevirtNodeLabels.CPU_VENDOR)).containsExactly("AMD");
        assertThat(labels.values()).containsOnly("true");

        assertThat(withPrefix(labels("qemu_8.2.0-q35.x86_64.xml", DEFAULT_OBSOLETE), KubevirtNodeLabels.CPU_MODEL))
                .isEqualTo(MODELS_QEMU_82);
        // A cluster whose obsoleteCPUModels leaves kvm64 out gets it labelled.
        Set<String> withoutKvm64 = new LinkedHashSet<>(DEFAULT_OBSOLETE);
        withoutKvm64.remove("kvm64");
        assertThat(withPrefix(labels("qemu_7.2.0-q35.x86_64.xml", withoutKvm64), KubevirtNodeLabels.CPU_MODEL))
                .contains("kvm64")
                .doesNotContain("qemu64");
    }

    @Test
    void aModelOfUnknownUsabilityIsLabelledAsKubevirtDoes() {
        // cpu_plugin.go loadDomCapabilities: usable != "no" makes a cpu-model label, so usable='unknown' (what libvirt
        // writes when QEMU does not say) counts. The real QEMU 7.2 document with EPYC-Milan (usable='no') and
        // EPYC-Rome (usable='yes') marked unknown instead:
        String doc = fixture("cpudata/domcaps/qemu_7.2.0-q35.x86_64.xml")
                .replace(
                        "<model usable='no' vendor='AMD'>EPYC-Milan</model>",
                        "<model usable='unknown' vendor='AMD'>EPYC-Milan</model>")
                .replace(
                        "<model usable='yes' vendor='AMD'>EPYC-Rome</model>",
                        "<model usable='unknown' vendor='AMD'>EPYC-Rome</model>");
        KubevirtNodeLabels.Node node = node(DomainCapabilities.parse(doc));
        assertThat(node.unknownModels()).containsExactlyInAnyOrder("EPYC-Milan", "EPYC-Rome");
        SortedMap<String, String> labels = KubevirtNodeLabels.labels(node, DEFAULT_OBSOLETE);
        Set<String> models = new java.util.HashSet<>(MODELS_QEMU_72);
        models.add("EPYC-Milan");
        assertThat(withPrefix(labels, KubevirtNodeLabels.CPU_MODEL)).isEqualTo(models);
        Set<String> migration = new java.util.HashSet<>(MODELS_QEMU_72);
        migration.addAll(UNUSABLE_QEMU_72);
        assertThat(withPrefix(labels, KubevirtNodeLabels.CPU_MODEL_MIGRATION)).isEqualTo(migration);
        // and a VM may select EPYC-Milan there
        assertThat(KubevirtNodeLabels.OnEveryNode.of(List.of(node), DEFAULT_OBSOLETE)
                        .models())
                .contains("EPYC-Milan");
        assertThat(KubevirtNodeLabels.OnEveryNode.of(List.of(node("qemu_7.2.0-q35.x86_64.xml")), DEFAULT_OBSOLETE)
                        .models())
                .doesNotContain("EPYC-Milan");
    }

    @Test
    void hostsRegisteredBeforeUnusableModelsWereKeptGetMigrationLabelsOfTheirModelLabelsOnly() {
        KubevirtNodeLabels.Node known = node("qemu_7.2.0-q35.x86_64.xml");
        KubevirtNodeLabels.Node old = new KubevirtNodeLabels.Node(
                known.hostModel(), known.vendor(), known.usableModels(), known.hypervisorFeatures(), null, null);
        assertThat(withPrefix(KubevirtNodeLabels.labels(old, DEFAULT_OBSOLETE), KubevirtNodeLabels.CPU_MODEL_MIGRATION))
                .isEqualTo(MODELS_QEMU_72);
    }

    @Test
    void featureLabelsAreTheHostModelExpandedWithPolicyRequire() {
        // hypervisor-cpu-baseline --features of the host-model: EPYC-Rome's features plus the listed require ones,
        // minus the disabled ones (8.2.0 disables xsaves, which 7.2.0 requires).
        Set<String> rome = cpuMapFeatures("EPYC-Rome");
        Set<String> expected72 = new LinkedHashSet<>(rome);
        expected72.addAll(listed("qemu_7.2.0-q35.x86_64.xml", "require"));
        assertThat(withPrefix(labels("qemu_7.2.0-q35.x86_64.xml", DEFAULT_OBSOLETE), KubevirtNodeLabels.CPU_FEATURE))
                .isEqualTo(expected72)
                .contains("x2apic", "invtsc", "sha-ni", "xsaves")
                .doesNotContain("monitor", "ds");

        Set<String> expected82 = new LinkedHashSet<>(rome);
        expected82.addAll(listed("qemu_8.2.0-q35.x86_64.xml", "require"));
        expected82.removeAll(listed("qemu_8.2.0-q35.x86_64.xml", "disable"));
        assertThat(withPrefix(labels("qemu_8.2.0-q35.x86_64.xml", DEFAULT_OBSOLETE), KubevirtNodeLabels.CPU_FEATURE))
                .isEqualTo(expected82)
                .doesNotContain("xsaves")
                // features libvirt 9.0's catalog does not know are labelled as QEMU's libvirt names them
                .contains("lfence-always-serializing", "null-sel-clr-base");
    }

    @Test
    void theVmSelectsOnlyLabelsEveryNodeHasAndSaysWhatItLeftOut() {
        List<KubevirtNodeLabels.Node> nodes =
                List.of(node("qemu_7.2.0-q35.x86_64.xml"), node("qemu_8.2.0-q35.x86_64.xml"));
        GuestCpu cpu = GuestCpu.custom(
                "EPYC",
                "AMD",
                false,
                List.of(require("x2apic"), require("xsaves"), require("ds"), require("monitor"), disable("svm")));
        String yaml = RENDERER.kubevirtYaml(cpu, KubevirtNodeLabels.OnEveryNode.of(nodes, DEFAULT_OBSOLETE));

        Map<String, Object> spec = spec(yaml);
        Map<String, Object> cpuNode = map(map(spec.get("domain")).get("cpu"));
        assertThat(cpuNode.get("model")).isEqualTo("EPYC");
        assertThat(cpuNode.get("features"))
                .isEqualTo(List.of(
                        Map.of("name", "x2apic", "policy", "require"), Map.of("name", "svm", "policy", "disable")));
        // every key is a label the node-labeller writes on both nodes
        assertThat(map(spec.get("nodeSelector")))
                .isEqualTo(Map.of(
                        "cpu-model.node.kubevirt.io/EPYC", "true",
                        "cpu-feature.node.kubevirt.io/x2apic", "true"));
        for (KubevirtNodeLabels.Node node : nodes) {
            assertThat(KubevirtNodeLabels.labels(node, DEFAULT_OBSOLETE))
                    .containsAllEntriesOf(map(spec.get("nodeSelector")).entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> (String) e.getValue())));
        }
        // xsaves: the 8.2 node's hypervisor disables it; ds and monitor: no node's hypervisor view lists them (KVM
        // never gives them); EPYC has none of them. The nodes' views decide what they are labelled with.
        assertThat(comments(yaml)).hasSize(3).allMatch(c -> c.contains("the guest does not get it"));
        assertThat(comments(yaml).get(0)).contains("require xsaves").contains("hypervisor view");
        assertThat(comments(yaml).get(1)).contains("require ds").contains("hypervisor view");
        assertThat(comments(yaml).get(2)).contains("require monitor");
    }

    @Test
    void aFeatureLeftOutThatTheModelHasStillReachesTheGuest() {
        // EPYC-Milan has xsaves (libvirt's cpu_map); the 8.2 node's hypervisor disables it, and neither node reports
        // EPYC-Milan usable.
        assertThat(cpuMapFeatures("EPYC-Milan")).contains("xsaves");
        List<KubevirtNodeLabels.Node> nodes =
                List.of(node("qemu_7.2.0-q35.x86_64.xml"), node("qemu_8.2.0-q35.x86_64.xml"));
        String yaml = RENDERER.kubevirtYaml(
                GuestCpu.custom("EPYC-Milan", null, false, List.of(require("xsaves"))),
                KubevirtNodeLabels.OnEveryNode.of(nodes, DEFAULT_OBSOLETE));
        assertThat(map(spec(yaml).get("nodeSelector")))
                .isEqualTo(Map.of("cpu-model.node.kubevirt.io/EPYC-Milan", "true"));
        assertThat(map(map(spec(yaml).get("domain")).get("cpu"))).doesNotContainKey("features");
        assertThat(comments(yaml))
                .singleElement()
                .asString()
                .contains("require xsaves")
                .contains("the guest still gets it, EPYC-Milan has it");
        assertThat(yaml).contains("# not every node reports EPYC-Milan usable");
    }

    @Test
    void aHostModelGuestGetsALeftOutFeatureWhereTheHostHasIt() {
        List<KubevirtNodeLabels.Node> nodes =
                List.of(node("qemu_7.2.0-q35.x86_64.xml"), node("qemu_8.2.0-q35.x86_64.xml"));
        String yaml = RENDERER.kubevirtYaml(
                GuestCpu.hostModel(List.of(require("xsaves"), require("ds"))),
                KubevirtNodeLabels.OnEveryNode.of(nodes, DEFAULT_OBSOLETE));
        assertThat(spec(yaml)).doesNotContainKey("nodeSelector");
        assertThat(comments(yaml))
                .containsExactly(
                        "# left out: require xsaves: the hypervisor view of some nodes' CPU lacks it, so not every node has the "
                                + "label cpu-feature.node.kubevirt.io/xsaves; the guest gets it only on nodes whose host-model "
                                + "CPU has it",
                        "# left out: require ds: the hypervisor view of some nodes' CPU lacks it, so not every node has the "
                                + "label cpu-feature.node.kubevirt.io/ds; the guest does not get it");
    }

    @Test
    void aModelKubevirtCallsObsoleteIsSaidSoAndTheClusterSnippetUnobsoletesIt() {
        GuestCpu kvm64 = GuestCpu.custom("kvm64", null, false, List.of(require("vmx")));
        String vm = RENDERER.kubevirtYaml(kvm64);
        assertThat(map(spec(vm).get("nodeSelector")))
                .containsOnlyKeys("cpu-model.node.kubevirt.io/kvm64", "cpu-feature.node.kubevirt.io/vmx");
        assertThat(String.join("\n", comments(vm))).contains("kvm64 is in KubeVirt's default obsoleteCPUModels");

        Map<String, Object> configuration =
                map(map(load(KubevirtNodeLabels.clusterYaml(kvm64)).get("spec")).get("configuration"));
        assertThat(configuration.get("cpuModel")).isEqualTo("kvm64");
        Map<String, Object> obsolete = map(configuration.get("obsoleteCPUModels"));
        assertThat(obsolete.keySet()).hasSize(33).doesNotContain("kvm64").contains("kvm64-v1", "486", "qemu64");
        assertThat(obsolete.values()).containsOnly(Boolean.TRUE);

        Map<String, Object> forEpyc =
                map(map(load(KubevirtNodeLabels.clusterYaml(GuestCpu.custom("EPYC", null, false, List.of())))
                                .get("spec"))
                        .get("configuration"));
        assertThat(forEpyc.get("cpuModel")).isEqualTo("EPYC");
        assertThat(map(forEpyc.get("obsoleteCPUModels")).keySet())
                .containsExactlyInAnyOrderElementsOf(DEFAULT_OBSOLETE);
        assertThat(map(map(load(KubevirtNodeLabels.clusterYaml(GuestCpu.hostModel(List.of())))
                                        .get("spec"))
                                .get("configuration"))
                        .get("cpuModel"))
                .isEqualTo("host-model");
    }

    // ---- fixtures and the node-labeller's reading of them -------------------------------------------------------

    private static KubevirtNodeLabels.Node node(String domcaps) {
        return node(DomainCapabilities.parse(fixture("cpudata/domcaps/" + domcaps)));
    }

    private static KubevirtNodeLabels.Node node(DomainCapabilities caps) {
        CpuDefinition hostModel = caps.hostModel();
        CpuDescription view = new CpuDescription(
                caps.arch(),
                hostModel.vendor(),
                hostModel.model(),
                hostModel.requiredFeatureNames(),
                hostModel.disabledFeatureNames());
        return new KubevirtNodeLabels.Node(
                hostModel.model(),
                hostModel.vendor(),
                caps.usableModelNames(),
                KubevirtNodeLabels.labelledFeatures(CATALOG, view),
                caps.modelNames(io.fleetcpu.libvirtxml.ModelUsability.UNKNOWN),
                caps.modelNames(io.fleetcpu.libvirtxml.ModelUsability.NO));
    }

    private static SortedMap<String, String> labels(String domcaps, Set<String> obsolete) {
        return KubevirtNodeLabels.labels(node(domcaps), obsolete);
    }

    private static Set<String> withPrefix(Map<String, String> labels, String prefix) {
        return labels.keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length()))
                .collect(Collectors.toSet());
    }

    /** The features libvirt's cpu_map file gives a model (read from the file, not through the catalog). */
    private static Set<String> cpuMapFeatures(String model) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m =
                Pattern.compile("<feature name='([^']+)'/>").matcher(fixture("catalog/cpu_map/x86_" + model + ".xml"));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The features the host-model mode of a domcaps file lists with this policy. */
    private static Set<String> listed(String domcaps, String policy) {
        String xml = fixture("cpudata/domcaps/" + domcaps);
        String hostModel = xml.substring(xml.indexOf("<mode name='host-model'"), xml.indexOf("<mode name='custom'"));
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("<feature policy='" + policy + "' name='([^']+)'/>")
                .matcher(hostModel);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String fixture(String path) {
        try (InputStream in = KubevirtNodeLabelsTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> comments(String yaml) {
        List<String> comments = new ArrayList<>();
        yaml.lines()
                .filter(l -> l.startsWith("# left out") || l.startsWith("# kvm64"))
                .forEach(comments::add);
        return comments;
    }

    private static Map<String, Object> spec(String yaml) {
        Map<String, Object> root = load(yaml);
        assertThat(root).as(yaml).containsOnlyKeys("spec");
        return map(root.get("spec"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static Map<String, Object> load(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }
}
