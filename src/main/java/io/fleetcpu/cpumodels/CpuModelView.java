package io.fleetcpu.cpumodels;

import java.util.List;

import io.fleetcpu.catalog.CatalogInfo;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;

/**
 * A named CPU model of the catalog.
 *
 * @param includes the model this one is built on in the catalog, if any
 * @param features every feature of the model, its included model's as well, in catalog order
 * @param usableForGuests whether libvirt picks this model when it names a guest CPU
 */
public record CpuModelView(
        String name,
        String vendor,
        String includes,
        List<String> features,
        List<Signature> signatures,
        boolean usableForGuests,
        CatalogInfo catalog) {

    /** A CPUID family and model the model stands for. */
    public record Signature(int family, int model, String stepping) {
    }

    static CpuModelView of(CpuModel model, CpuCatalog catalog) {
        return new CpuModelView(model.name(), model.vendor(), null, catalog.featureNames(model.features()),
                model.signatures().stream().map(s -> new Signature(s.family(), s.model(), s.stepping())).toList(),
                model.decodeGuest(), catalog.info());
    }
}
