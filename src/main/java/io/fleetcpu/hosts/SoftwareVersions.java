package io.fleetcpu.hosts;

import io.swagger.v3.oas.annotations.media.Schema;

/** The virtualisation stack on the host, as its agent reported it. */
@Schema(description = "Versions of libvirt, QEMU and the fleetcpu agent on the host")
public record SoftwareVersions(
        @Schema(example = "9.0.0") String libvirt,
        @Schema(example = "7.2.0") String qemu,
        @Schema(example = "0.1.0") String agent) {
}
