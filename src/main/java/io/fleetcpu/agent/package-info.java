/**
 * The agent an operator runs on each compute node ({@code fleetcpu agent}): reads the host through libvirt
 * ({@link io.fleetcpu.agent.LiveLibvirt}) and the kernel ({@link io.fleetcpu.agent.KernelReader}) and registers it
 * with {@code POST /hosts}, retrying 5xx, 429 and 408 until its deadline. Plain Java with picocli and Jackson, no
 * Spring context; it may use {@code agent.libvirt}, {@code policy.NestedState} and {@code catalog.CpuMapDigest}
 * (the digest of the host's libvirt's cpu_map, computed as the service computes it), never the service's packages.
 */
@NullMarked
@ApplicationModule(
        displayName = "The agent on each compute node",
        allowedDependencies = {"catalog", "libvirtxml", "policy"})
package io.fleetcpu.agent;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
