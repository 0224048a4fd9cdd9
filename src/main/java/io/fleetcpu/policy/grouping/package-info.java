/**
 * Migration domains: partitions of hosts, by kind of CPU, into sets whose libvirt baseline runs on
 * every member ({@link io.fleetcpu.policy.grouping.MigrationDomains}, one {@link io.fleetcpu.policy.grouping.Strategy}
 * each), their cost in features, and the {@code openstack} commands that build them. Part of the engine: may use
 * {@code policy}, {@code catalog} and {@code libvirtxml} only.
 */
package io.fleetcpu.policy.grouping;
