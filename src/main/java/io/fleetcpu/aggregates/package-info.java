/**
 * Aggregates of hosts and their answers: membership, the policy operators write
 * ({@link io.fleetcpu.aggregates.PolicyReader}), the recommended CPU and libvirt's baseline
 * ({@link io.fleetcpu.aggregates.RecommendationService}, computed by {@link io.fleetcpu.aggregates.Engines}), kept
 * under the aggregate's versions ({@link io.fleetcpu.aggregates.AnswerKey}, {@link io.fleetcpu.aggregates.AnswerCache})
 * with ETags, its renderings per consumer, what-if and admission. May use {@code hosts} (through
 * {@code HostService}, kinds and {@code HostFacts}, never the {@code Host} entity), the engine, {@code catalog},
 * {@code system} and {@code web}; {@code hosts} never uses it back. The HTTP controllers and the implementations of
 * hosts' ports live in {@code aggregates.internal}, which no other module may use.
 */
@NullMarked
@ApplicationModule(
        displayName = "Aggregates and their recommended CPU",
        allowedDependencies = {
            "catalog",
            "hosts",
            "libvirtxml",
            "policy",
            "policy :: baseline",
            "policy :: guest",
            "policy :: render",
            "system",
            "web"
        })
package io.fleetcpu.aggregates;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
