package io.fleetcpu.hosts;

import io.fleetcpu.policy.NestedState;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * What the host's kernel says about running guests: the kvm module, whether it allows nested
 * virtualisation, and the CPU's virtualisation flag. What a host's answer shows and what fleetcpu computes with;
 * a registration sends the same fields as {@link HostReport.ReportedKernel} (one schema, {@value #SCHEMA}).
 */
@Schema(name = KernelFacts.SCHEMA, description = KernelFacts.DESCRIPTION)
public record KernelFacts(
        @Schema(description = RELEASE, example = "6.1.0-18-amd64") @Nullable
        String release,

        @Schema(description = KVM_MODULE, example = "kvm_intel") @Nullable
        String kvmModule,

        @Schema(description = NESTED, example = "enabled") NestedState nested,

        @Schema(description = VIRTUALIZATION_FLAG, example = "vmx") @Nullable
        String virtualizationFlag) {

    public static final KernelFacts UNKNOWN = new KernelFacts(null, null, NestedState.UNKNOWN, null);

    /** The API's words for these facts, shared with {@link HostReport.ReportedKernel}. */
    static final String SCHEMA = "KernelFacts";

    static final String DESCRIPTION = "The host kernel's KVM facts, as the agent read them from /proc and /sys";
    static final String RELEASE = "kernel release (uname -r)";
    static final String KVM_MODULE = "the loaded kvm module: kvm_intel or kvm_amd; absent when none is loaded";
    static final String NESTED =
            "the kvm module's nested parameter: enabled, disabled, or unknown when no module is " + "loaded";
    static final String VIRTUALIZATION_FLAG =
            "the virtualisation flag in /proc/cpuinfo: vmx (Intel) or svm (AMD); " + "absent when neither";
}
