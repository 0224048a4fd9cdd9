/**
 * The catalogs over HTTP ({@code GET /cpu-models}, {@code /cpu-models/{name}}): libvirt's named
 * CPU models and their features, per bundled map. Reads {@code catalog} and {@code policy.Catalogs}; answers
 * errors through {@code system}.
 */
@NullMarked
@ApplicationModule(
        displayName = "CPU models API",
        allowedDependencies = {"catalog", "policy", "system"})
package io.fleetcpu.cpumodels;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
