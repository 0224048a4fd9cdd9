/**
 * Readers of libvirt's XML documents ({@code <cpu>}, {@code virsh capabilities}, {@code virsh
 * domcapabilities}) into records, with a hardened parser ({@link io.fleetcpu.libvirtxml.SecureXml}); also the CPU
 * vocabulary every other part shares: {@link io.fleetcpu.libvirtxml.CpuFeature},
 * {@link io.fleetcpu.libvirtxml.FeaturePolicy}, {@link io.fleetcpu.libvirtxml.CpuSignature}. Plain Java; uses no
 * other fleetcpu package (only OpenAPI's {@code @Schema} annotation).
 */
@NullMarked
@ApplicationModule(
        displayName = "libvirt's documents and the CPU vocabulary",
        allowedDependencies = {})
package io.fleetcpu.libvirtxml;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
