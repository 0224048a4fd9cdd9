package io.fleetcpu.libvirtxml;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * CPUID family, model and stepping of a host CPU ({@code <signature family='6' model='63' stepping='2'/>}): the one
 * signature type from the libvirt reader to the answer (a host's stored CPU, the engine's hosts, drift events). A
 * cpu_map model's signature is a {@link io.fleetcpu.catalog.SignatureRange}, whose stepping may be a range. The
 * annotation (no code, no Spring) gives it its name in the API.
 */
@Schema(name = "HostCpuSignature", description = "The host CPU's CPUID family, model and stepping")
public record CpuSignature(
        int family, @Nullable int model, @Nullable Integer stepping) {

    public CpuSignature {
        if (family < 0 || model < 0 || (stepping != null && stepping < 0)) {
            throw new IllegalArgumentException("negative CPU signature: " + family + "/" + model + "/" + stepping);
        }
    }

    /** As operators read it and drift events record it: {@code 6/63/2} ({@code 6/63/null} without a stepping). */
    public String text() {
        return family + "/" + model + "/" + stepping;
    }
}
