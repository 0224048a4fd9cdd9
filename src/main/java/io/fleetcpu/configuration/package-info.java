/**
 * Which CPU catalogs the service loads at start, from {@code fleetcpu.catalog.*}
 * ({@link io.fleetcpu.configuration.CatalogProperties}): the configured map and, without a directory, both bundled
 * ones by libvirt version ({@code policy.Catalogs}). Spring configuration over {@code catalog} and {@code policy}.
 */
@NullMarked
@ApplicationModule(
        displayName = "Catalogs loaded at start",
        allowedDependencies = {"catalog", "policy"})
package io.fleetcpu.configuration;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
