/**
 * A guest CPU ({@link io.fleetcpu.policy.guest.GuestCpu}, the value every other part of the engine computes, judges
 * or renders) and what a guest can really get on a host: the features it sees
 * ({@link io.fleetcpu.policy.guest.GuestVisibility}, {@link io.fleetcpu.policy.guest.GuestFeatures}) and the x86-64
 * levels they reach ({@link io.fleetcpu.policy.guest.MicroarchitectureLevel},
 * {@link io.fleetcpu.policy.guest.GuestLevels}). Uses {@code policy.baseline}, {@code catalog} and
 * {@code libvirtxml}.
 */
@NullMarked
@NamedInterface("guest")
package io.fleetcpu.policy.guest;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
