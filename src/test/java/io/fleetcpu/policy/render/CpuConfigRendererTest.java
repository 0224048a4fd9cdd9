package io.fleetcpu.policy.render;

import static io.fleetcpu.policy.render.RenderExamples.RENDERER;
import static io.fleetcpu.policy.render.RenderExamples.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.policy.baseline.Baseline;
import io.fleetcpu.policy.baseline.BaselineExamples;
import io.fleetcpu.policy.guest.GuestCpu;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every rendering writes for a baseline, and refuses before writing anything (moved from GuestCpuTest). */
class CpuConfigRendererTest {

    @Test
    void aBaselineRendersAsLibvirtPrintsIt() {
        Baseline baseline = BaselineExamples.twoHaswellHostsWithVmx();
        GuestCpu cpu = GuestCpu.of(baseline);
        // Same element as libvirt's baseline prints, so the renderer agrees with the engine's own XML.
        assertThat(RENDERER.libvirtXml(cpu)).isEqualTo(baseline.toLibvirtXml());
    }

    @Test
    void addressBitsGoWhereLibvirtAndQemuTakeThem() {
        GuestCpu haswell = RenderExamples.HASWELL_VMX_NO_SPEC_CTRL;
        String xml = RENDERER.libvirtXml(haswell, 46);
        assertThat(xml)
                .contains("</vendor>\n  <maxphysaddr mode='emulate' bits='46'/>\n  <feature ")
                .isEqualTo(RENDERER.libvirtXml(haswell)
                        .replace("</vendor>\n", "</vendor>\n  <maxphysaddr mode='emulate' bits='46'/>\n"));
        assertThat(CpuDefinition.parse(xml).features())
                .as("the same CPU")
                .isEqualTo(CpuDefinition.parse(RENDERER.libvirtXml(haswell)).features());
        assertThat(RENDERER.libvirtXml(RenderExamples.HOST_MODEL_PLAIN, 39))
                .isEqualTo(
                        "<cpu mode='host-model' check='partial'>\n  <maxphysaddr mode='emulate' bits='39'/>\n</cpu>\n");
        // host-passthrough keeps the host's own bits: it moves only between hosts of one CPU
        assertThat(RENDERER.libvirtXml(RenderExamples.PASSTHROUGH_PLAIN, 46))
                .isEqualTo(RENDERER.libvirtXml(RenderExamples.PASSTHROUGH_PLAIN));

        assertThat(RENDERER.qemuCpuArgument(haswell, 46).text())
                .isEqualTo(RENDERER.qemuCpuArgument(haswell).text() + ",phys-bits=46");
        assertThat(RENDERER.qemuCpuArgument(RenderExamples.PASSTHROUGH_PLAIN, 46)
                        .text())
                .isEqualTo("host");
    }

    @Test
    void everyRenderingRefusesWhatTheCatalogDoesNotKnow() {
        List<GuestCpu> bad = List.of(
                GuestCpu.custom("Haswell-Turbo", null, false, List.of()),
                GuestCpu.custom("Haswell", "Cyrix", false, List.of()),
                GuestCpu.custom("EPYC", "Intel", false, List.of()),
                GuestCpu.hostModel(List.of(require("sse4_1"))));
        for (GuestCpu cpu : bad) {
            assertThatThrownBy(() -> RENDERER.libvirtXml(cpu)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RENDERER.novaConf(cpu)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RENDERER.kubevirtYaml(cpu)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RENDERER.qemuCpuArgument(cpu)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RENDERER.cpuMapModel(cpu, "Mine")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> RENDERER.libvirtXml(bad.get(0)))
                .hasMessageContaining("unknown CPU model 'Haswell-Turbo'");
        assertThatThrownBy(() -> RENDERER.libvirtXml(bad.get(2))).hasMessageContaining("EPYC is a AMD model");
        assertThatThrownBy(() -> RENDERER.libvirtXml(bad.get(3))).hasMessageContaining("unknown CPU feature 'sse4_1'");
    }
}
