package io.fleetcpu.fleet;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** Can a guest with this CPU live-migrate to that host (or every host of that aggregate)? */
@Schema(description = "A guest CPU and a target: one host, or every host of an aggregate")
public record MigrationCheckRequest(
        @Nullable Guest guest, @Nullable Target target) {

    /** Exactly one of the four. */
    @Schema(
            name = "MigrationGuest",
            description = "The guest's CPU: exactly one of cpuXml, aggregate, hostModelOf, " + "hostPassthroughOf")
    public record Guest(
            @Schema(
                    description = "a libvirt <cpu> element, as in the guest's domain XML; at most 1000 <feature> "
                            + "elements (fleetcpu.request.max-features-per-cpu)")
            @Nullable
            String cpuXml,

            @Schema(description = "with cpuXml in host-model or host-passthrough mode: the host the guest runs on now")
            @Nullable
            String sourceHost,

            @Schema(description = "the recommended CPU of this aggregate") @Nullable
            String aggregate,

            @Schema(description = "host-model of this host (its hypervisor's host-model CPU)") @Nullable
            String hostModelOf,

            @Schema(description = "host-passthrough of this host (its CPU as it is)") @Nullable
            String hostPassthroughOf) {}

    /** Exactly one of the two. */
    @Schema(name = "MigrationTarget", description = "Where the guest would go: exactly one of host, aggregate")
    public record Target(
            @Schema(description = "libvirt's host UUID of the target host") @Nullable
            String host,

            @Schema(description = "every host of this aggregate") @Nullable
            String aggregate) {}
}
