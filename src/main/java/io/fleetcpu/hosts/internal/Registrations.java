package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostFactsRecorded;
import io.fleetcpu.hosts.HostRegistration;
import io.fleetcpu.hosts.HostReport;
import io.fleetcpu.hosts.NamedAggregates;
import io.fleetcpu.hosts.RegistrationChanges;
import io.fleetcpu.system.Credential;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registration: a report read and checked, its kind of CPU stored, the host written with its memberships, and a
 * change of CPU published ({@link HostFactsRecorded}).
 */
@Service
class Registrations implements HostRegistration {

    private final HostRepository hosts;
    private final HostReportReader reader;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final CpuKinds kinds;
    private final CpuKindRepository kindRows;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final NamedAggregates namedAggregates;
    private final AgentBinding binding;
    private final AggregateCountLocks countLocks;
    private final HostViews views;
    private final RegistrationOutcomes outcomes;
    private final StoredGuests guests;

    /**
     * Registrations of one known host take turns on its row (locked for the write). Two registrations of one new
     * host race to insert it: the loser sees the winner's row when it tries again. Deadlocks between registrations
     * moving hosts between the same aggregates in opposite orders are retried too.
     */
    private final RetryTemplate raceRetry = new RetryTemplate(RetryPolicy.builder()
            .maxRetries(5)
            .delay(Duration.ofMillis(5))
            .jitter(Duration.ofMillis(5))
            .includes(DataIntegrityViolationException.class, ConcurrencyFailureException.class)
            .build());

    Registrations(
            HostRepository hosts,
            HostReportReader reader,
            ApplicationEventPublisher events,
            Clock clock,
            CpuKinds kinds,
            CpuKindRepository kindRows,
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            NamedAggregates namedAggregates,
            AgentBinding binding,
            AggregateCountLocks countLocks,
            HostViews views,
            RegistrationOutcomes outcomes,
            StoredGuests guests) {
        this.hosts = hosts;
        this.reader = reader;
        this.events = events;
        this.clock = clock;
        this.kinds = kinds;
        this.kindRows = kindRows;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.namedAggregates = namedAggregates;
        this.binding = binding;
        this.countLocks = countLocks;
        this.views = views;
        this.outcomes = outcomes;
        this.guests = guests;
    }

    @Override
    public Registered register(HostReport report, Credential registrant) {
        HostDescription description = reader.read(report);
        binding.check(description.id(), registrant);
        Instant now = clock.instant();
        CpuKindFacts kind = description.kind();
        String digest = description.digest(kind);
        int unchanged = transaction.execute(
                status -> jdbc.sql("update host set last_seen_at = :now where id = :id and report_digest = :digest"
                                + " and (cast(:agent as text) is null or agent_credential = :agent)")
                        .param("now", Timestamp.from(now))
                        .param("id", description.id())
                        .param("digest", digest)
                        .param("agent", AgentBinding.requiredOnHost(registrant))
                        .update());
        if (unchanged == 1) {
            outcomes.unchanged();
            return new Registered(
                    views.shown(hosts.findById(description.id()).orElseThrow()).registered(RegistrationChanges.NONE),
                    false);
        }
        String kindId = kind.id();
        kinds.store(kind, kindId, now);
        Written written = raceRetry.invoke(
                () -> transaction.execute(status -> write(description, kindId, digest, now, registrant)));
        outcomes.written(written.created());
        // Shown once committed: the admission check reads the aggregates without holding the host's lock.
        return new Registered(views.shown(written.host()).registered(written.changes()), written.created());
    }

    /** The host as stored, whether it is new, and what the registration changed. */
    private record Written(Host host, boolean created, RegistrationChanges changes) {}

    private Written write(
            HostDescription description, String kindId, String digest, Instant now, Credential registrant) {
        Host host = hosts.findForUpdate(description.id()).orElse(null);
        binding.check(description.id(), host, registrant);
        boolean created = host == null;
        if (host == null) {
            host = new Host(description.id(), now);
        }
        Set<String> aggregatesBefore = host.getAggregates();
        Set<String> aggregatesAfter = host.aggregatesAfter(description.aggregates());
        List<String> createdAggregates = aggregatesBefore.containsAll(description.aggregates())
                ? List.of()
                : namedAggregates.createMissing(description.aggregates());
        if (!aggregatesAfter.equals(aggregatesBefore)
                || !created
                        && (!host.getKind().getId().equals(kindId)
                                || !host.getHostname().equals(description.hostname()))) {
            Set<String> counted = new TreeSet<>(aggregatesAfter);
            counted.addAll(aggregatesBefore);
            List<String> locked = countLocks.lock(counted);
            if (!locked.containsAll(description.aggregates())) {
                // Deleted since createMissing saw it: the next attempt makes it again.
                throw new ConcurrencyFailureException(
                        "an aggregate named by the registration of " + description.id() + " was deleted meanwhile");
            }
        }
        HostFacts before = created ? null : host.facts();
        HostFacts after = description.facts();
        boolean cpuChanged = !after.sameCpuFacts(before);
        if (cpuChanged) {
            events.publishEvent(new HostFactsRecorded(
                    before, after, List.copyOf(new TreeSet<>(aggregatesBefore)), List.copyOf(aggregatesAfter), now));
        }
        binding.claim(host, registrant);
        boolean guestsChanged = guests.replace(description.id(), description.guests(), now);
        Host.Changes changes =
                host.describe(description, kindRows.findById(kindId).orElseThrow(), digest, now);
        // Written when the transaction commits, last: the host's memberships and kind lock its aggregates' counts.
        return new Written(
                hosts.save(host),
                created,
                new RegistrationChanges(
                        changes.joined(),
                        changes.left(),
                        createdAggregates,
                        !created && changes.factsChanged(),
                        !created && cpuChanged,
                        !created && guestsChanged));
    }

    @Override
    public HostFacts preview(HostReport report) {
        return reader.read(report).facts();
    }
}
