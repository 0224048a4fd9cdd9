package io.fleetcpu.aggregates;

import io.fleetcpu.policy.migration.MigrationContract;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A {@link MigrationContract} as the API answers it. */
@Schema(
        description = "What guests must be started with, beyond their CPU, to move live between every two hosts: "
                + "from the hosts' machine types, address bits, TSC and versions (GET /hosts/{id}, 'migration'); "
                + "what a host did not report is promised to none (docs/migration-facts.md)")
public record MigrationContractView(
        @Schema(
                description = "the machine type to start guests with: the q35 one where every host offers one, else "
                        + "the i440fx one; absent when no versioned type is common or a host's are unknown",
                example = "pc-q35-7.2")
        @Nullable
        String machineType,

        @Schema(
                description = "family (q35, i440fx) → its newest versioned machine type every host offers, one none "
                        + "marks deprecated where there is one; never a moving alias (q35, pc)",
                example = "{\"q35\": \"pc-q35-7.2\", \"i440fx\": \"pc-i440fx-7.2\"}")
        Map<String, String> machineTypes,

        @Schema(
                description = "the physical address bits guests get: the fewest of any host (libvirt <maxphysaddr "
                        + "mode='emulate' bits=…/>, QEMU phys-bits); absent when a host's are unknown",
                example = "46")
        @Nullable
        Integer physAddrBits,

        @Schema(
                description = "the TSC frequency every host has, in Hz; absent when they differ or one is unknown",
                example = "2000000000")
        @Nullable
        Long tscFrequency,

        @Schema(
                description = "what to know: facts a host did not report, deprecated machine types skipped, different "
                        + "address bits, TSC frequencies or major versions of QEMU and libvirt, each naming the kinds "
                        + "of CPU")
        List<String> notes) {

    static MigrationContractView of(MigrationContract contract) {
        return new MigrationContractView(
                contract.machineType(),
                contract.machineTypes(),
                contract.physAddrBits(),
                contract.tscFrequency(),
                contract.notes());
    }
}
