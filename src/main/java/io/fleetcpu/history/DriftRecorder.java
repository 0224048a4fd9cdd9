package io.fleetcpu.history;

import io.fleetcpu.aggregates.GuestCpuOutcome;
import io.fleetcpu.aggregates.GuestCpuService;
import io.fleetcpu.history.CpuEvent.AggregateEffect;
import io.fleetcpu.history.CpuEvent.FactChange;
import io.fleetcpu.hosts.CpuViewpoint;
import io.fleetcpu.hosts.HostCpu;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostFactsRecorded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records every registration that changes a host's CPU facts: what changed, and for each of its aggregates
 * whether the recommended CPU changed and whether guests running the previous one can still migrate to the host
 * (the classic case: a microcode update removes TSX, and Haswell guests cannot come back to the host). A host that
 * starts or stops sending the hypervisor's view of its CPU is a view change ({@code cpu-view-changed}), its features
 * compared in the physical view, not a loss of every feature the two views name differently.
 */
@Component
class DriftRecorder {

    private final CpuEventRepository events;
    private final GuestCpuService guestCpus;
    private final MeterRegistry meters;

    DriftRecorder(CpuEventRepository events, GuestCpuService guestCpus, MeterRegistry meters) {
        this.events = events;
        this.guestCpus = guestCpus;
        this.meters = meters;
        for (String kind : List.of("cpu-changed", "cpu-view-changed")) {
            for (boolean blocks : new boolean[] {false, true}) {
                driftEvents(kind, blocks);
            }
        }
    }

    /**
     * Drift events recorded, by kind, and whether guests running an aggregate's previous CPU can no longer migrate
     * onto the host (docs/metrics.md).
     */
    private Counter driftEvents(String kind, boolean blocksMigration) {
        return Counter.builder("fleetcpu.drift.events")
                .tag("kind", kind)
                .tag("blocks_migration", Boolean.toString(blocksMigration))
                .description("CPU drift events recorded (a registration that changed a host's CPU facts), by kind and "
                        + "whether guests of an aggregate's previous CPU can no longer migrate onto the host")
                .register(meters);
    }

    /** Counted when the registration's transaction commits: a registration tried again is counted once. */
    private void countWhenCommitted(Counter counter) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            counter.increment();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counter.increment();
            }
        });
    }

    @EventListener
    void recorded(HostFactsRecorded event) {
        HostFacts before = event.before();
        HostFacts after = event.after();
        UUID hostId = Objects.requireNonNull(after.id()); // the facts of a stored host, which has its id
        if (before == null) {
            events.save(new CpuEvent(
                    hostId, after.hostname(), event.at(), "registered", List.of(), List.of(), List.of(), List.of()));
            return;
        }
        // The two views name features differently (the hypervisor's leaves out what KVM cannot pass on): when the
        // view changes, features are compared in the physical view, which every host reports.
        boolean viewChanged = CpuViewpoint.of(before) != CpuViewpoint.of(after);
        Function<HostFacts, HostCpu> compared = viewChanged ? HostFacts::cpu : HostFacts::effectiveCpu;
        List<String> was = compared.apply(before).features();
        List<String> now = compared.apply(after).features();
        List<String> added = now.stream().filter(f -> !was.contains(f)).toList();
        List<String> removed = was.stream().filter(f -> !now.contains(f)).toList();
        List<AggregateEffect> effects = new ArrayList<>();
        for (String aggregateId : event.aggregates()) {
            effect(aggregateId, before, after, event.aggregatesBefore().contains(aggregateId))
                    .ifPresent(effects::add);
        }
        String kind = viewChanged ? "cpu-view-changed" : "cpu-changed";
        events.save(new CpuEvent(
                hostId, after.hostname(), event.at(), kind, added, removed, changes(before, after, compared), effects));
        countWhenCommitted(driftEvents(kind, effects.stream().anyMatch(e -> !e.hostRunsPrevious())));
    }

    /** Computed over the aggregate's kinds of CPU, in the registration's transaction, before the host is written. */
    private Optional<AggregateEffect> effect(String aggregateId, HostFacts before, HostFacts after, boolean wasMember) {
        GuestCpuOutcome[] outcomes = guestCpus.guestCpuBeforeAndAfter(aggregateId, before, after, wasMember);
        GuestCpuOutcome previous = outcomes[0];
        GuestCpuOutcome current = outcomes[1];
        List<String> missing = guestCpus.missingOn(previous, after);
        boolean cpuChanged = !Objects.equals(previous.cpu(), current.cpu());
        if (!cpuChanged && missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new AggregateEffect(aggregateId, previous.describe(), current.describe(), missing.isEmpty(), missing));
    }

    private static List<FactChange> changes(HostFacts before, HostFacts after, Function<HostFacts, HostCpu> compared) {
        List<FactChange> changes = new ArrayList<>();
        fact(changes, "cpuView", before, after, h -> CpuViewpoint.of(h).wireName());
        fact(changes, "model", before, after, h -> h.cpu().model());
        fact(changes, "microcode", before, after, h -> h.cpu().microcode());
        fact(
                changes,
                "signature",
                before,
                after,
                h -> h.cpu().signature() == null ? null : h.cpu().signature().text());
        fact(
                changes,
                "hypervisorModel",
                before,
                after,
                h -> h.hypervisorCpu() == null ? null : h.hypervisorCpu().model());
        fact(
                changes,
                "features",
                before,
                after,
                h -> compared.apply(h).features().size() + " features");
        fact(changes, "nested", before, after, h -> h.kernel().nested().wireName());
        fact(changes, "kvmModule", before, after, h -> h.kernel().kvmModule());
        fact(changes, "virtualizationFlag", before, after, h -> h.kernel().virtualizationFlag());
        fact(changes, "kernelRelease", before, after, h -> h.kernel().release());
        fact(
                changes,
                "libvirt",
                before,
                after,
                h -> h.versions() == null ? null : h.versions().libvirt());
        fact(
                changes,
                "qemu",
                before,
                after,
                h -> h.versions() == null ? null : h.versions().qemu());
        fact(
                changes,
                "agent",
                before,
                after,
                h -> h.versions() == null ? null : h.versions().agent());
        fact(
                changes,
                "usableModels",
                before,
                after,
                h -> h.guestModels() == null
                        ? null
                        : String.join(", ", h.guestModels().usableModels()));
        return changes;
    }

    private static void fact(
            List<FactChange> changes,
            String name,
            HostFacts before,
            HostFacts after,
            Function<HostFacts, String> value) {
        String was = value.apply(before);
        String now = value.apply(after);
        if (!Objects.equals(was, now)) {
            changes.add(new FactChange(name, was, now));
        }
    }
}
