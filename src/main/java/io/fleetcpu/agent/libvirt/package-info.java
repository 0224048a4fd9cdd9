/**
 * The only code that talks to libvirt itself: libvirt-java and the few C functions it lacks
 * ({@link io.fleetcpu.agent.libvirt.LibvirtNative}, through JNA), read into raw documents as libvirt wrote them
 * ({@link io.fleetcpu.agent.libvirt.LibvirtHostFacts}). Used by the agent and by the differential tests; may use
 * {@code libvirtxml}. ArchitectureTest keeps libvirt out of every other package.
 */
@NullMarked
package io.fleetcpu.agent.libvirt;

import org.jspecify.annotations.NullMarked;
