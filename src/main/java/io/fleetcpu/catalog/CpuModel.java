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
 * @param removedOrder the names of {@code removedFeatures} in the order the model's file lists them, the order in
 *                    which libvirt appends them, disabled, to a CPU it describes with the model
 *                    ({@code virCPUx86DisableRemovedFeatures} walks {@code model->removedFeatures}, filled by
 *                    {@code x86ModelParseFeatures} in file order; Icelake-Server of libvirt 11.3 and later lists
 *                    {@code intel-pt} before {@code mpx}, the reverse of x86_features.xml)
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
        FeatureSet removedFeatures,
        List<String> removedOrder) {

    public CpuModel {
        signatures = List.copyOf(signatures);
        removedOrder = List.copyOf(removedOrder);
    }
}
