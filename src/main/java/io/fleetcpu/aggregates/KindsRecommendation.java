package io.fleetcpu.aggregates;

import io.fleetcpu.policy.PolicyRecommendation;
import org.jspecify.annotations.Nullable;

/**
 * What {@code recommended-cpu} would answer for an aggregate of exactly some kinds of CPU (a migration domain's hosts):
 * the recommendation, renamed for people, with its libvirt {@code <cpu>}; or why there is none.
 *
 * @param recommendation null when refused
 * @param migrationContract what guests must be started with beyond the CPU to move between these hosts; null when
 *     refused
 * @param libvirtXml the guest CPU as libvirt's {@code <cpu>}; null when refused
 * @param novaConf the {@code [libvirt]} section of nova.conf, as {@code format=nova-conf} writes it; null when refused
 * @param refusal why no CPU fits these hosts (as recommended-cpu's 409 says it); null when answered
 */
public record KindsRecommendation(
        @Nullable PolicyRecommendation recommendation,
        @Nullable MigrationContractView migrationContract,
        @Nullable String libvirtXml,
        @Nullable String novaConf,
        @Nullable String refusal) {}
