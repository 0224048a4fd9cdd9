package io.fleetcpu.aggregates;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fleetcpu.aggregates.internal.Aggregate;
import io.fleetcpu.aggregates.internal.AggregateRepository;
import io.fleetcpu.aggregates.internal.AggregateSnapshot;
import io.fleetcpu.aggregates.internal.AggregateVersion;
import io.fleetcpu.hosts.FleetCensus;
import io.fleetcpu.hosts.HostMemberships;
import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.policy.CpuPolicy;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.JsonMergePatch;
import io.fleetcpu.system.NotFoundException;
import io.fleetcpu.system.PreconditionFailedException;
import io.fleetcpu.web.AggregateId;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/** Aggregates, their policies and their members. */
@Service
public class AggregateService {

    /** The stored aggregate and whether the call created it. */
    public record Saved(AggregateView aggregate, boolean created) {}

    private final AggregateRepository aggregates;
    private final HostMemberships memberships;
    private final FleetCensus census;
    private final Clock clock;

    private final PolicyReader policies;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    private final JsonMapper json;

    private final Catalogs catalogs;

    AggregateService(
            AggregateRepository aggregates,
            HostMemberships memberships,
            FleetCensus census,
            Clock clock,
            PolicyReader policies,
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            JsonMapper json,
            Catalogs catalogs) {
        this.json = json;
        this.catalogs = catalogs;
        this.aggregates = aggregates;
        this.memberships = memberships;
        this.census = census;
        this.clock = clock;
        this.policies = policies;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** 409 when the aggregate exists, also when another request creates it at the same moment. */
    public AggregateView create(AggregateRequest request) {
        String id = checkId("id", request.id());
        checkDescription(request.description());
        CpuPolicy policy = policies.read(request.policy());
        ConflictException exists = new ConflictException(
                "Aggregate exists",
                "aggregate '" + id + "' already exists; PUT /aggregates/" + id + " changes it",
                List.of());
        try {
            return transaction.execute(status -> {
                if (aggregates.existsById(id)) {
                    throw exists;
                }
                return view(aggregates.save(new Aggregate(id, request.description(), policy, clock.instant())));
            });
        } catch (DataIntegrityViolationException e) {
            throw exists; // created by another request between the check and the insert
        }
    }

    /**
     * PUT: creates the aggregate or replaces its description and policy. Changes of one aggregate take turns on its
     * row, so an If-Match race has one winner and 412s. When another request creates the aggregate while this one
     * does, this one's If-Match no longer holds (412); without If-Match, it is applied again as a change: the later
     * write wins, as it would one moment later.
     *
     * @param ifMatch the ETag the client last saw, or null to change it whatever its version
     */
    public Saved put(String id, AggregateRequest request, @Nullable String ifMatch) {
        try {
            return transaction.execute(status -> putOnce(id, request, ifMatch));
        } catch (DataIntegrityViolationException e) {
            if (ifMatch != null) {
                throw new PreconditionFailedException("aggregate '" + id + "' was created by another request while "
                        + "this one was applied; GET it again and reapply the change");
            }
            return transaction.execute(status -> putOnce(id, request, null));
        }
    }

    private Saved putOnce(String id, AggregateRequest request, @Nullable String ifMatch) {
        checkId("id", id);
        Change change = checked(id, request);
        Aggregate aggregate = aggregates.findForUpdate(id).orElse(null);
        checkVersion(id, aggregate, ifMatch);
        if (aggregate == null) {
            return new Saved(
                    view(aggregates.save(new Aggregate(id, change.description(), change.policy(), clock.instant()))),
                    true);
        }
        return new Saved(store(aggregate, change), false);
    }

    /**
     * PATCH: an RFC 7396 merge patch over the aggregate as GET shows its id, description and policy; what it leaves
     * out stays, a null puts the field back to its default. The result is checked as a PUT body is, and changes of
     * one aggregate take turns on its row as PUTs do, so an If-Match race has one winner and 412s.
     *
     * @param ifMatch the ETag the client last saw, or null to change it whatever its version
     */
    public AggregateView patch(String id, JsonNode patch, @Nullable String ifMatch) {
        if (patch == null || !patch.isObject()) {
            throw new InvalidRequestException(
                    "body",
                    "a merge patch of an aggregate is a JSON object, e.g. "
                            + "{\"description\": \"…\"} or {\"policy\": {\"goal\": \"balanced\"}}");
        }
        return transaction.execute(status -> {
            Aggregate aggregate = aggregates
                    .findForUpdate(id)
                    .orElseThrow(() ->
                            new NotFoundException("no aggregate '" + id + "'; PUT /aggregates/" + id + " creates it"));
            checkVersion(id, aggregate, ifMatch);
            JsonNode current = json.valueToTree(
                    new AggregateRequest(id, aggregate.getDescription(), AggregatePolicy.of(aggregate.getPolicy())));
            AggregateRequest patched;
            try {
                patched = json.treeToValue(JsonMergePatch.apply(current, patch), AggregateRequest.class);
            } catch (DatabindException e) {
                String field = e.getPath().stream()
                        .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                        .collect(java.util.stream.Collectors.joining("."))
                        .replace(".[", "[");
                throw new InvalidRequestException(
                        field.isEmpty() ? "body" : field,
                        e instanceof UnrecognizedPropertyException
                                ? "not a field of an aggregate"
                                : "not a value this field takes");
            }
            return store(aggregate, checked(id, patched));
        });
    }

    /** What a PUT or a patched aggregate says, checked: the description and the policy read. */
    private record Change(@Nullable String description, CpuPolicy policy) {}

    private Change checked(String id, AggregateRequest request) {
        checkDescription(request.description());
        if (request.id() != null && !request.id().equals(id)) {
            throw new InvalidRequestException(
                    "id",
                    "the body names aggregate '" + request.id() + "' but the path names '" + id
                            + "'; leave the body's id out or make them equal");
        }
        return new Change(request.description(), policies.read(request.policy()));
    }

    private AggregateView store(Aggregate aggregate, Change change) {
        aggregate.change(change.description(), change.policy(), clock.instant());
        return view(aggregates.saveAndFlush(aggregate));
    }

    @Transactional(readOnly = true)
    public AggregateView get(String id) {
        return view(find(id));
    }

    /** Which of these aggregates exist now (events name aggregates that may have been deleted since). */
    @Transactional(readOnly = true)
    public java.util.Set<String> existing(java.util.Collection<String> ids) {
        return aggregates.findAllById(ids).stream().map(Aggregate::getId).collect(java.util.stream.Collectors.toSet());
    }

    /** One page of the aggregates, by id: what a page of a listing of thousands of aggregates shows. */
    @Transactional(readOnly = true)
    public org.springframework.data.domain.Page<AggregateView> page(int page, int size) {
        return aggregates
                .findAll(org.springframework.data.domain.PageRequest.of(
                        page, size, org.springframework.data.domain.Sort.by("id")))
                .map(this::view);
    }

    @Transactional(readOnly = true)
    public List<AggregateView> list() {
        return aggregates.findAll().stream()
                .sorted((a, b) -> a.getId().compareTo(b.getId()))
                .map(this::view)
                .toList();
    }

    /**
     * The hosts stay registered; only their membership goes. The members are locked before the aggregate, in the
     * order registrations lock them (host, then its aggregates), so a delete and registrations into the aggregate take
     * turns instead of deadlocking.
     */
    @Transactional
    public void delete(String id, @Nullable String ifMatch) {
        memberships.forgetReportsOfMembers(named(id));
        Aggregate aggregate = aggregates.findForUpdate(id).orElseThrow(() -> notFound(id));
        checkVersion(id, aggregate, ifMatch);
        aggregates.delete(aggregate);
    }

    /** If-Match: the client changes the aggregate only as it last saw it. */
    private void checkVersion(String id, @Nullable Aggregate aggregate, @Nullable String ifMatch) {
        if (ifMatch == null) {
            return;
        }
        if (aggregate == null) {
            throw new PreconditionFailedException(
                    "If-Match names a version of aggregate '" + id + "', which does not exist");
        }
        String current = view(aggregate).etag();
        boolean matches = java.util.Arrays.stream(ifMatch.split(","))
                .map(String::strip)
                .anyMatch(tag -> tag.equals("*") || tag.equals(current));
        if (!matches) {
            throw new PreconditionFailedException("aggregate '" + id + "' changed since " + ifMatch + " (now " + current
                    + "); GET it again and reapply the change");
        }
    }

    /** @return true when the host was not a member before */
    @Transactional
    public boolean addHost(String id, UUID hostId) {
        find(id);
        return memberships.join(hostId, id);
    }

    @Transactional
    public void removeHost(String id, UUID hostId) {
        find(id);
        if (!memberships.leave(hostId, id)) {
            throw new NotFoundException("host " + hostId + " is not in aggregate '" + id + "'");
        }
    }

    @Transactional(readOnly = true)
    public Aggregate find(String id) {
        return aggregates.findById(named(id)).orElseThrow(() -> notFound(id));
    }

    /**
     * An id that cannot name an aggregate is not looked up: no aggregate has it, and text PostgreSQL cannot take
     * (a NUL character) would fail the query.
     */
    private static String named(String id) {
        if (!AggregateId.isValid(id)) {
            throw notFound(id);
        }
        return id;
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("no aggregate '" + id + "'");
    }

    /** The versions the aggregate's answers are cached under: one small statement, no transaction, no host read. */
    AggregateVersion version(String id) {
        named(id);
        return jdbc.sql("select created_at, version, members_version from aggregate where id = :id")
                .param("id", id)
                .query((rs, i) ->
                        new AggregateVersion(id, rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getLong(3)))
                .optional()
                .orElseThrow(() -> notFound(id));
    }

    /** The versions of the first aggregates by id (one statement over the aggregate table, at most {@code limit} rows). */
    List<AggregateVersion> versions(int limit) {
        return jdbc.sql("select id, created_at, version, members_version from aggregate order by id limit :limit")
                .param("limit", limit)
                .query((rs, i) -> new AggregateVersion(
                        rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getLong(4)))
                .list();
    }

    /** How many hosts the aggregate has, from the counts kept per kind (no host row read). */
    int hostCount(String id) {
        return jdbc.sql("select coalesce(sum(hosts), 0) from aggregate_kind where aggregate_id = :id")
                .param("id", id)
                .query(Integer.class)
                .single();
    }

    /** How many aggregates there are. */
    long count() {
        return jdbc.sql("select count(*) from aggregate").query(Long.class).single();
    }

    /**
     * The aggregate's policy, members by kind with a few hosts of each, and versions, read in one snapshot, so that
     * an answer computed from it belongs to exactly its version.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    AggregateSnapshot snapshot(String id) {
        Aggregate aggregate = find(id);
        return new AggregateSnapshot(
                id,
                aggregate.getPolicy(),
                new AggregateVersion(
                        id, aggregate.getCreatedAt(), aggregate.getVersion(), aggregate.getMembersVersion()),
                census.kindsIn(id, true),
                census.firstHostKind(id));
    }

    /**
     * The aggregate's versions and members by kind, without example hosts: one statement (so one snapshot), the
     * policy from memory once read for its version. What admission and drift need, at every registration.
     */
    AggregateSnapshot counts(String id) {
        named(id);
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        AggregateVersion[] version = new AggregateVersion[1];
        jdbc.sql("""
                select a.created_at, a.version, a.members_version, k.kind_id, k.hosts
                from aggregate a left join aggregate_kind k on k.aggregate_id = a.id
                where a.id = :id order by k.kind_id
                """).param("id", id).query(rs -> {
            version[0] = new AggregateVersion(id, rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getLong(3));
            if (rs.getString(4) != null) {
                counts.put(rs.getString(4), rs.getInt(5));
            }
        });
        if (version[0] == null) {
            throw notFound(id);
        }
        CpuPolicy policy = policyOf(version[0]);
        // The policy changed between the two reads: read both again.
        return policy != null ? new AggregateSnapshot(id, policy, version[0], census.kinds(counts), null) : counts(id);
    }

    /** Policies by aggregate and policy version (members version 0): a version's policy never changes. */
    private final Cache<AggregateVersion, CpuPolicy> policiesByVersion =
            Caffeine.newBuilder().maximumSize(10_000).build();

    /** The policy of exactly this version, or null when the aggregate has another one now. */
    private @Nullable CpuPolicy policyOf(AggregateVersion version) {
        AggregateVersion key = new AggregateVersion(version.aggregate(), version.created(), version.policy(), 0);
        CpuPolicy known = policiesByVersion.getIfPresent(key);
        if (known != null) {
            return known;
        }
        Aggregate aggregate = find(version.aggregate());
        AggregateVersion read =
                new AggregateVersion(aggregate.getId(), aggregate.getCreatedAt(), aggregate.getVersion(), 0);
        policiesByVersion.put(read, aggregate.getPolicy());
        return read.equals(key) ? aggregate.getPolicy() : null;
    }

    private AggregateView view(Aggregate aggregate) {
        List<KindMembers> kinds = census.kindsIn(aggregate.getId(), true);
        return new AggregateView(
                aggregate.getId(),
                aggregate.getDescription(),
                AggregatePolicy.of(aggregate.getPolicy()),
                kinds.stream().mapToInt(KindMembers::hosts).sum(),
                KindView.of(aggregate.getId(), kinds, catalogs),
                aggregate.getCreatedAt(),
                aggregate.getUpdatedAt(),
                aggregate.getVersion());
    }

    /** Free text for people, but not control characters a database or a terminal would choke on. */
    private static void checkDescription(@Nullable String description) {
        if (description == null) {
            return;
        }
        if (description.length() > 1000) {
            throw new InvalidRequestException("description", "longer than 1000 characters");
        }
        boolean unprintable = description
                .codePoints()
                .anyMatch(c -> (Character.isISOControl(c) && c != '\n' && c != '\t')
                        || Character.getType(c) == Character.SURROGATE);
        if (unprintable) {
            throw new InvalidRequestException("description", "contains control characters or a lone surrogate");
        }
    }

    private static String checkId(String field, @Nullable String id) {
        if (id == null || !AggregateId.isValid(id)) {
            throw new InvalidRequestException(field, AggregateId.problem(id));
        }
        return id;
    }
}
