/**
 * The engine: plain Java, no Spring, no storage, no I/O. Here the recommendation with its policy, at the top of the
 * engine: the aggregate's policy ({@link io.fleetcpu.policy.CpuPolicy}), the recommender
 * ({@link io.fleetcpu.policy.PolicyRecommender}) with its explanation of libvirt's baseline
 * ({@link io.fleetcpu.policy.BaselineExplainer}) and its answer, and the catalogs per libvirt version
 * ({@link io.fleetcpu.policy.Catalogs}); its parts live in {@code policy.baseline} (libvirt's baseline),
 * {@code policy.guest} (the guest CPU, what a guest can get, x86-64 levels), {@code policy.render} (renderings per
 * consumer), {@code policy.grouping} and {@code policy.migration}, which never use this package. May use only its
 * parts, {@code catalog} and {@code libvirtxml} (ArchitectureTest).
 */
@NullMarked
@ApplicationModule(
        displayName = "Guest CPU engine",
        allowedDependencies = {"catalog", "libvirtxml"})
package io.fleetcpu.policy;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
