package io.fleetcpu.libvirtxml;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a guest CPU definition says about one feature ({@code <feature policy='…'/>} in libvirt's domain XML). */
public enum FeaturePolicy {
    /** The guest gets the feature even if the host lacks it (emulated). */
    FORCE("force"),
    /** The guest gets the feature; the host must have it. */
    REQUIRE("require"),
    /** The guest gets the feature if the host has it. */
    OPTIONAL("optional"),
    /** The guest does not get the feature, even if its model has it. */
    DISABLE("disable"),
    /** The guest must not start on a host that has the feature. */
    FORBID("forbid");

    private final String libvirtName;

    FeaturePolicy(String libvirtName) {
        this.libvirtName = libvirtName;
    }

    /** The word libvirt writes. */
    public String libvirtName() {
        return libvirtName;
    }

    /** Whether the guest sees the feature. */
    public boolean givesFeature() {
        return this == FORCE || this == REQUIRE;
    }

    /** Whether the guest is kept from the feature. */
    public boolean withholdsFeature() {
        return this == DISABLE || this == FORBID;
    }

    public static Optional<FeaturePolicy> fromLibvirtName(String name) {
        return Arrays.stream(values()).filter(p -> p.libvirtName.equals(name)).findFirst();
    }

    static List<String> libvirtNames() {
        return Arrays.stream(values()).map(FeaturePolicy::libvirtName).toList();
    }
}
