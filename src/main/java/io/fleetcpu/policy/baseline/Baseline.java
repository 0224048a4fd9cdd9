package io.fleetcpu.policy.baseline;

import static io.fleetcpu.libvirtxml.XmlText.escape;

import io.fleetcpu.catalog.CatalogInfo;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A guest CPU that every host it was computed from can run, in libvirt's terms.
 *
 * @param vendor         null when some host did not name its vendor (libvirt then prints none)
 * @param fallbackForbid true when the model is the one all hosts named (libvirt prints {@code fallback='forbid'})
 * @param features       as libvirt lists them: short form (extra then missing features) or expanded form
 * @param featureSet     every feature the guest gets (model + required − disabled), whichever form
 * @param catalog        the catalog the baseline was computed with
 */
public record Baseline(
        String model,
        @Nullable String vendor,
        boolean fallbackForbid,
        List<CpuFeature> features,
        FeatureSet featureSet,
        CatalogInfo catalog) {

    public Baseline {
        features = List.copyOf(features);
    }

    public List<String> featureNames(FeaturePolicy policy) {
        return features.stream()
                .filter(f -> f.policy() == policy)
                .map(CpuFeature::name)
                .toList();
    }

    /** The {@code <cpu>} element exactly as libvirt's virConnectBaselineCPU returns it. */
    public String toLibvirtXml() {
        StringBuilder xml = new StringBuilder("<cpu mode='custom' match='exact'>\n");
        xml.append("  <model fallback='")
                .append(fallbackForbid ? "forbid" : "allow")
                .append("'>")
                .append(escape(model))
                .append("</model>\n");
        if (vendor != null) {
            xml.append("  <vendor>").append(escape(vendor)).append("</vendor>\n");
        }
        for (CpuFeature f : features) {
            // a baseline's features all carry a policy
            xml.append("  <feature policy='")
                    .append(Objects.requireNonNull(f.policy()).libvirtName())
                    .append("' name='")
                    .append(escape(f.name()))
                    .append("'/>\n");
        }
        return xml.append("</cpu>\n").toString();
    }
}
