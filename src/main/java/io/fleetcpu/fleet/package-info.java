/**
 * Questions about the whole fleet: migration domains (groupings, {@code GET /groupings}) and
 * migration checks ({@code POST /migrations/check}), answered by the engine's {@code policy.grouping} and
 * {@code policy.migration} over the hosts' kinds of CPU. May use {@code hosts} (as {@code HostFacts} and kinds),
 * {@code aggregates}, the engine, {@code catalog}, {@code libvirtxml} and {@code system}.
 */
@NullMarked
@ApplicationModule(
        displayName = "Groupings and migration checks",
        allowedDependencies = {
            "aggregates",
            "catalog",
            "hosts",
            "libvirtxml",
            "policy",
            "policy :: baseline",
            "policy :: grouping",
            "policy :: guest",
            "policy :: migration",
            "policy :: render",
            "system"
        })
package io.fleetcpu.fleet;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
