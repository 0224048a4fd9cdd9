package io.fleetcpu.hosts;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fleetcpu.system.NotFoundException;

/** Registration and inventory of hosts; the one way other features reach host records. */
@Service
public class HostService {

    /** The stored host, and whether this registration created it. */
    public record Registration(Host host, boolean created) {
    }

    private final HostRepository hosts;
    private final HostReportReader reader;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    private final ObjectProvider<AdmissionCheck> admission;

    HostService(HostRepository hosts, HostReportReader reader, ApplicationEventPublisher events, Clock clock,
            ObjectProvider<AdmissionCheck> admission) {
        this.hosts = hosts;
        this.reader = reader;
        this.events = events;
        this.clock = clock;
        this.admission = admission;
    }

    /** One host as the API shows it, flagged where its aggregates' guests could not migrate onto it. */
    @Transactional(readOnly = true)
    public HostView view(Host host) {
        AdmissionCheck check = admission.getIfAvailable();
        return HostView.of(host, check == null ? List.of()
                : check.check(host.facts(), host.getAggregates().stream().sorted().toList()));
    }

    /** Idempotent: the same report twice leaves the host as it was after the first. */
    @Transactional
    public Registration register(HostReport report) {
        HostDescription description = reader.read(report);
        events.publishEvent(new AggregatesNamed(description.aggregates()));
        Instant now = clock.instant();
        Host host = hosts.findById(description.id()).orElse(null);
        boolean created = host == null;
        HostFacts before = created ? null : host.facts();
        if (created) {
            host = new Host(description.id(), now);
        }
        if (created || host.differsFrom(description)) {
            host.describe(description, now);
        }
        Host saved = hosts.saveAndFlush(host);
        HostFacts after = saved.facts();
        if (!after.sameCpuFacts(before)) {
            events.publishEvent(new HostFactsRecorded(before, after, List.copyOf(saved.getAggregates()), now));
        }
        return new Registration(saved, created);
    }

    /** What a registration would store, without storing anything (for what-if questions). */
    public HostFacts preview(HostReport report) {
        HostDescription d = reader.read(report);
        return new HostFacts(d.id(), d.hostname(), d.cpu(), d.hypervisorCpu(), d.kernel(), d.versions(), d.guestModels());
    }

    @Transactional(readOnly = true)
    public Host get(UUID id) {
        return hosts.findById(id).orElseThrow(() -> new NotFoundException("no host with id " + id));
    }

    @Transactional(readOnly = true)
    public Page<Host> search(String aggregate, String vendor, String model, String feature, Pageable page) {
        return hosts.search(aggregate, vendor, model, feature, page);
    }

    @Transactional
    public void delete(UUID id) {
        hosts.delete(get(id));
    }

    @Transactional(readOnly = true)
    public List<Host> hostsIn(String aggregateId) {
        return hosts.findByAggregate(aggregateId);
    }

    @Transactional(readOnly = true)
    public List<Host> all() {
        return hosts.findAll();
    }

    /** @return true when the host was not in the aggregate before */
    @Transactional
    public boolean join(UUID hostId, String aggregateId) {
        return get(hostId).joinAggregate(aggregateId, clock.instant());
    }

    /** @return true when the host was in the aggregate */
    @Transactional
    public boolean leave(UUID hostId, String aggregateId) {
        return get(hostId).leaveAggregate(aggregateId, clock.instant());
    }

    /** The fleet counted the ways a dashboard shows it. */
    @Transactional(readOnly = true)
    public InventoryView inventory() {
        List<HostRepository.CpuKindCount> kinds = hosts.countByCpuKind();
        Map<String, Long> byAggregate = new TreeMap<>();
        hosts.countByAggregate().forEach(c -> byAggregate.put(c.getAggregate(), c.getHosts()));
        return new InventoryView(kinds.stream().mapToLong(HostRepository.CpuKindCount::getHosts).sum(),
                countBy(kinds, HostRepository.CpuKindCount::getArch),
                countBy(kinds, HostRepository.CpuKindCount::getVendor),
                countBy(kinds, HostRepository.CpuKindCount::getModel),
                countBy(kinds, HostRepository.CpuKindCount::getMicrocode),
                byAggregate, hosts.countInNoAggregate(), hosts.unknownFeatures());
    }

    private static Map<String, Long> countBy(List<HostRepository.CpuKindCount> kinds,
            Function<HostRepository.CpuKindCount, String> value) {
        Map<String, Long> counts = new TreeMap<>();
        for (HostRepository.CpuKindCount kind : kinds) {
            String key = value.apply(kind) == null ? "unknown" : value.apply(kind);
            counts.merge(key, kind.getHosts(), Long::sum);
        }
        return counts;
    }
}
