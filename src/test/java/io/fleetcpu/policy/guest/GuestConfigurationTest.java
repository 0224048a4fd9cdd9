package io.fleetcpu.policy.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A guest's configuration as reported: the recommendation it runs or not, and the {@code <cpu>} it is checked as. */
class GuestConfigurationTest {

    private static final GuestCpu RECOMMENDED = GuestCpu.custom(
            "EPYC-Rome",
            "AMD",
            true,
            List.of(new CpuFeature("x2apic", FeaturePolicy.REQUIRE), new CpuFeature("svm", FeaturePolicy.DISABLE)));

    @Test
    void aGuestRunsTheRecommendationWithTheSameModelAndFeaturesInAnyOrderWhateverMatchVendorAndFallback() {
        assertThat(custom("EPYC-Rome", Map.of("svm", FeaturePolicy.DISABLE, "x2apic", FeaturePolicy.REQUIRE))
                        .runs(RECOMMENDED))
                .isTrue();
        assertThat(custom("EPYC", Map.of("svm", FeaturePolicy.DISABLE, "x2apic", FeaturePolicy.REQUIRE))
                        .runs(RECOMMENDED))
                .as("another model")
                .isFalse();
        assertThat(custom("EPYC-Rome", Map.of("x2apic", FeaturePolicy.REQUIRE)).runs(RECOMMENDED))
                .as("a feature fewer")
                .isFalse();
        assertThat(custom("EPYC-Rome", Map.of("svm", FeaturePolicy.REQUIRE, "x2apic", FeaturePolicy.REQUIRE))
                        .runs(RECOMMENDED))
                .as("a feature with another policy")
                .isFalse();
    }

    @Test
    void theHostModesRunARecommendationOfTheirModeWithTheSameFeatures() {
        GuestCpu hostModel = GuestCpu.hostModel(List.of(new CpuFeature("svm", FeaturePolicy.DISABLE)));
        GuestConfiguration configured =
                new GuestConfiguration("host-model", null, null, features(Map.of("svm", FeaturePolicy.DISABLE)), null);

        assertThat(configured.runs(hostModel)).isTrue();
        assertThat(configured.runs(RECOMMENDED)).isFalse();
        assertThat(new GuestConfiguration("host-passthrough", null, null, new TreeMap<>(), null).runs(hostModel))
                .isFalse();
        assertThat(new GuestConfiguration(null, null, null, new TreeMap<>(), "pc-q35-7.2").runs(hostModel))
                .as("a domain without <cpu>")
                .isFalse();
    }

    @Test
    void theCpuIsCheckedAsTheCpuElementItCameFrom() {
        GuestConfiguration configured = new GuestConfiguration(
                "custom",
                "exact",
                "EPYC",
                features(Map.of("x2apic", FeaturePolicy.DISABLE, "sse4a", FeaturePolicy.REQUIRE)),
                "pc-q35-7.2");

        CpuDefinition read = CpuDefinition.parse(configured.cpuXml());

        assertThat(read.mode()).isEqualTo("custom");
        assertThat(read.match()).isEqualTo("exact");
        assertThat(read.model()).isEqualTo("EPYC");
        assertThat(read.features())
                .containsExactly(
                        new CpuFeature("sse4a", FeaturePolicy.REQUIRE),
                        new CpuFeature("x2apic", FeaturePolicy.DISABLE));
        assertThat(configured.describeCpu()).isEqualTo("custom EPYC +sse4a -x2apic");
        assertThat(GuestConfiguration.featuresOf(configured.featuresText())).isEqualTo(configured.features());
    }

    @Test
    void aDomainWithoutCpuHasNoCpuToCheck() {
        GuestConfiguration none = new GuestConfiguration(null, null, null, new TreeMap<>(), null);

        assertThat(none.hasCpu()).isFalse();
        assertThat(none.describeCpu()).isEqualTo("no <cpu> (QEMU's default model)");
        assertThatThrownBy(none::cpuXml).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new GuestConfiguration(null, null, "EPYC", new TreeMap<>(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static GuestConfiguration custom(String model, Map<String, FeaturePolicy> features) {
        return new GuestConfiguration("custom", "exact", model, features(features), null);
    }

    private static TreeMap<String, FeaturePolicy> features(Map<String, FeaturePolicy> features) {
        return new TreeMap<>(features);
    }
}
