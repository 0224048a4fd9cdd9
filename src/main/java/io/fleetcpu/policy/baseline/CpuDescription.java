package io.fleetcpu.policy.baseline;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A CPU as libvirt describes it: a named model plus the features it has on top, minus the ones it lacks.
 * Libvirt's host CPU XML cannot say "minus"; {@code disabledFeatures} is for host-model (guest-shaped) reports.
 */
public record CpuDescription(
        String arch,
        @Nullable String vendor,
        @Nullable String model,
        List<String> requiredFeatures,
        List<String> disabledFeatures) {

    public CpuDescription {
        requiredFeatures = requiredFeatures == null ? List.of() : List.copyOf(requiredFeatures);
        disabledFeatures = disabledFeatures == null ? List.of() : List.copyOf(disabledFeatures);
    }

    public static CpuDescription host(String arch, String vendor, String model, List<String> features) {
        return new CpuDescription(arch, vendor, model, features, List.of());
    }
}
