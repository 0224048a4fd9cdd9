package io.fleetcpu.libvirtxml;

import org.jspecify.annotations.Nullable;

/**
 * The host's TSC ({@code <host><cpu><counter name='tsc' frequency=… scaling=…/>} of {@code virsh capabilities}):
 * libvirt writes it where the TSC is invariant and its frequency known.
 *
 * @param frequency in Hz
 * @param scaling   whether KVM can give guests another TSC frequency ({@code scaling='yes'}); null when not said
 */
public record TscCounter(long frequency, @Nullable Boolean scaling) {}
