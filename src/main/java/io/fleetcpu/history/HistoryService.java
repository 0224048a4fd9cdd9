package io.fleetcpu.history;

import io.fleetcpu.aggregates.AggregateService;
import io.fleetcpu.hosts.HostRecords;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The CPU drift history of hosts, aggregates and the fleet. */
@Service
public class HistoryService {

    private final CpuEventRepository events;
    private final HostRecords hosts;
    private final AggregateService aggregates;

    HistoryService(CpuEventRepository events, HostRecords hosts, AggregateService aggregates) {
        this.events = events;
        this.hosts = hosts;
        this.aggregates = aggregates;
    }

    /** Newest first; the events outlive the host, so a deleted host's history is still there. */
    @Transactional(readOnly = true)
    public List<CpuEventView> ofHost(UUID id) {
        List<CpuEvent> found = events.findByHostIdOrderByOccurredAtDescIdDesc(id);
        if (found.isEmpty()) {
            hosts.facts(id);
        }
        return found.stream().map(CpuEventView::of).toList();
    }

    @Transactional(readOnly = true)
    public List<CpuEventView> ofAggregate(String id) {
        aggregates.find(id);
        return events.findByAggregate(id).stream().map(CpuEventView::of).toList();
    }

    /** The fleet's latest changes of hosts' CPUs (new hosts left out), newest first. */
    @Transactional(readOnly = true)
    public List<CpuEventView> latestChanges(int limit) {
        return events.findByKindNotOrderByOccurredAtDescIdDesc("registered", Limit.of(limit)).stream()
                .map(CpuEventView::of)
                .toList();
    }

    /** The aggregate's latest events, newest first: a page shows these, not every one. */
    @Transactional(readOnly = true)
    public List<CpuEventView> latestOfAggregate(String id, int limit) {
        aggregates.find(id);
        return events.findByAggregate(id, Limit.of(limit)).stream()
                .map(CpuEventView::of)
                .toList();
    }

    /** Oldest first, from {@code since} on. */
    @Transactional(readOnly = true)
    public List<CpuEventView> since(Instant since, int limit) {
        return events.findByOccurredAtGreaterThanEqualOrderByOccurredAtAscIdAsc(since, Limit.of(limit)).stream()
                .map(CpuEventView::of)
                .toList();
    }
}
