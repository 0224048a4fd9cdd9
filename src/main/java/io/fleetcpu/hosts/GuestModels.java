package io.fleetcpu.hosts;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** What the host's hypervisor can give guests, from its domain capabilities. */
@Schema(description = "From the host's domain capabilities: its host-model CPU and the named models QEMU can run there")
public record GuestModels(
        @Schema(description = "the model of the host-model CPU", example = "Broadwell-noTSX-IBRS") String hostModel,
        @Schema(description = "named CPU models reported usable='yes'") List<String> usableModels,
        @Schema(description = "the CPU modes the hypervisor supports (supported='yes'): host-passthrough, host-model, "
                + "custom; absent when not known (hosts registered before fleetcpu kept it)",
                example = "[\"host-passthrough\", \"host-model\", \"custom\"]") List<String> supportedModes,
        @Schema(description = "named CPU models the hypervisor marks deprecated (deprecated='yes', which libvirt "
                + "writes when QEMU reports the model deprecated); empty for hosts registered before fleetcpu kept it",
                example = "[\"Icelake-Client\", \"Icelake-Client-noTSX\"]") List<String> deprecatedModels) {

    public GuestModels {
        usableModels = usableModels == null ? List.of() : List.copyOf(usableModels);
        supportedModes = supportedModes == null ? null : List.copyOf(supportedModes);
        deprecatedModels = deprecatedModels == null ? List.of() : List.copyOf(deprecatedModels);
    }

    /** Without deprecation facts (hosts registered before fleetcpu kept them). */
    public GuestModels(String hostModel, List<String> usableModels, List<String> supportedModes) {
        this(hostModel, usableModels, supportedModes, List.of());
    }
}
