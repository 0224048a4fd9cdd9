package io.fleetcpu.policy.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.baseline.Baseline;
import io.fleetcpu.policy.baseline.BaselineExamples;
import io.fleetcpu.policy.guest.GuestCpu.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a GuestCpu accepts (what every rendering refuses is in {@code render.CpuConfigRendererTest}). */
class GuestCpuTest {

    @Test
    void modesUseLibvirtsWords() {
        assertThat(Mode.HOST_PASSTHROUGH.libvirtName()).isEqualTo("host-passthrough");
        assertThat(Mode.HOST_MODEL.libvirtName()).isEqualTo("host-model");
        assertThat(Mode.CUSTOM.libvirtName()).isEqualTo("custom");
    }

    @Test
    void customNeedsAModel() {
        assertThatThrownBy(() -> GuestCpu.custom(null, null, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("named model");
        assertThatThrownBy(() -> GuestCpu.custom(" ", null, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostModesRefuseModelVendorAndFallback() {
        assertThatThrownBy(() -> new GuestCpu(Mode.HOST_MODEL, "Haswell", null, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes its model from the host");
        assertThatThrownBy(() -> new GuestCpu(Mode.HOST_PASSTHROUGH, null, "Intel", false, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vendor");
        assertThatThrownBy(() -> new GuestCpu(Mode.HOST_PASSTHROUGH, null, null, true, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fallback");
    }

    @Test
    void aFeatureIsListedOnce() {
        assertThatThrownBy(() -> GuestCpu.hostModel(List.of(require("vmx"), disable("vmx"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'vmx' is listed more than once");
    }

    @Test
    void aRecommendationOnlyRequiresOrDisables() {
        // the five policies of libvirt share one type; nova.conf, QEMU's -cpu and KubeVirt can write only two
        for (FeaturePolicy policy : List.of(FeaturePolicy.FORCE, FeaturePolicy.OPTIONAL, FeaturePolicy.FORBID)) {
            assertThatThrownBy(() -> GuestCpu.hostModel(List.of(new CpuFeature("vmx", policy))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("requires or disables each feature; got " + policy.libvirtName() + " vmx");
        }
        assertThatThrownBy(() -> GuestCpu.hostModel(List.of(CpuFeature.present("vmx"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a name and a policy");
    }

    @Test
    void featuresAreCopied() {
        var list = new java.util.ArrayList<>(List.of(require("vmx")));
        GuestCpu cpu = GuestCpu.hostModel(list);
        list.add(require("svm"));
        assertThat(cpu.features()).hasSize(1);
    }

    @Test
    void aBaselineBecomesACustomGuestCpu() {
        Baseline baseline = BaselineExamples.twoHaswellHostsWithVmx();
        GuestCpu cpu = GuestCpu.of(baseline);
        assertThat(cpu.mode()).isEqualTo(Mode.CUSTOM);
        assertThat(cpu.model()).isEqualTo(baseline.model());
        assertThat(cpu.features()).isEqualTo(baseline.features());
    }

    private static CpuFeature require(String name) {
        return new CpuFeature(name, FeaturePolicy.REQUIRE);
    }

    private static CpuFeature disable(String name) {
        return new CpuFeature(name, FeaturePolicy.DISABLE);
    }
}
