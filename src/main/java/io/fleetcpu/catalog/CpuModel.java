package io.fleetcpu.catalog;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A named CPU model of the catalog with its features fully expanded (an included parent model's features,
 * vendor and signatures are part of it, as libvirt reads them).
 *
 * @param vendor      null for generic models (qemu64, kvm64, 486...) that any vendor's CPU can run
 * @param decodeHost  libvirt may use this model to describe a host CPU
 * @param decodeGuest libvirt may use this model to describe a guest CPU, hence as a baseline
 * @param includes    the model this one is built on ({@code <model name=…/>} inside it), or null
 * @param position    position in map order (index.xml include order)
 * @param removedFeatures features cpu_map lists with {@code removed='yes'}: dropped from the model later on
 *                    (e.g. {@code monitor} of EPYC); libvirt does not count them as part of the model
 */
public record CpuModel(
        String name,
        @Nullable String vendor,
        @Nullable String includes,
        FeatureSet features,
        boolean decodeHost,
        boolean decodeGuest,
        List<SignatureRange> signatures,
        int position,
        FeatureSet removedFeatures) {

    public CpuModel {
        signatures = List.copyOf(signatures);
    }
}
