/**
 * Libvirt's baseline of a set of CPUs ({@link io.fleetcpu.policy.baseline.BaselineCalculator}, per
 * {@link io.fleetcpu.policy.baseline.LibvirtDriver}), its refusals and its explanation
 * ({@link io.fleetcpu.policy.baseline.BaselineExplainer}), over CPUs as libvirt describes them.
 */
@NamedInterface("baseline")
package io.fleetcpu.policy.baseline;

import org.springframework.modulith.NamedInterface;
