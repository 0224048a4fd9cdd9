package io.fleetcpu.aggregates.internal;

import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.policy.CpuPolicy;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an aggregate's answers are computed from, read in one database snapshot: its policy, its members counted by
 * kind of CPU, and the versions that change with either.
 *
 * @param firstHostKind the kind of its first host by hostname (libvirt's baseline prefers that host's model)
 */
public record AggregateSnapshot(
        String id,
        CpuPolicy policy,
        AggregateVersion version,
        List<KindMembers> kinds,
        @Nullable String firstHostKind) {

    public AggregateSnapshot {
        kinds = List.copyOf(kinds);
    }

    public int hostCount() {
        return kinds.stream().mapToInt(KindMembers::hosts).sum();
    }
}
