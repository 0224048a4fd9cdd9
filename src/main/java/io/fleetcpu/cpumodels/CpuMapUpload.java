package io.fleetcpu.cpumodels;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A host's libvirt's cpu_map as its agent uploads it: the x86 files, by name, and the libvirt they come from. */
@Schema(description = "The x86 part of a libvirt cpu_map: index.xml and the x86_*.xml files, each as text")
record CpuMapUpload(
        @Schema(description = "the release of the libvirt the map comes from", example = "12.5.0") @Nullable
        String libvirtVersion,

        @Schema(
                description = "each file by its name in the cpu_map directory (index.xml, x86_features.xml, "
                        + "x86_vendors.xml, x86_<model>.xml, …) with its content; at most 2000 files, and the whole "
                        + "body within fleetcpu.request.max-body-size",
                example = "{\"index.xml\": \"<cpus>…</cpus>\"}")
        @Nullable
        Map<String, String> files) {}
