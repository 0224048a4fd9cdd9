package io.fleetcpu.agent;

import io.fleetcpu.policy.NestedState;
import org.jspecify.annotations.Nullable;

/**
 * What the kernel says about virtualisation on this host.
 *
 * @param release            {@code /proc/sys/kernel/osrelease}, e.g. {@code 6.1.0-18-amd64}
 * @param hostname           {@code /proc/sys/kernel/hostname}
 * @param kvmModule          {@code kvm_intel}, {@code kvm_amd}, or null when neither is loaded
 * @param nested             whether that module lets guests run their own guests; unknown when no kvm module is loaded
 * @param virtualizationFlag {@code vmx} or {@code svm} as /proc/cpuinfo lists it, or null when the CPU shows neither
 *                           (virtualisation off in the firmware, or the host is itself a guest without nesting)
 */
public record KernelFacts(
        @Nullable String release,
        @Nullable String hostname,
        @Nullable String kvmModule,
        NestedState nested,
        @Nullable String virtualizationFlag) {

    public KernelFacts withHostname(String name) {
        return new KernelFacts(release, name, kvmModule, nested, virtualizationFlag);
    }
}
