/**
 * Hosts: registration ({@code POST /hosts}, {@link io.fleetcpu.hosts.HostRegistration}), the registered hosts
 * ({@link io.fleetcpu.hosts.HostRecords}), their memberships as operators change them
 * ({@link io.fleetcpu.hosts.HostMemberships}), kinds of CPU (hosts whose CPU facts are the same share one stored kind)
 * and the fleet's census ({@link io.fleetcpu.hosts.FleetCensus}). This package is what other modules may use: those
 * interfaces, the values they take and give ({@code HostReport}, {@code HostFacts}, {@code KindMembers},
 * {@code HostView}…) and the ports the aggregates feature implements ({@link io.fleetcpu.hosts.NamedAggregates},
 * {@link io.fleetcpu.hosts.AdmissionCheck}). Their implementations, split by job, live in {@code hosts.internal}:
 * the reading and checking of a report, registration with its retries, locks and counters, the JPA entities
 * ({@code Host}, {@code CpuKind}) and their repositories, the agent binding and the census queries. The HTTP
 * controllers live in {@code hosts.web}. No other module may use either (Modulith's verify), and they never use each
 * other: web → this package ← internal. May use {@code libvirtxml}, {@code catalog}, the engine, {@code system} and
 * {@code web}; never {@code aggregates}.
 */
@NullMarked
@ApplicationModule(
        displayName = "Hosts and their registration",
        allowedDependencies = {
            "catalog",
            "libvirtxml",
            "policy",
            "policy :: baseline",
            "policy :: guest",
            "policy :: migration",
            "system",
            "web"
        })
package io.fleetcpu.hosts;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
