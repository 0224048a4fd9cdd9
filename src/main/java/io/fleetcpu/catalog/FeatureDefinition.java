package io.fleetcpu.catalog;

import java.util.List;

/**
 * The definition of one CPU feature in libvirt's cpu_map: its place in the catalog, its CPUID/MSR bits, its other
 * names. What a CPU has, or a guest is given or denied, is a {@link io.fleetcpu.libvirtxml.CpuFeature} (a name and
 * a policy); this is what such a name means.
 *
 * @param index      position in the catalog's feature order; the bit used in {@link FeatureSet}
 * @param name       libvirt's name ({@code pclmuldq}, {@code sse4.1}, {@code spec-ctrl})
 * @param migratable false for features cpu_map marks {@code migratable='no'} (invtsc, xsaves): a guest using them
 *                   cannot be live-migrated, so migratable baselines drop them
 * @param bits       the CPUID or MSR bits the feature stands for, e.g. {@code cpuid 0x00000007.0x00000000 ebx bit 5}
 * @param aliases    other names QEMU or Linux use; libvirt 9.0 does not accept them in CPU definitions
 */
public record FeatureDefinition(int index, String name, boolean migratable, List<String> bits, List<String> aliases) {

    public FeatureDefinition {
        bits = List.copyOf(bits);
        aliases = List.copyOf(aliases);
    }
}
