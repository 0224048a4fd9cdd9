package io.fleetcpu.hosts;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * What the host's kernel says about running guests: the kvm module, whether it allows nested
 * virtualisation, and the CPU's virtualisation flag.
 */
@Schema(description = "The host kernel's KVM facts, as the agent read them from /proc and /sys")
public record KernelFacts(
        @Schema(description = "kernel release (uname -r)", example = "6.1.0-18-amd64") @Nullable String release,
        @Schema(description = "the loaded kvm module: kvm_intel or kvm_amd; absent when none is loaded",
                example = "kvm_intel") @Nullable String kvmModule,
        @Schema(description = "the kvm module's nested parameter: enabled, disabled, or unknown when no module is loaded",
                example = "enabled") @Nullable String nested,
        @Schema(description = "the virtualisation flag in /proc/cpuinfo: vmx (Intel) or svm (AMD); absent when neither",
                example = "vmx") @Nullable String virtualizationFlag) {

    static final KernelFacts UNKNOWN = new KernelFacts(null, null, "unknown", null);
}
