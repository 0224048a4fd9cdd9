/**
 * What a guest can really get on a host: the features it sees ({@link io.fleetcpu.policy.guest.GuestVisibility},
 * {@link io.fleetcpu.policy.guest.GuestFeatures}) and the x86-64 levels they reach
 * ({@link io.fleetcpu.policy.guest.MicroarchitectureLevel}, {@link io.fleetcpu.policy.guest.GuestLevels}).
 */
@NamedInterface("guest")
package io.fleetcpu.policy.guest;

import org.springframework.modulith.NamedInterface;
