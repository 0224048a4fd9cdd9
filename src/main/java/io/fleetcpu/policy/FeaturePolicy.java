package io.fleetcpu.policy;

/** libvirt's {@code <feature policy=…>} values used in a baseline. */
public enum FeaturePolicy {
    REQUIRE, DISABLE;

    public String libvirtName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
