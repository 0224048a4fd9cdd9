package io.fleetcpu.hosts;

import io.fleetcpu.policy.migration.MigrationFacts;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A host's {@link MigrationFacts} as the API shows them: null where the host did not report a fact. */
@Schema(
        description = "What a live migration needs of the host beyond its CPU's features, from its capabilities and "
                + "versions; a fact the host did not report is null (unknown), never guessed")
public record MigrationFactsView(
        @Schema(
                description = "the machine types the host's QEMU offers guests of its arch, all but the moving "
                        + "aliases, in libvirt's order, deprecated ones too; null when the capabilities list none",
                example = "[\"pc-i440fx-7.2\", \"pc-q35-7.2\"]")
        @Nullable
        List<String> machineTypes,

        @Schema(description = "those of machineTypes QEMU marks deprecated")
        List<String> deprecatedMachineTypes,

        @Schema(
                description = "each moving alias and the versioned machine type it stands for on this host",
                example = "{\"pc\": \"pc-i440fx-7.2\", \"q35\": \"pc-q35-7.2\"}")
        Map<String, String> machineTypeAliases,

        @Schema(
                description = "the physical address bits guests get (<maxphysaddr bits> of the capabilities)",
                example = "46")
        @Nullable
        Integer physAddrBits,

        @Schema(
                description =
                        "the host's TSC frequency in Hz (<counter name='tsc'>), where libvirt reports an invariant TSC",
                example = "2000000000")
        @Nullable
        Long tscFrequency,

        @Schema(description = "whether KVM can give guests another TSC frequency (the counter's scaling)") @Nullable
        Boolean tscScaling,

        @Schema(description = "the major version of the host's QEMU (versions.qemu)", example = "7") @Nullable
        Integer qemuMajor,

        @Schema(description = "the major version of the host's libvirt (versions.libvirt)", example = "9") @Nullable
        Integer libvirtMajor) {

    public static MigrationFactsView of(MigrationFacts facts) {
        return new MigrationFactsView(
                facts.machineTypes(),
                facts.deprecatedMachineTypes(),
                facts.machineTypeAliases(),
                facts.physAddrBits(),
                facts.tscFrequency(),
                facts.tscScaling(),
                facts.qemuMajor(),
                facts.libvirtMajor());
    }
}
