package io.fleetcpu.policy.render;

import static io.fleetcpu.policy.render.RenderExamples.ALL;
import static io.fleetcpu.policy.render.RenderExamples.RENDERER;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.guest.GuestCpu;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code <cpu>} element, read back with fleetcpu's libvirt reader. */
class LibvirtXmlRenderingTest {

    @Test
    void everyExampleReadsBackAsTheSameCpu() {
        for (GuestCpu cpu : ALL) {
            String xml = RENDERER.libvirtXml(cpu);
            CpuDefinition read = CpuDefinition.parse(xml);
            assertThat(read.mode()).as(xml).isEqualTo(cpu.mode().libvirtName());
            assertThat(read.model()).as(xml).isEqualTo(cpu.model());
            assertThat(read.vendor()).as(xml).isEqualTo(cpu.vendor());
            if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
                assertThat(read.match()).isEqualTo("exact");
                assertThat(read.modelFallback()).isEqualTo(cpu.fallbackForbid() ? "forbid" : "allow");
            } else {
                assertThat(read.match()).isNull();
            }
            List<CpuFeature> features = read.features().stream()
                    .map(f -> new CpuFeature(
                            f.name(),
                            switch (f.policy()) {
                                case REQUIRE -> FeaturePolicy.REQUIRE;
                                case DISABLE -> FeaturePolicy.DISABLE;
                                default -> throw new AssertionError("unexpected policy " + f.policy() + " in " + xml);
                            }))
                    .toList();
            assertThat(features).as(xml).isEqualTo(cpu.features());
        }
    }

    @Test
    void customIsWrittenAsLibvirtsBaselinePrintsIt() {
        assertThat(RENDERER.libvirtXml(RenderExamples.HASWELL_VMX_NO_SPEC_CTRL)).isEqualTo("""
                <cpu mode='custom' match='exact'>
                  <model fallback='forbid'>Haswell-noTSX-IBRS</model>
                  <vendor>Intel</vendor>
                  <feature policy='require' name='vmx'/>
                  <feature policy='disable' name='spec-ctrl'/>
                </cpu>
                """);
        assertThat(RENDERER.libvirtXml(RenderExamples.KVM64_RENAMED_FEATURES)).doesNotContain("<vendor>");
    }

    @Test
    void hostModesCarryTheAttributesLibvirtStores() {
        assertThat(RENDERER.libvirtXml(RenderExamples.HOST_MODEL_PLAIN))
                .isEqualTo("<cpu mode='host-model' check='partial'/>\n");
        assertThat(RENDERER.libvirtXml(RenderExamples.PASSTHROUGH_PLAIN))
                .isEqualTo("<cpu mode='host-passthrough' check='none' migratable='on'/>\n");
        assertThat(RENDERER.libvirtXml(RenderExamples.HOST_MODEL_VMX_NO_SPEC_CTRL))
                .isEqualTo("""
                <cpu mode='host-model' check='partial'>
                  <feature policy='require' name='vmx'/>
                  <feature policy='disable' name='spec-ctrl'/>
                </cpu>
                """);
    }
}
