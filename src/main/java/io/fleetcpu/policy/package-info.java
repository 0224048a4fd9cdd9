/**
 * The engine: plain Java, no Spring, no storage, no I/O. Libvirt's baseline
 * ({@link io.fleetcpu.policy.BaselineCalculator}, explained by {@link io.fleetcpu.policy.BaselineExplainer}), what a
 * guest can really get on a host ({@link io.fleetcpu.policy.GuestVisibility}), x86-64 levels, the aggregate's policy
 * ({@link io.fleetcpu.policy.PolicyRecommender}), the catalogs per libvirt version
 * ({@link io.fleetcpu.policy.Catalogs}) and the renderings of a guest CPU per consumer
 * ({@link io.fleetcpu.policy.CpuConfigRenderer}). May use only {@code catalog} and {@code libvirtxml}
 * (ArchitectureTest).
 */
package io.fleetcpu.policy;
