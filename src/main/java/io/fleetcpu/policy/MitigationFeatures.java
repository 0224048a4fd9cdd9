package io.fleetcpu.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU features that guests use against speculative-execution and related attacks, with what a guest
 * is exposed to when it does not get them. Names are libvirt's.
 */
public final class MitigationFeatures {

    private static final Map<String, String> EXPOSURE = new LinkedHashMap<>();

    static {
        EXPOSURE.put("spec-ctrl", "Spectre variant 2 (branch target injection, CVE-2017-5715): guests cannot use IBRS");
        EXPOSURE.put("ibrs", "Spectre variant 2 (CVE-2017-5715) on AMD: guests cannot use IBRS");
        EXPOSURE.put(
                "ibpb",
                "Spectre variant 2 (CVE-2017-5715): guests cannot flush branch predictions between processes (IBPB)");
        EXPOSURE.put("stibp", "Spectre variant 2 across SMT siblings (CVE-2017-5715): guests cannot use STIBP");
        EXPOSURE.put(
                "amd-stibp", "Spectre variant 2 across SMT siblings (CVE-2017-5715) on AMD: guests cannot use STIBP");
        EXPOSURE.put("ssbd", "Speculative Store Bypass (Spectre variant 4, CVE-2018-3639): guests cannot use SSBD");
        EXPOSURE.put(
                "amd-ssbd",
                "Speculative Store Bypass (Spectre variant 4, CVE-2018-3639) on AMD: guests cannot use SSBD");
        EXPOSURE.put(
                "virt-ssbd",
                "Speculative Store Bypass (Spectre variant 4, CVE-2018-3639) on AMD: guests cannot use VIRT_SSBD");
        EXPOSURE.put(
                "md-clear",
                "Microarchitectural Data Sampling (MDS: CVE-2018-12126, -12127, -12130, CVE-2019-11091): "
                        + "guests cannot clear CPU buffers with VERW");
        EXPOSURE.put("tsx-ctrl", "TSX Asynchronous Abort (TAA, CVE-2019-11135): guests cannot turn TSX off");
        EXPOSURE.put(
                "arch-capabilities",
                "guests cannot read which vulnerabilities the CPU is immune to "
                        + "(IA32_ARCH_CAPABILITIES) and fall back to slower or missing mitigations");
        EXPOSURE.put(
                "rdctl-no", "guests assume the CPU is vulnerable to Meltdown (CVE-2017-5754) and mitigate needlessly");
        EXPOSURE.put(
                "ibrs-all", "guests do not know enhanced IBRS is there and use slower Spectre variant 2 mitigations");
        EXPOSURE.put("skip-l1dfl-vmentry", "nested hypervisors flush the L1 data cache needlessly (L1TF)");
        EXPOSURE.put(
                "ssb-no", "guests assume the CPU is vulnerable to Speculative Store Bypass and mitigate needlessly");
        EXPOSURE.put(
                "amd-no-ssb",
                "guests assume the CPU is vulnerable to Speculative Store Bypass and mitigate needlessly");
        EXPOSURE.put("mds-no", "guests assume the CPU is vulnerable to MDS and mitigate needlessly");
        EXPOSURE.put("taa-no", "guests assume the CPU is vulnerable to TAA and mitigate needlessly");
        EXPOSURE.put(
                "pschange-mc-no", "guests assume the CPU is affected by the iTLB multihit erratum (CVE-2018-12207)");
    }

    private MitigationFeatures() {}

    public static boolean isMitigation(String feature) {
        return EXPOSURE.containsKey(feature);
    }

    /** What a guest is exposed to without this feature; empty for features that are not mitigations. */
    public static Optional<String> exposure(String feature) {
        return Optional.ofNullable(EXPOSURE.get(feature));
    }

    public static Iterable<String> names() {
        return EXPOSURE.keySet();
    }
}
