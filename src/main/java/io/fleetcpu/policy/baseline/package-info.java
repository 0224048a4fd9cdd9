/**
 * Libvirt's baseline of a set of CPUs ({@link io.fleetcpu.policy.baseline.BaselineCalculator}, per
 * {@link io.fleetcpu.policy.baseline.LibvirtDriver}) and its refusals, over CPUs as libvirt describes them
 * ({@link io.fleetcpu.policy.baseline.CpuDescription}, {@link io.fleetcpu.policy.baseline.NamedCpu}). The lowest part
 * of the engine: uses only {@code catalog} and {@code libvirtxml}; its explanation host by host is the recommender's
 * ({@code policy.BaselineExplainer}).
 */
@NullMarked
@NamedInterface("baseline")
package io.fleetcpu.policy.baseline;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
