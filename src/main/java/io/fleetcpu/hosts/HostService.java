package io.fleetcpu.hosts;

import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.system.Credential;
import io.fleetcpu.system.NotFoundException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Registration and inventory of hosts; the one way other features reach host records. */
@Service
public class HostService {

    /** The stored host, whether this registration created it, and what it changed. */
    public record Registration(Host host, boolean created, RegistrationChanges changes) {}

    private final HostRepository hosts;
    private final HostReportReader reader;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final CpuKinds kinds;
    private final CpuKindRepository kindRows;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ObjectProvider<AdmissionCheck> admission;
    private final NamedAggregates namedAggregates;
    private final AgentBinding binding;
    private final Catalogs catalogs;
    /** Registrations answered, by outcome (docs/metrics.md): counted once committed. */
    private final Counter registeredNew;

    private final Counter registeredChanged;
    private final Counter registeredUnchanged;

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

    HostService(
            HostRepository hosts,
            HostReportReader reader,
            ApplicationEventPublisher events,
            Clock clock,
            CpuKinds kinds,
            CpuKindRepository kindRows,
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            ObjectProvider<AdmissionCheck> admission,
            NamedAggregates namedAggregates,
            AgentBinding binding,
            Catalogs catalogs,
            MeterRegistry meters) {
        this.catalogs = catalogs;
        this.registeredNew = registrations(meters, "created");
        this.registeredChanged = registrations(meters, "changed");
        this.registeredUnchanged = registrations(meters, "unchanged");
        this.hosts = hosts;
        this.reader = reader;
        this.events = events;
        this.clock = clock;
        this.kinds = kinds;
        this.kindRows = kindRows;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.admission = admission;
        this.namedAggregates = namedAggregates;
        this.binding = binding;
    }

    /** A host as lists show it. */
    public HostView listView(Host host) {
        return HostView.of(host, catalogs);
    }

    /** One host as the API shows it, flagged where its aggregates' guests could not migrate onto it. */
    public HostView view(Host host) {
        AdmissionCheck check = admission.getIfAvailable();
        return HostView.of(
                host,
                catalogs,
                check == null
                        ? List.of()
                        : check.check(
                                host.facts(),
                                host.getAggregates().stream().sorted().toList()));
    }

    /**
     * Idempotent: the same report twice leaves the host as it was after the first, and the second writes nothing
     * but the host's lastSeenAt. An agent registers only its own hosts ({@link AgentBinding}).
     */
    public Registration register(HostReport report, Credential registrant) {
        HostDescription description = reader.read(report);
        binding.check(description.id(), registrant);
        Instant now = clock.instant();
        CpuKindFacts kind = description.kind();
        String digest = description.digest(kind);
        int unchanged = transaction.execute(
                status -> jdbc.sql("update host set last_seen_at = :now where id = :id and report_digest = :digest"
                                + " and (cast(:agent as text) is null or agent_credential = :agent)")
                        .param("now", java.sql.Timestamp.from(now))
                        .param("id", description.id())
                        .param("digest", digest)
                        .param("agent", AgentBinding.requiredOnHost(registrant))
                        .update());
        if (unchanged == 1) {
            registeredUnchanged.increment();
            return new Registration(get(description.id()), false, RegistrationChanges.NONE);
        }
        String kindId = kind.id();
        kinds.store(kind, kindId, now);
        Registration registration = raceRetry.invoke(
                () -> transaction.execute(status -> write(description, kindId, digest, now, registrant)));
        (registration.created() ? registeredNew : registeredChanged).increment();
        return registration;
    }

    private static Counter registrations(MeterRegistry meters, String outcome) {
        return Counter.builder("fleetcpu.registrations")
                .tag("outcome", outcome)
                .description("Host registrations answered, by outcome: created (a new host), changed (the report "
                        + "differed from the one stored), unchanged (the same report again)")
                .register(meters);
    }

    private Registration write(
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
            List<String> locked = lockCounts(counted);
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
        Host.Changes changes =
                host.describe(description, kindRows.findById(kindId).orElseThrow(), digest, now);
        // Written when the transaction commits, last: the host's memberships and kind lock its aggregates' counts.
        return new Registration(
                hosts.save(host),
                created,
                new RegistrationChanges(
                        changes.joined(),
                        changes.left(),
                        createdAggregates,
                        !created && changes.factsChanged(),
                        !created && cpuChanged));
    }

    /**
     * Locks the rows of these aggregates, whose member counts this transaction's triggers will change, in id order.
     * Without it a trigger would first share-lock an aggregate (the foreign key of a new membership) and then update
     * it, and a delete or policy change of the aggregate waiting between the two would deadlock with it. Call it after
     * locking the host: registrations, joins and deletes of aggregates all lock hosts before aggregates.
     */
    private List<String> lockCounts(Collection<String> aggregateIds) {
        if (aggregateIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id from aggregate where id = any(:ids) order by id for no key update")
                .param("ids", aggregateIds.stream().sorted().toArray(String[]::new))
                .query(String.class)
                .list();
    }

    /** What a registration would store, without storing anything (for what-if questions). */
    public HostFacts preview(HostReport report) {
        return reader.read(report).facts();
    }

    @Transactional(readOnly = true)
    public Host get(UUID id) {
        return hosts.findById(id).orElseThrow(() -> new NotFoundException("no host with id " + id));
    }

    /**
     * What the host reported, as other features take a host: the {@link Host} entity stays inside this package.
     *
     * @throws NotFoundException when no host has this id
     */
    @Transactional(readOnly = true)
    public HostFacts facts(UUID id) {
        return get(id).facts();
    }

    @Transactional(readOnly = true)
    public Page<Host> search(
            @Nullable String aggregate,
            @Nullable String vendor,
            @Nullable String model,
            @Nullable String feature,
            @Nullable String kind,
            Pageable page) {
        return hosts.search(aggregate, vendor, model, feature, kind, page);
    }

    @Transactional
    public void delete(UUID id) {
        hosts.delete(get(id));
    }

    /**
     * An operator puts the host in the aggregate; its registrations leave the membership alone from now on.
     *
     * @return true when the host was not in the aggregate before
     */
    @Transactional
    public boolean join(UUID hostId, String aggregateId) {
        return lockForMembershipChange(hostId, aggregateId).joinAggregate(aggregateId);
    }

    /** @return true when the host was in the aggregate */
    @Transactional
    public boolean leave(UUID hostId, String aggregateId) {
        return lockForMembershipChange(hostId, aggregateId).leaveAggregate(aggregateId);
    }

    private Host lockForMembershipChange(UUID hostId, String aggregateId) {
        Host host = hosts.findForUpdate(hostId).orElseThrow(() -> new NotFoundException("no host with id " + hostId));
        lockCounts(List.of(aggregateId));
        return host;
    }

    /**
     * The aggregate is going: its members' next reports are read in full, so that an agent that still names it
     * creates it again. Call it before locking the aggregate: registrations lock their host, then its aggregates, so
     * the members are locked first (in id order, as concurrent deletes of aggregates sharing hosts lock them).
     */
    @Transactional
    public void forgetReportsOfMembers(String aggregateId) {
        jdbc.sql("""
                update host set report_digest = null
                where id in (select h.id from host h
                             where exists (select 1 from aggregate_host m
                                           where m.host_id = h.id and m.aggregate_id = :aggregate)
                             order by h.id for update)
                """).param("aggregate", aggregateId).update();
    }

    // ---- hosts by kind -------------------------------------------------------------------------------------------
}
