/**
 * Can a guest CPU run on (live-migrate to) a host: {@link io.fleetcpu.policy.migration.MigrationCheck}
 * judges as libvirt 9.0's {@code virConnectCompareCPU} does, with the same verdicts and words. Part of the engine:
 * may use {@code policy.guest}, {@code policy.baseline}, {@code catalog} and {@code libvirtxml} only.
 */
@NullMarked
@NamedInterface("migration")
package io.fleetcpu.policy.migration;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
