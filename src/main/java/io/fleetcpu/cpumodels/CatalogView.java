package io.fleetcpu.cpumodels;

import io.fleetcpu.catalog.CpuCatalog;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One cpu_map the service reads hosts with: bundled, or sent by a host's agent. */
@Schema(description = "A cpu_map the service holds, and how many hosts are read with it")
record CatalogView(
        @Schema(description = "how hosts, kinds and answers name it", example = "libvirt 12.5 (map 3f2a9c1e0b7d)")
        String name,

        @Schema(description = "the release of the libvirt the map comes from", example = "12.5.0") @Nullable
        String libvirtVersion,

        @Schema(description = "the SHA-256 digest of its x86 files (PUT /cpu-maps/{digest})") @Nullable
        String cpuMap,

        @Schema(description = "bundled: shipped with fleetcpu; sent: uploaded by a host's agent")
        String origin,

        @Schema(description = "whether fleetcpu's results with this map are compared with that libvirt's own")
        boolean verifiedAgainstLibvirt,

        @Schema(description = "what was verified, in words") String verification,
        @Schema(description = "its x86 CPU models") int models,
        @Schema(description = "its x86 CPU features") int features,
        @Schema(description = "hosts read with it") long hosts,

        @Schema(description = "when it was stored, for a map an agent sent") @Nullable
        Instant storedAt) {

    static CatalogView of(CpuCatalog catalog, String origin, long hosts, @Nullable Instant storedAt) {
        return new CatalogView(
                catalog.name(),
                catalog.info().libvirtVersion(),
                catalog.digest(),
                origin,
                catalog.info().verifiedAgainstLibvirt(),
                catalog.info().verification(),
                catalog.models().size(),
                catalog.features().size(),
                hosts,
                storedAt);
    }
}
