package io.fleetcpu.policy.render;

import java.util.Map;
import java.util.Optional;

/**
 * The one table of how QEMU names libvirt's x86 CPU features, checked against {@code qemu-system-x86_64 -cpu help}
 * (QEMU 7.2) by {@code QemuFeatureNamesTest} for every feature of the bundled catalog. Every feature not listed
 * here has the same name in both.
 *
 * <p>QEMU still accepts most libvirt spellings as legacy aliases, but {@code -cpu help} lists only its own names,
 * and those are what an operator finds in QEMU's documentation, so fleetcpu writes QEMU's.
 */
public final class QemuFeatureNames {

    /** libvirt name → QEMU name, where they differ (libvirt keeps the old names of its cpu_map). */
    static final Map<String, String> RENAMED = Map.of(
            "pclmuldq", "pclmulqdq",
            "ds_cpl", "ds-cpl",
            "tsc_adjust", "tsc-adjust",
            "fxsr_opt", "fxsr-opt",
            "lahf_lm", "lahf-lm",
            "cmp_legacy", "cmp-legacy",
            "nodeid_msr", "nodeid-msr",
            "perfctr_core", "perfctr-core",
            "perfctr_nb", "perfctr-nb");

    /** libvirt features QEMU has no flag for, with why. */
    static final Map<String, String> ABSENT = Map.of(
            "osxsave", "set by the guest kernel (CR4.OSXSAVE); QEMU derives it from xsave",
            "ospke", "set by the guest kernel (CR4.PKE); QEMU derives it from pku",
            "cmt", "Intel cache monitoring (RDT); QEMU does not virtualise it",
            "mbm_total", "Intel memory bandwidth monitoring (RDT); QEMU does not virtualise it",
            "mbm_local", "Intel memory bandwidth monitoring (RDT); QEMU does not virtualise it",
            "pconfig", "Intel PCONFIG (MKTME); QEMU 7.2 has no flag for it",
            "cvt16", "AMD CVT16 (never shipped); QEMU has no flag for it");

    private QemuFeatureNames() {}

    /** QEMU's name for a libvirt feature, or empty when QEMU has no such flag (see {@link #whyAbsent}). */
    public static Optional<String> qemuName(String libvirtName) {
        if (ABSENT.containsKey(libvirtName)) {
            return Optional.empty();
        }
        return Optional.of(RENAMED.getOrDefault(libvirtName, libvirtName));
    }

    /** Why QEMU has no flag for this libvirt feature, or empty when it has one. */
    public static Optional<String> whyAbsent(String libvirtName) {
        return Optional.ofNullable(ABSENT.get(libvirtName));
    }
}
