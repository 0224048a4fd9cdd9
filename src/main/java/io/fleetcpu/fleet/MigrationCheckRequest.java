package io.fleetcpu.fleet;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Can a guest with this CPU live-migrate to that host (or every host of that aggregate)? */
@Schema(description = "A guest CPU and a target: one host, or every host of an aggregate")
public record MigrationCheckRequest(
        @Nullable Guest guest, @Nullable Target target) {

    /** Exactly one of the five. */
    @Schema(
            name = "MigrationGuest",
            description =
                    "The guest's CPU: exactly one of cpuXml, domainXml, aggregate, hostModelOf, " + "hostPassthroughOf")
    public record Guest(
            @Schema(
                    description = "a libvirt <cpu> element, as in the guest's domain XML; at most 1000 <feature> "
                            + "elements (fleetcpu.request.max-features-per-cpu)")
            @Nullable
            String cpuXml,

            @Schema(
                    description = "the guest's whole domain XML (virsh dumpxml): its <cpu> is read as cpuXml, "
                            + "<os><type machine=…> as machineType and <cpu><maxphysaddr> as physAddrBits (mode "
                            + "'emulate': its bits; 'passthrough': sourceHost's, at most its limit), so leave those "
                            + "two out; nothing else in it is read")
            @Nullable
            String domainXml,

            @Schema(
                    description = "with cpuXml or domainXml in host-model or host-passthrough mode: the host the "
                            + "guest runs on now")
            @Nullable
            String sourceHost,

            @Schema(description = "the recommended CPU of this aggregate") @Nullable
            String aggregate,

            @Schema(description = "host-model of this host (its hypervisor's host-model CPU)") @Nullable
            String hostModelOf,

            @Schema(description = "host-passthrough of this host (its CPU as it is)") @Nullable
            String hostPassthroughOf,

            @Schema(
                    description = "the versioned machine type the guest runs with (<os><type machine=…> of virsh "
                            + "dumpxml); a target that does not offer it cannot take the guest. With aggregate, the "
                            + "aggregate's migrationContract.machineType when left out",
                    example = "pc-q35-7.2")
            @Nullable
            String machineType,

            @Schema(
                    description = "the physical address bits the guest sees (<maxphysaddr bits>, QEMU phys-bits); a "
                            + "target that gives fewer cannot take it. With aggregate, the aggregate's "
                            + "migrationContract.physAddrBits when left out",
                    example = "46")
            @Nullable
            Integer physAddrBits) {}

    /** Exactly one of the two. */
    @Schema(name = "MigrationTarget", description = "Where the guest would go: exactly one of host, aggregate")
    public record Target(
            @Schema(description = "libvirt's host UUID of the target host") @Nullable
            String host,

            @Schema(description = "every host of this aggregate") @Nullable
            String aggregate) {}
}
