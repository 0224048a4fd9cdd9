package io.fleetcpu.policy.guest;

import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.baseline.Baseline;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One guest CPU recommendation, whatever computed it (the recommender in {@code policy}, a migration domain's
 * baseline): what the renderings of {@code policy.render} turn into libvirt XML, nova.conf, a QEMU {@code -cpu} value,
 * a KubeVirt fragment or a cpu_map model; what the migration check judges. Feature names are libvirt's.
 *
 * @param mode           libvirt's {@code <cpu mode>}
 * @param model          the named model; set exactly when {@code mode} is {@link Mode#CUSTOM}
 * @param vendor         {@code Intel}, {@code AMD}...; only for CUSTOM, null to leave it out (libvirt then runs the
 *                       guest on any vendor's host that has the model's features)
 * @param fallbackForbid CUSTOM only: libvirt's {@code <model fallback='forbid'>} (else {@code allow})
 * @param features       CUSTOM: on top of / taken from the model; HOST_MODEL: on top of / taken from the host's
 *                       model (e.g. require vmx, disable spec-ctrl); HOST_PASSTHROUGH: flags QEMU masks by default
 *                       (invtsc) or ones to hide. Names unique.
 */
public record GuestCpu(
        Mode mode, @Nullable String model, @Nullable String vendor, boolean fallbackForbid, List<CpuFeature> features) {

    /** libvirt's CPU modes fleetcpu recommends. */
    public enum Mode {
        HOST_PASSTHROUGH("host-passthrough"),
        HOST_MODEL("host-model"),
        CUSTOM("custom");

        private final String libvirtName;

        Mode(String libvirtName) {
            this.libvirtName = libvirtName;
        }

        /** The word libvirt (and nova's {@code cpu_mode}) uses. */
        public String libvirtName() {
            return libvirtName;
        }
    }

    public GuestCpu {
        Objects.requireNonNull(mode, "mode");
        features = List.copyOf(Objects.requireNonNull(features, "features"));
        if (mode == Mode.CUSTOM) {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("a custom guest CPU needs a named model");
            }
            if (vendor != null && vendor.isBlank()) {
                throw new IllegalArgumentException("vendor is blank; leave it null to run on any vendor's hosts");
            }
        } else {
            // In the host modes libvirt takes model and vendor from the host at start; naming them would be a lie.
            if (model != null) {
                throw new IllegalArgumentException(mode.libvirtName() + " takes its model from the host; got model "
                        + model + " (use CUSTOM to name a model)");
            }
            if (vendor != null) {
                throw new IllegalArgumentException(
                        mode.libvirtName() + " takes its vendor from the host; got vendor " + vendor);
            }
            if (fallbackForbid) {
                throw new IllegalArgumentException(
                        "fallback='forbid' only applies to a named (custom) model, not to " + mode.libvirtName());
            }
        }
        Set<String> seen = new HashSet<>();
        for (CpuFeature f : features) {
            Objects.requireNonNull(f, "feature");
            if (f.name() == null || f.name().isBlank() || f.policy() == null) {
                throw new IllegalArgumentException("a feature needs a name and a policy: " + f);
            }
            if (f.policy() != FeaturePolicy.REQUIRE && f.policy() != FeaturePolicy.DISABLE) {
                // what every renderer can write: nova.conf, QEMU's -cpu and KubeVirt know only + and -
                throw new IllegalArgumentException("a recommended guest CPU requires or disables each feature; got "
                        + f.policy().libvirtName() + " " + f.name());
            }
            if (!seen.add(f.name())) {
                // libvirt refuses this too ("CPU feature '%s' specified more than once")
                throw new IllegalArgumentException("CPU feature '" + f.name() + "' is listed more than once");
            }
        }
    }

    public static GuestCpu custom(
            String model, @Nullable String vendor, boolean fallbackForbid, List<CpuFeature> features) {
        return new GuestCpu(Mode.CUSTOM, model, vendor, fallbackForbid, features);
    }

    public static GuestCpu hostModel(List<CpuFeature> features) {
        return new GuestCpu(Mode.HOST_MODEL, null, null, false, features);
    }

    public static GuestCpu hostPassthrough(List<CpuFeature> features) {
        return new GuestCpu(Mode.HOST_PASSTHROUGH, null, null, false, features);
    }

    /** The guest CPU of a baseline: its model, vendor, fallback and listed features, as libvirt prints them. */
    public static GuestCpu of(Baseline baseline) {
        return custom(baseline.model(), baseline.vendor(), baseline.fallbackForbid(), baseline.features());
    }

    /** Names of the features with this policy, in list order. */
    public List<String> featureNames(FeaturePolicy policy) {
        return features.stream()
                .filter(f -> f.policy() == policy)
                .map(CpuFeature::name)
                .toList();
    }
}
