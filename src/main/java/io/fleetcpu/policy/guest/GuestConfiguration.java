package io.fleetcpu.policy.guest;

import static io.fleetcpu.libvirtxml.XmlText.escape;

import io.fleetcpu.libvirtxml.FeaturePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How a guest is configured to run, as its domain definition says ({@code virsh dumpxml --inactive}): its
 * {@code <cpu>} (mode, match, model, the policy of each listed feature) and its machine type. Guests configured alike
 * are one configuration: they migrate alike and a rollout moves them together.
 *
 * @param mode        {@code custom}, {@code host-model}, {@code host-passthrough} or {@code maximum}; null when the
 *                    domain has no {@code <cpu>}: QEMU gives it its default model (qemu64 on x86-64), whose features
 *                    it drops silently where the host lacks them, and libvirt checks nothing
 * @param match       {@code <cpu match>}, or null when not written
 * @param model       {@code <model>}, or null when not written
 * @param features    feature name to policy, sorted by name
 * @param machineType {@code <os><type machine>}, or null when not written
 */
public record GuestConfiguration(
        @Nullable String mode,
        @Nullable String match,
        @Nullable String model,
        SortedMap<String, FeaturePolicy> features,
        @Nullable String machineType) {

    public GuestConfiguration {
        features = new TreeMap<>(Objects.requireNonNull(features, "features"));
        if (mode == null && (match != null || model != null || !features.isEmpty())) {
            throw new IllegalArgumentException("a guest without a <cpu> has no match, model or features");
        }
    }

    /** Whether the domain has a {@code <cpu>}: without one, nothing about its CPU can be checked. */
    public boolean hasCpu() {
        return mode != null;
    }

    /**
     * The {@code <cpu>} element as configured.
     *
     * @throws IllegalStateException for a domain without one ({@link #hasCpu()})
     */
    public String cpuXml() {
        if (mode == null) {
            throw new IllegalStateException("the domain has no <cpu>");
        }
        StringBuilder xml =
                new StringBuilder("<cpu mode='").append(escape(mode)).append('\'');
        if (match != null) {
            xml.append(" match='").append(escape(match)).append('\'');
        }
        xml.append('>');
        if (model != null) {
            xml.append("<model>").append(escape(model)).append("</model>");
        }
        features.forEach((name, policy) -> xml.append("<feature policy='")
                .append(policy.libvirtName())
                .append("' name='")
                .append(escape(name))
                .append("'/>"));
        return xml.append("</cpu>").toString();
    }

    /** The CPU in operators' words: {@code custom EPYC-Rome +x2apic -svm}, {@code host-model}, ... */
    public String describeCpu() {
        if (mode == null) {
            return "no <cpu> (QEMU's default model)";
        }
        List<String> words = new ArrayList<>();
        words.add(mode);
        if (model != null) {
            words.add(model);
        }
        if (match != null && !match.equals("exact")) {
            words.add("match=" + match);
        }
        features.forEach((name, policy) -> words.add(sign(policy) + name));
        return String.join(" ", words);
    }

    private static String sign(FeaturePolicy policy) {
        return switch (policy) {
            case REQUIRE -> "+";
            case DISABLE -> "-";
            default -> policy.libvirtName() + ":";
        };
    }

    /**
     * Whether a guest so configured runs the recommended CPU: the same mode, and for {@code custom} the same model
     * and the same required and disabled features (match, fallback and vendor aside).
     */
    public boolean runs(GuestCpu recommended) {
        if (!recommended.mode().libvirtName().equals(mode)) {
            return false;
        }
        if (recommended.mode() == GuestCpu.Mode.CUSTOM && !Objects.equals(recommended.model(), model)) {
            return false;
        }
        Map<String, FeaturePolicy> wanted = new TreeMap<>();
        recommended.features().forEach(f -> wanted.put(f.name(), f.policy()));
        return wanted.equals(features);
    }

    /** The features as stored: {@code name=policy} pairs sorted by name, comma-separated. */
    public String featuresText() {
        StringBuilder text = new StringBuilder();
        features.forEach((name, policy) -> {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(name).append('=').append(policy.libvirtName());
        });
        return text.toString();
    }

    /** The features from {@link #featuresText()}. */
    public static SortedMap<String, FeaturePolicy> featuresOf(String text) {
        SortedMap<String, FeaturePolicy> features = new TreeMap<>();
        if (text.isEmpty()) {
            return features;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            features.put(
                    pair.substring(0, eq),
                    FeaturePolicy.fromLibvirtName(pair.substring(eq + 1))
                            .orElseThrow(() -> new IllegalArgumentException("no feature policy in " + pair)));
        }
        return features;
    }
}
