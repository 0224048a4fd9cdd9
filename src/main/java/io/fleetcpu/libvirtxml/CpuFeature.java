package io.fleetcpu.libvirtxml;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One {@code <feature>} of a CPU definition. {@code policy} is null in host shape (a host CPU just has the
 * feature). The name is libvirt's ({@code sse4.1}, {@code spec-ctrl}); whether libvirt knows it is for the catalog.
 */
public record CpuFeature(String name, @Nullable FeaturePolicy policy) {

    public CpuFeature {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("feature name is blank");
        }
    }

    public static CpuFeature present(String name) {
        return new CpuFeature(name, null);
    }

    /** The CPU has, or the guest gets, this feature: host shape, {@code require} or {@code force}. */
    public boolean isRequired() {
        return policy == null || policy.givesFeature();
    }

    /** The guest is kept from this feature: {@code disable} or {@code forbid}. */
    public boolean isDisabled() {
        return policy != null && policy.withholdsFeature();
    }
}
