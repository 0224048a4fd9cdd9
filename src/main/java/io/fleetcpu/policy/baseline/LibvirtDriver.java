package io.fleetcpu.policy.baseline;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which libvirt driver's {@code virConnectBaselineCPU} a baseline answers as. Both run libvirt's CPU code on the
 * cpu_map (virCPUBaseline, then virCPUExpandFeatures for the EXPAND_FEATURES form); libvirt 9.0's QEMU driver
 * (qemuConnectBaselineCPU) copies the baseline through virQEMUCapsCPUFilterFeatures in between, dropping the
 * features it never passes to QEMU whatever their policy. The model, vendor and the other features stay as the
 * CPU code chose them.
 */
public enum LibvirtDriver {

    /**
     * libvirtd's QEMU driver ({@code qemu:///system}): what an operator's {@code virsh cpu-baseline} says. Drops the
     * bits the guest kernel sets itself (osxsave, ospke) and Intel RDT monitoring (cmt, mbm_total, mbm_local), which
     * QEMU does not virtualise.
     */
    QEMU(Set.of("cmt", "mbm_total", "mbm_local", "osxsave", "ospke")),

    /**
     * libvirt's in-process test driver ({@code test:///default}): the CPU code alone, dropping nothing. libvirt's own
     * test driver refuses the MIGRATABLE form; here it is the CPU code's answer to it.
     */
    TEST(Set.of());

    private final Set<String> droppedFeatures;

    LibvirtDriver(Set<String> droppedFeatures) {
        this.droppedFeatures = droppedFeatures;
    }

    /** The features this driver leaves out of every baseline it answers. */
    public Set<String> droppedFeatures() {
        return droppedFeatures;
    }

    /** The scheme of the driver's connection URI: {@code qemu}, {@code test}. */
    public String uriScheme() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LibvirtDriver> ofUriScheme(String scheme) {
        return Arrays.stream(values()).filter(d -> d.uriScheme().equals(scheme)).findFirst();
    }
}
