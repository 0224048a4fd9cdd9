/**
 * Hosts: registration ({@code POST /hosts}, {@link io.fleetcpu.hosts.HostService#register}), the reading
 * and checking of a report ({@link io.fleetcpu.hosts.HostReportReader}), kinds of CPU (hosts whose CPU facts are the
 * same share one stored {@link io.fleetcpu.hosts.CpuKind}), inventory and the fleet's census. The JPA entity
 * {@link io.fleetcpu.hosts.Host} stays here: other features get {@code HostFacts} and kinds. May use
 * {@code libvirtxml}, {@code catalog}, the engine, {@code system} and {@code web}; never {@code aggregates}
 * (it asks them what it needs through ports the aggregates feature implements:
 * {@link io.fleetcpu.hosts.NamedAggregates}, {@link io.fleetcpu.hosts.AdmissionCheck}). The HTTP controllers live in
 * {@code hosts.web}, which no other module may use.
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
            "system",
            "web"
        })
package io.fleetcpu.hosts;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
