/**
 * CPU drift: every registration that changes a host's CPU facts, recorded as an event
 * ({@link io.fleetcpu.history.DriftRecorder}, on {@code hosts.HostFactsRecorded}, in the registration's transaction)
 * with its effect on each aggregate's recommended CPU, and read back through {@code /hosts/{id}/history},
 * {@code /aggregates/{id}/history} and {@code /events}. May use {@code hosts}, {@code aggregates}
 * ({@code GuestCpuService}), {@code libvirtxml} (the CPU signature), {@code policy} (the nested state's word) and {@code system}.
 */
@NullMarked
@ApplicationModule(
        displayName = "CPU drift history",
        allowedDependencies = {"aggregates", "hosts", "libvirtxml", "policy", "system"})
package io.fleetcpu.history;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
