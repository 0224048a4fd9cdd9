package io.fleetcpu.aggregates;

import io.fleetcpu.catalog.CatalogInfo;
import io.fleetcpu.policy.baseline.Baseline;
import io.fleetcpu.policy.baseline.LibvirtDriver;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** libvirt's own baseline of an aggregate's hosts, with no policy applied. */
@Schema(description = "Exactly what libvirt's virConnectBaselineCPU answers for the aggregate's hosts")
public record BaselineView(
        @Schema(example = "haswell-east") String aggregate,
        @Schema(example = "Haswell-noTSX") String model,
        @Schema(example = "Intel") @Nullable String vendor,

        @Schema(description = "forbid or allow", example = "allow")
        String fallback,

        @Schema(description = "as libvirt lists them: the short form, or every feature with expand=true")
        List<RecommendedCpuView.Feature> features,

        @Schema(description = "the <cpu> element as libvirt returns it")
        String libvirtXml,

        @Schema(description = "whether this is the EXPAND_FEATURES form")
        boolean expanded,

        @Schema(description = "whether this is the MIGRATABLE form")
        boolean migratable,

        @Schema(
                description = "whose virConnectBaselineCPU this is: qemu, libvirtd's QEMU driver (qemu:///system, what "
                        + "virsh cpu-baseline says there), which leaves out cmt, mbm_total, mbm_local, osxsave and ospke; or "
                        + "test, libvirt's CPU code alone (test:///default)",
                allowableValues = {"qemu", "test"},
                example = "qemu")
        String driver,

        @Schema(description = "how many hosts the baseline covers")
        int hostCount,

        @Schema(description = "the aggregate's hosts by kind of CPU, each with the view of its CPU it contributed")
        List<KindView> kinds,

        CatalogInfo catalog) {

    static BaselineView of(
            String aggregate,
            Baseline baseline,
            boolean expanded,
            boolean migratable,
            LibvirtDriver driver,
            int hostCount,
            List<KindView> kinds) {
        return new BaselineView(
                aggregate,
                baseline.model(),
                baseline.vendor(),
                baseline.fallbackForbid() ? "forbid" : "allow",
                baseline.features().stream().map(RecommendedCpuView.Feature::of).toList(),
                baseline.toLibvirtXml(),
                expanded,
                migratable,
                driver.uriScheme(),
                hostCount,
                kinds,
                baseline.catalog());
    }
}
