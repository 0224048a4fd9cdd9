package io.fleetcpu.policy.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which features each libvirt release's QEMU driver drops (virQEMUCapsCPUFilterFeatures), as established with that
 * release's own QEMU driver (Libvirt128QemuDriverDifferentialTest for 12.8; by hand for 11.3, docs/catalogs.md), and
 * that the engine follows the release of the map it reads with. These hold without libvirt installed.
 */
class LibvirtDriverTest {

    private static final List<String> NINE = List.of("cmt", "mbm_total", "mbm_local", "osxsave", "ospke");
    private static final List<String> VMX = List.of("vmx-ept-uc", "vmx-ept-wb", "vmx-invvpid-single-context");

    @Test
    void eachReleaseDropsWhatItsQemuDriverDrops() {
        assertThat(LibvirtDriver.QEMU.droppedFeatures("9.0.0")).containsExactlyInAnyOrderElementsOf(NINE);
        assertThat(LibvirtDriver.QEMU.droppedFeatures(null)).containsExactlyInAnyOrderElementsOf(NINE);
        assertThat(LibvirtDriver.QEMU.droppedFeatures()).containsExactlyInAnyOrderElementsOf(NINE);
        assertThat(LibvirtDriver.QEMU.droppedFeatures("11.3.0")).containsExactlyInAnyOrderElementsOf(concat(NINE, VMX));
        assertThat(LibvirtDriver.QEMU.droppedFeatures("12.8.0"))
                .containsExactlyInAnyOrderElementsOf(concat(concat(NINE, VMX), List.of("ht", "cmp_legacy")));
        // the common part of two maps: what either release drops
        assertThat(LibvirtDriver.QEMU.droppedFeatures("11.3.0 and 12.8.0"))
                .isEqualTo(LibvirtDriver.QEMU.droppedFeatures("12.8.0"));
        assertThat(LibvirtDriver.TEST.droppedFeatures("12.8.0")).isEmpty();
    }

    @Test
    void theQemuDriversBaselineWithLibvirt128sMapLeavesOutHtAndCmpLegacy() {
        BaselineCalculator calculator = new BaselineCalculator(CpuCatalog.bundled(BundledMap.LIBVIRT_12_8));
        NamedCpu host = new NamedCpu(
                "h", CpuDescription.host("x86_64", "Intel", "Westmere", List.of("ht", "cmp_legacy", "vmx-ept-wb")));
        assertThat(calculator
                        .baseline(List.of(host), false, false, LibvirtDriver.TEST)
                        .featureNames(io.fleetcpu.libvirtxml.FeaturePolicy.REQUIRE))
                .containsExactlyInAnyOrder("ht", "cmp_legacy", "vmx-ept-wb");
        assertThat(calculator
                        .baseline(List.of(host), false, false, LibvirtDriver.QEMU)
                        .featureNames(io.fleetcpu.libvirtxml.FeaturePolicy.REQUIRE))
                .isEmpty();
        // with libvirt 9.0's map, ht stays (9.0's QEMU driver passes it)
        BaselineCalculator nine = new BaselineCalculator(CpuCatalog.bundled());
        NamedCpu old = new NamedCpu("h", CpuDescription.host("x86_64", "Intel", "Westmere", List.of("ht")));
        assertThat(nine.baseline(List.of(old), false, false, LibvirtDriver.QEMU)
                        .featureNames(io.fleetcpu.libvirtxml.FeaturePolicy.REQUIRE))
                .containsExactly("ht");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
