/**
 * Migration domains: partitions of hosts, by kind of CPU, into sets whose libvirt baseline runs on
 * every member ({@link io.fleetcpu.policy.grouping.MigrationDomains}, one {@link io.fleetcpu.policy.grouping.Strategy}
 * each) and their cost in features; the {@code openstack} commands that build them are a rendering
 * ({@code policy.render}). Part of the engine: uses {@code policy.baseline}, {@code policy.guest}, {@code catalog} and
 * {@code libvirtxml}.
 */
@NullMarked
@NamedInterface("grouping")
package io.fleetcpu.policy.grouping;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
