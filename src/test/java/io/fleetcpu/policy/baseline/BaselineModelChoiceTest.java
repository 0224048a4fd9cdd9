package io.fleetcpu.policy.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which model the baseline names when the hosts name different models, worked out by hand from libvirt 9.0's
 * src/cpu/cpu_x86.c (x86Baseline, x86Decode, x86DecodeUseCandidate, virCPUx86CompareCandidateFeatureList) and
 * checked against libvirt itself by GeneratedBaselineDifferentialTest. These hold without libvirt installed.
 */
class BaselineModelChoiceTest {

    private final BaselineCalculator calculator = new BaselineCalculator(CpuCatalog.bundled());

    private static NamedCpu host(String name, String model, String... features) {
        return new NamedCpu(name, CpuDescription.host("x86_64", "Intel", model, List.of(features)));
    }

    private String shortForm(NamedCpu... hosts) {
        return calculator.baseline(List.of(hosts), false, false).toLibvirtXml();
    }

    /**
     * The common features are n270's minus vme and monitor. kvm32 (visited first, newest first) lists ssse3 and nx
     * and disables pse36: 2 + 2 = 4. n270 disables two features, but the penalty loop stops at the first (its
     * bound, the enabled count, drops to 1 at index 0), so it scores 1 + 2 = 3 and wins.
     */
    @Test
    void anOlderModelWithTwoFeaturesDisabledIsChargedForOne() {
        assertEquals("""
                <cpu mode='custom' match='exact'>
                  <model fallback='allow'>n270</model>
                  <vendor>Intel</vendor>
                  <feature policy='disable' name='vme'/>
                  <feature policy='disable' name='monitor'/>
                </cpu>
                """, shortForm(host("a", "n270"), host("b", "Haswell-noTSX-IBRS")));
    }

    /**
     * Conroe (lahf_lm disabled: 0 + 2 = 2) leads until kvm32, which one host names: with two names, a named model
     * with a lower disabled penalty (0 < 2) takes over at a higher score (4 extra features). core2duo then beats
     * kvm32 with 3 (vme and monitor disabled, one charged) and nothing older beats it.
     */
    @Test
    void aModelOneHostNamesTakesOverWithFewerDisabledFeatures() {
        assertEquals("""
                <cpu mode='custom' match='exact'>
                  <model fallback='allow'>core2duo</model>
                  <vendor>Intel</vendor>
                  <feature policy='disable' name='vme'/>
                  <feature policy='disable' name='monitor'/>
                </cpu>
                """, shortForm(host("a", "kvm32", "ssse3", "syscall", "nx", "lm"), host("b", "Haswell-IBRS")));
    }

    /**
     * Features the map marks removed from the model come last, disabled, in the order the model's file lists them:
     * libvirt's virCPUx86DisableRemovedFeatures walks the model's removedFeatures, which x86ModelParseFeatures fills
     * in file order. libvirt 12.8's Icelake-Server lists intel-pt (line 42) before mpx (line 51), the reverse of
     * x86_features.xml; libvirt 12.8's own virsh gives intel-pt, then mpx, for the Ice Lake Server of
     * cpudata/libvirt-5.6.0 (Libvirt128BaselineDifferentialTest). No model of libvirt 9.0's map removes more than one
     * feature, so its answers do not change.
     */
    @Test
    void removedFeaturesComeInTheModelFilesOrder() {
        BaselineCalculator libvirt128 = new BaselineCalculator(CpuCatalog.bundled(BundledMap.LIBVIRT_12_8));
        String xml = libvirt128
                .baseline(List.of(host("a", "Icelake-Server")), false, false)
                .toLibvirtXml();
        assertEquals("""
                <cpu mode='custom' match='exact'>
                  <model fallback='forbid'>Icelake-Server</model>
                  <vendor>Intel</vendor>
                  <feature policy='disable' name='intel-pt'/>
                  <feature policy='disable' name='mpx'/>
                </cpu>
                """, xml);
    }
}
