package io.fleetcpu.aggregates;

import java.util.List;

import io.fleetcpu.catalog.CatalogInfo;
import io.fleetcpu.policy.RecommendedCpu;

/** The recommendation as the API answers it: what to paste, in each consumer's form, and why. */
public record RecommendedCpuView(
        String aggregate,
        String mode,
        String model,
        String vendor,
        String fallback,
        List<Feature> features,
        String libvirtXml,
        NovaConf novaConf,
        RecommendedCpu.Reasons reasons,
        CatalogInfo catalog) {

    /** A feature on top of (require) or taken from (disable) the named model. */
    public record Feature(String name, String policy) {
    }

    /** The {@code [libvirt]} section of {@code nova.conf}, as settings and as text. */
    public record NovaConf(String cpuMode, String cpuModels, String cpuModelExtraFlags, String text) {
    }

    static RecommendedCpuView of(String aggregate, RecommendedCpu cpu) {
        RecommendedCpu.NovaConf nova = cpu.novaConf();
        return new RecommendedCpuView(aggregate, cpu.mode(), cpu.baseline().model(), cpu.baseline().vendor(),
                cpu.baseline().fallbackForbid() ? "forbid" : "allow",
                cpu.baseline().features().stream().map(f -> new Feature(f.name(), f.policy().libvirtName())).toList(),
                cpu.libvirtXml(),
                new NovaConf(nova.cpuMode(), nova.cpuModels(), nova.cpuModelExtraFlags(), nova.toIni()),
                cpu.reasons(), cpu.catalog());
    }
}
