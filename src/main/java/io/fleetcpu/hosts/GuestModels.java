package io.fleetcpu.hosts;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the host's hypervisor can give guests, from its domain capabilities. */
@Schema(description = "From the host's domain capabilities: its host-model CPU and the named models QEMU can run there")
public record GuestModels(
        @Schema(description = "the model of the host-model CPU", example = "Broadwell-noTSX-IBRS") @Nullable
        String hostModel,

        @Schema(description = "named CPU models reported usable='yes'")
        List<String> usableModels,

        @Schema(
                description = "the CPU modes the hypervisor supports (supported='yes'): host-passthrough, host-model, "
                        + "custom; absent when not known (hosts registered before fleetcpu kept it)",
                example = "[\"host-passthrough\", \"host-model\", \"custom\"]")
        @Nullable
        List<String> supportedModes,

        @Schema(
                description =
                        "named CPU models the hypervisor marks deprecated (deprecated='yes', which libvirt "
                                + "writes when QEMU reports the model deprecated); empty for hosts registered before fleetcpu kept it",
                example = "[\"Icelake-Client\", \"Icelake-Client-noTSX\"]")
        List<String> deprecatedModels,

        @Schema(
                description = "named CPU models reported usable='unknown' (QEMU did not say); absent for hosts "
                        + "registered before fleetcpu kept them")
        @Nullable
        List<String> unknownModels,

        @Schema(
                description = "named CPU models reported usable='no'; absent for hosts registered before fleetcpu "
                        + "kept them")
        @Nullable
        List<String> unusableModels) {

    public GuestModels {
        usableModels = usableModels == null ? List.of() : List.copyOf(usableModels);
        supportedModes = supportedModes == null ? null : List.copyOf(supportedModes);
        deprecatedModels = deprecatedModels == null ? List.of() : List.copyOf(deprecatedModels);
        unknownModels = unknownModels == null ? null : List.copyOf(unknownModels);
        unusableModels = unusableModels == null ? null : List.copyOf(unusableModels);
    }

    /** Without the facts fleetcpu kept later (hosts registered before). */
    public GuestModels(@Nullable String hostModel, List<String> usableModels, @Nullable List<String> supportedModes) {
        this(hostModel, usableModels, supportedModes, List.of(), null, null);
    }
}
