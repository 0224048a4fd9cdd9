package io.fleetcpu.policy.render;

import static io.fleetcpu.policy.render.RenderExamples.ALL;
import static io.fleetcpu.policy.render.RenderExamples.RENDERER;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.guest.GuestCpu;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** KubeVirt's VMI {@code spec}: {@code domain.cpu} and its {@code nodeSelector}, read back with snakeyaml. */
class KubevirtYamlRenderingTest {

    @Test
    void everyExampleReadsBackAsTheSameCpu() {
        for (GuestCpu cpu : ALL) {
            String yaml = RENDERER.kubevirtYaml(cpu);
            Map<String, Object> cpuNode = cpu(yaml);
            assertThat(cpuNode.get("model"))
                    .as(yaml)
                    .isEqualTo(
                            cpu.mode() == GuestCpu.Mode.CUSTOM
                                    ? cpu.model()
                                    : cpu.mode().libvirtName());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> features =
                    (List<Map<String, Object>>) cpuNode.getOrDefault("features", List.of());
            List<CpuFeature> read = features.stream()
                    .map(f -> {
                        assertThat(f).containsOnlyKeys("name", "policy");
                        return new CpuFeature(
                                (String) f.get("name"),
                                FeaturePolicy.valueOf(((String) f.get("policy")).toUpperCase(java.util.Locale.ROOT)));
                    })
                    .toList();
            assertThat(read).as(yaml).isEqualTo(cpu.features());
            // KubeVirt's own selectors (nodeselectorrenderer.go): the model's label and each required feature's
            List<String> selector = new java.util.ArrayList<>();
            if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
                selector.add("cpu-model.node.kubevirt.io/" + cpu.model());
            }
            cpu.featureNames(FeaturePolicy.REQUIRE).forEach(f -> selector.add("cpu-feature.node.kubevirt.io/" + f));
            @SuppressWarnings("unchecked")
            Map<String, Object> nodeSelector = (Map<String, Object>) spec(yaml).getOrDefault("nodeSelector", Map.of());
            assertThat(nodeSelector.keySet()).as(yaml).containsExactlyElementsOf(selector);
            assertThat(nodeSelector.values()).as(yaml).allMatch("true"::equals);
        }
    }

    @Test
    void aNumericModelNameStaysAString() {
        GuestCpu i486 = GuestCpu.custom("486", null, false, List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> cpu = cpu(RENDERER.kubevirtYaml(i486));
        assertThat(cpu.get("model")).isEqualTo("486");
    }

    @Test
    void theMachineTypeEveryNodeOffersIsTheDomainsMachineType() {
        String yaml = RENDERER.kubevirtYaml(
                RenderExamples.PASSTHROUGH_PLAIN, KubevirtNodeLabels.OnEveryNode.UNKNOWN, "pc-q35-7.2");

        assertThat(yaml)
                .isEqualTo("spec:\n  domain:\n    machine:\n      type: \"pc-q35-7.2\"\n    cpu:\n      model: "
                        + "\"host-passthrough\"\n");
    }

    @Test
    void hostPassthroughIsAModelValue() {
        assertThat(RENDERER.kubevirtYaml(RenderExamples.PASSTHROUGH_PLAIN))
                .isEqualTo("spec:\n  domain:\n    cpu:\n      model: \"host-passthrough\"\n");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(String yaml) {
        Map<String, Object> root = load(yaml);
        assertThat(root).as(yaml).containsOnlyKeys("spec");
        return (Map<String, Object>) root.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cpu(String yaml) {
        return (Map<String, Object>) ((Map<String, Object>) spec(yaml).get("domain")).get("cpu");
    }

    private static Map<String, Object> load(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }
}
