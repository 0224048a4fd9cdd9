package io.fleetcpu.cpumodels;

import io.fleetcpu.catalog.CatalogInfo;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A named CPU model of the catalog.
 *
 * @param includes the model this one is built on in the catalog, if any
 * @param features every feature of the model, its included model's as well, in catalog order
 * @param usableForGuests whether libvirt picks this model when it names a guest CPU
 */
@Schema(description = "A named CPU model of libvirt's cpu_map")
public record CpuModelView(
        @Schema(example = "Haswell-noTSX-IBRS") String name,
        @Schema(example = "Intel") @Nullable String vendor,

        @Schema(description = "the model this one is built on in the catalog, if any") @Nullable
        String includes,

        @Schema(description = "every feature of the model, its included model's as well, in catalog order")
        List<String> features,

        @Schema(description = "the CPUID family and model numbers the model stands for")
        List<Signature> signatures,

        @Schema(description = "whether libvirt picks this model when it names a guest CPU")
        boolean usableForGuests,

        @Schema(description = "the catalog the model is from")
        CatalogInfo catalog) {

    /** A CPUID family and model the model stands for. */
    @Schema(
            name = "CpuModelSignature",
            description = "A CPUID family, model and stepping (or stepping range) of the model")
    public record Signature(int family, int model, @Nullable String stepping) {}

    static CpuModelView of(CpuModel model, CpuCatalog catalog) {
        return new CpuModelView(
                model.name(),
                model.vendor(),
                model.includes(),
                catalog.featureNames(model.features()),
                model.signatures().stream()
                        .map(s -> new Signature(s.family(), s.model(), s.stepping()))
                        .toList(),
                model.decodeGuest(),
                catalog.info());
    }
}
