/**
 * The catalogs over HTTP ({@code GET /cpu-models}, {@code /cpu-models/{name}}): libvirt's named CPU models and their
 * features, per map; the cpu_maps hosts' agents send ({@code PUT /cpu-maps/{digest}}, kept in PostgreSQL by
 * {@link io.fleetcpu.cpumodels.CpuMapStore}) and every map held ({@code GET /catalogs}, with the hosts each reads,
 * from {@code hosts}' census). Reads {@code catalog} and {@code policy.Catalogs}; answers errors through
 * {@code system}.
 */
@NullMarked
@ApplicationModule(
        displayName = "CPU models API",
        allowedDependencies = {"catalog", "hosts", "policy", "system"})
package io.fleetcpu.cpumodels;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
