package io.fleetcpu.policy;

import io.fleetcpu.libvirtxml.CpuSignature;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.guest.GuestCpu;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One host as the policy engine sees it.
 *
 * @param cpu the physical CPU, as libvirt describes the host
 * @param hypervisorCpu what a guest on the host can really get (the hypervisor's expansion of its host-model
 *        CPU), or null when the host did not report it
 * @param microcode the microcode version, or null
 * @param signature CPUID family, model and stepping, or null when not reported
 * @param nested the kvm module's nested setting
 * @param usableModels the named models the host's hypervisor reports usable, or null when not reported
 * @param supportedModes the CPU modes the host's domain capabilities say its hypervisor supports, or null when not
 *        reported (under emulation, host-passthrough is not among them)
 * @param deprecatedModels the named models the host's hypervisor marks deprecated; empty when none or not reported
 */
public record PolicyHost(
        String name,
        CpuDescription cpu,
        @Nullable CpuDescription hypervisorCpu,
        @Nullable String microcode,
        @Nullable CpuSignature signature,
        NestedState nested,
        @Nullable List<String> usableModels,
        @Nullable Set<GuestCpu.Mode> supportedModes,
        List<String> deprecatedModels) {

    public PolicyHost {
        usableModels = usableModels == null ? null : List.copyOf(usableModels);
        supportedModes = supportedModes == null ? null : Set.copyOf(supportedModes);
        deprecatedModels = deprecatedModels == null ? List.of() : List.copyOf(deprecatedModels);
    }

    /** Whether the host's hypervisor can run guests in this mode: unknown counts as yes. */
    boolean supports(GuestCpu.Mode mode) {
        return supportedModes == null || supportedModes.contains(mode);
    }
}
