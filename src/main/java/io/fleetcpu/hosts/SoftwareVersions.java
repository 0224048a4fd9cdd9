package io.fleetcpu.hosts;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** The virtualisation stack on the host, as its agent reported it. */
@Schema(description = "Versions of libvirt, QEMU and the fleetcpu agent on the host")
public record SoftwareVersions(
        @Schema(
                description = "libvirt's version; it chooses the CPU catalog the host is read with: 9.x libvirt 9.0's "
                        + "map, 10 and later libvirt 11.3's, absent the configured one",
                example = "9.0.0")
        @Nullable
        String libvirt,

        @Schema(example = "7.2.0") @Nullable String qemu,
        @Schema(example = "0.1.0") @Nullable String agent) {}
