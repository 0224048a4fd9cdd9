/**
 * Renderings of a guest CPU per consumer: libvirt XML, nova.conf, QEMU {@code -cpu}, KubeVirt and cpu_map
 * ({@link io.fleetcpu.policy.render.CpuConfigRenderer}), placement traits, nested and {@code openstack} commands.
 * Uses {@code policy.guest}, {@code policy.baseline}, {@code policy.grouping}, {@code catalog} and {@code libvirtxml};
 * never the recommender, which uses these.
 */
@NullMarked
@NamedInterface("render")
package io.fleetcpu.policy.render;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
