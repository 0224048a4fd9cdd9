/**
 * What a guest can really get on a host: the features it sees ({@link io.fleetcpu.policy.guest.GuestVisibility},
 * {@link io.fleetcpu.policy.guest.GuestFeatures}) and the x86-64 levels they reach
 * ({@link io.fleetcpu.policy.guest.MicroarchitectureLevel}, {@link io.fleetcpu.policy.guest.GuestLevels}).
 */
@NullMarked
package io.fleetcpu.policy.guest;

import org.jspecify.annotations.NullMarked;
