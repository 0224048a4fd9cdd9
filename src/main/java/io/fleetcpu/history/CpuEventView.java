package io.fleetcpu.history;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** A change of a host's CPU as the API shows it. */
@Schema(
        description = "A registration that brought a new host or changed a host's CPU facts, and what it did to the "
                + "recommendations of the host's aggregates")
public record CpuEventView(
        long id,
        @Schema(description = "libvirt's host UUID") UUID hostId,
        @Schema(example = "compute-17") String hostname,
        Instant occurredAt,

        @Schema(
                description = "registered (a new host), cpu-changed, or cpu-view-changed (the host started or "
                        + "stopped sending the hypervisor's view of its CPU: 'added' and 'removed' then compare the physical "
                        + "view, and 'changes' names the cpuView before and after)",
                example = "cpu-changed")
        String kind,

        @Schema(description = "features guests can now get on the host that they could not before")
        List<String> added,

        @Schema(
                description = "features guests could get on the host before and no longer can",
                example = "[\"hle\", \"rtm\"]")
        List<String> removed,

        @Schema(description = "each fact that changed: model, microcode, nested, versions…")
        List<CpuEvent.FactChange> changes,

        @Schema(
                description = "for each of the host's aggregates whose recommendation changed, or whose guests can no "
                        + "longer migrate to the host: the CPU before and after, and what the host now lacks")
        List<CpuEvent.AggregateEffect> aggregates) {

    static CpuEventView of(CpuEvent e) {
        // events are shown once stored, when the database has given them their id
        return new CpuEventView(
                Objects.requireNonNull(e.getId()),
                e.getHostId(),
                e.getHostname(),
                e.getOccurredAt(),
                e.getKind(),
                e.getAdded(),
                e.getRemoved(),
                e.getChanges(),
                e.getAggregates());
    }
}
