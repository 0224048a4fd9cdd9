package io.fleetcpu.aggregates;

import java.util.List;
import java.util.UUID;

import io.fleetcpu.catalog.CatalogInfo;
import io.fleetcpu.policy.RecommendedCpu;

import io.swagger.v3.oas.annotations.media.Schema;

/** The recommendation as the API answers it: what to paste, in each consumer's form, and why. */
@Schema(description = "The guest CPU every host of an aggregate runs, in each consumer's form, and why")
public record RecommendedCpuView(
        @Schema(example = "haswell-east") String aggregate,
        @Schema(description = "libvirt's <cpu mode>", example = "custom") String mode,
        @Schema(description = "the named CPU model from the catalog", example = "Haswell-noTSX-IBRS") String model,
        @Schema(example = "Intel") String vendor,
        @Schema(description = "libvirt's <model fallback>: forbid or allow", example = "forbid") String fallback,
        @Schema(description = "features on top of or taken from the model") List<Feature> features,
        @Schema(description = "the libvirt <cpu> element, ready for a domain XML") String libvirtXml,
        NovaConf novaConf,
        @Schema(description = "why this model and these features: the hosts that limit it and what was left out")
        RecommendedCpu.Reasons reasons,
        @Schema(description = "each host of the aggregate and the view of its CPU it contributed")
        List<HostCpuView> hosts,
        @Schema(description = "the catalog the recommendation was made with") CatalogInfo catalog) {

    /** Which view of its CPU a host contributed: the hypervisor's, or the physical one. */
    @Schema(description = "A host of the aggregate and the view of its CPU the recommendation used")
    public record HostCpuView(@Schema(example = "compute-17") String host, UUID id,
            @Schema(description = "'hypervisor' (what guests can really get there) or 'host' (the physical CPU)",
                    example = "hypervisor") String cpuView) {
    }

    /** A feature on top of (require) or taken from (disable) the named model. */
    @Schema(name = "RecommendedFeature", description = "A feature on top of (require) or taken from (disable) the model")
    public record Feature(@Schema(example = "vmx") String name, @Schema(example = "require") String policy) {
    }

    /** The {@code [libvirt]} section of {@code nova.conf}, as settings and as text. */
    @Schema(description = "The [libvirt] section of nova.conf, as settings and as text")
    public record NovaConf(@Schema(example = "custom") String cpuMode, @Schema(example = "Haswell-noTSX-IBRS") String cpuModels,
            @Schema(example = "vmx, pcid, -hle") String cpuModelExtraFlags,
            @Schema(example = "[libvirt]\ncpu_mode = custom\ncpu_models = Haswell-noTSX-IBRS\ncpu_model_extra_flags = vmx, pcid, -hle\n") String text) {
    }

    static RecommendedCpuView of(String aggregate, RecommendedCpu cpu, List<HostCpuView> hosts) {
        RecommendedCpu.NovaConf nova = cpu.novaConf();
        return new RecommendedCpuView(aggregate, cpu.mode(), cpu.baseline().model(), cpu.baseline().vendor(),
                cpu.baseline().fallbackForbid() ? "forbid" : "allow",
                cpu.baseline().features().stream().map(f -> new Feature(f.name(), f.policy().libvirtName())).toList(),
                cpu.libvirtXml(),
                new NovaConf(nova.cpuMode(), nova.cpuModels(), nova.cpuModelExtraFlags(), nova.toIni()),
                cpu.reasons(), hosts, cpu.catalog());
    }
}
