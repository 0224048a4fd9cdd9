package io.fleetcpu.policy.render;

import static io.fleetcpu.policy.render.RenderExamples.ALL;
import static io.fleetcpu.policy.render.RenderExamples.RENDERER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.fleetcpu.policy.CpuFeaturePolicy;
import io.fleetcpu.policy.FeaturePolicy;
import io.fleetcpu.policy.GuestCpu;

/** KubeVirt's {@code spec.domain.cpu}, read back with snakeyaml. */
class KubevirtYamlRenderingTest {

    @Test
    void everyExampleReadsBackAsTheSameCpu() {
        for (GuestCpu cpu : ALL) {
            String yaml = RENDERER.kubevirtYaml(cpu);
            Map<String, Object> root = load(yaml);
            assertThat(root).as(yaml).containsOnlyKeys("cpu");
            @SuppressWarnings("unchecked")
            Map<String, Object> cpuNode = (Map<String, Object>) root.get("cpu");
            assertThat(cpuNode.get("model")).as(yaml)
                    .isEqualTo(cpu.mode() == GuestCpu.Mode.CUSTOM ? cpu.model() : cpu.mode().libvirtName());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> features = (List<Map<String, Object>>) cpuNode.getOrDefault("features", List.of());
            List<CpuFeaturePolicy> read = features.stream().map(f -> {
                assertThat(f).containsOnlyKeys("name", "policy");
                return new CpuFeaturePolicy((String) f.get("name"),
                        FeaturePolicy.valueOf(((String) f.get("policy")).toUpperCase(java.util.Locale.ROOT)));
            }).toList();
            assertThat(read).as(yaml).isEqualTo(cpu.features());
        }
    }

    @Test
    void aNumericModelNameStaysAString() {
        GuestCpu i486 = GuestCpu.custom("486", null, false, List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> cpu = (Map<String, Object>) load(RENDERER.kubevirtYaml(i486)).get("cpu");
        assertThat(cpu.get("model")).isEqualTo("486");
    }

    @Test
    void hostPassthroughIsAModelValue() {
        assertThat(RENDERER.kubevirtYaml(RenderExamples.PASSTHROUGH_PLAIN)).isEqualTo("cpu:\n  model: \"host-passthrough\"\n");
    }

    private static Map<String, Object> load(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }
}
