/**
 * Aggregates of hosts and their answers: membership, the policy operators write
 * ({@link io.fleetcpu.aggregates.PolicyReader}), the recommended CPU and libvirt's baseline
 * ({@link io.fleetcpu.aggregates.RecommendationService}, computed by {@code internal.Engines}), kept
 * under the aggregate's versions ({@code internal.AnswerKey}, {@code internal.AnswerCache})
 * with ETags, its renderings per consumer, what-if and admission. May use {@code hosts} (through
 * {@code HostRecords}, {@code HostMemberships}, {@code FleetCensus}, kinds and {@code HostFacts}, never
 * {@code hosts.internal}), the engine, {@code catalog},
 * {@code system} and {@code web}; {@code hosts} never uses it back. Its HTTP controllers live in {@code aggregates.web};
 * its machinery (the aggregate entity and repository, snapshots and versions, the engines and answer caches, the
 * port that creates missing aggregates) in {@code aggregates.internal}. No other module may use either (Modulith's
 * verify), and they never use each other: web → this package → internal.
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
            "policy :: migration",
            "policy :: render",
            "system",
            "web"
        })
package io.fleetcpu.aggregates;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
