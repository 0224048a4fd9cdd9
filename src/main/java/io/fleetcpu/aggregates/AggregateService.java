package io.fleetcpu.aggregates;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fleetcpu.hosts.AggregateId;
import io.fleetcpu.hosts.AggregatesNamed;
import io.fleetcpu.hosts.Host;
import io.fleetcpu.hosts.HostService;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.NotFoundException;

/** Aggregates, their policies and their members. */
@Service
public class AggregateService {

    /** The stored aggregate and whether the call created it. */
    public record Saved(AggregateView aggregate, boolean created) {
    }

    private final AggregateRepository aggregates;
    private final HostService hosts;
    private final Clock clock;

    AggregateService(AggregateRepository aggregates, HostService hosts, Clock clock) {
        this.aggregates = aggregates;
        this.hosts = hosts;
        this.clock = clock;
    }

    @Transactional
    public AggregateView create(AggregateRequest request) {
        String id = checkId("id", request.id());
        AggregatePolicy policy = readPolicy(request.policy());
        if (aggregates.existsById(id)) {
            throw new ConflictException("Aggregate exists", "aggregate '" + id + "' already exists; PUT /aggregates/" + id
                    + " changes it", List.of());
        }
        return view(aggregates.save(new Aggregate(id, request.description(), policy, clock.instant())));
    }

    /** PUT: creates the aggregate or replaces its description and policy. */
    @Transactional
    public Saved put(String id, AggregateRequest request) {
        checkId("id", id);
        if (request.id() != null && !request.id().equals(id)) {
            throw new InvalidRequestException("id", "the body names aggregate '" + request.id()
                    + "' but the path names '" + id + "'; leave the body's id out or make them equal");
        }
        AggregatePolicy policy = readPolicy(request.policy());
        Aggregate aggregate = aggregates.findById(id).orElse(null);
        if (aggregate == null) {
            return new Saved(view(aggregates.save(new Aggregate(id, request.description(), policy, clock.instant()))), true);
        }
        aggregate.change(request.description(), policy, clock.instant());
        return new Saved(view(aggregates.saveAndFlush(aggregate)), false);
    }

    @Transactional(readOnly = true)
    public AggregateView get(String id) {
        return view(find(id));
    }

    @Transactional(readOnly = true)
    public List<AggregateView> list() {
        return aggregates.findAll().stream().sorted((a, b) -> a.getId().compareTo(b.getId())).map(this::view).toList();
    }

    /** The hosts stay registered; only their membership goes. */
    @Transactional
    public void delete(String id) {
        aggregates.delete(find(id));
    }

    /** @return true when the host was not a member before */
    @Transactional
    public boolean addHost(String id, UUID hostId) {
        find(id);
        return hosts.join(hostId, id);
    }

    @Transactional
    public void removeHost(String id, UUID hostId) {
        find(id);
        if (!hosts.leave(hostId, id)) {
            throw new NotFoundException("host " + hostId + " is not in aggregate '" + id + "'");
        }
    }

    @Transactional(readOnly = true)
    public Aggregate find(String id) {
        return aggregates.findById(id).orElseThrow(() -> new NotFoundException("no aggregate '" + id + "'"));
    }

    @Transactional(readOnly = true)
    public List<Host> members(String id) {
        find(id);
        return hosts.hostsIn(id);
    }

    /**
     * A host's registration names aggregates: make the missing ones, with the default policy. The
     * registration has checked the ids already.
     */
    @EventListener
    void aggregatesNamed(AggregatesNamed event) {
        for (String id : event.aggregateIds()) {
            if (!aggregates.existsById(id)) {
                aggregates.save(new Aggregate(id, "", AggregatePolicy.DEFAULT, clock.instant()));
            }
        }
        aggregates.flush();
    }

    private AggregateView view(Aggregate aggregate) {
        List<AggregateView.Member> members = hosts.hostsIn(aggregate.getId()).stream()
                .map(h -> new AggregateView.Member(h.getId(), h.getHostname())).toList();
        return new AggregateView(aggregate.getId(), aggregate.getDescription(), aggregate.getPolicy(), members,
                aggregate.getCreatedAt(), aggregate.getUpdatedAt());
    }

    private static String checkId(String field, String id) {
        if (!AggregateId.isValid(id)) {
            throw new InvalidRequestException(field, AggregateId.problem(id));
        }
        return id;
    }

    private static AggregatePolicy readPolicy(AggregateRequest.PolicyRequest policy) {
        if (policy == null || policy.goal() == null) {
            return AggregatePolicy.DEFAULT;
        }
        AggregatePolicy.Goal goal = AggregatePolicy.Goal.fromWireName(policy.goal());
        if (goal == null) {
            throw new InvalidRequestException("policy.goal", "'" + policy.goal() + "' is not a goal fleetcpu knows; known: "
                    + java.util.Arrays.stream(AggregatePolicy.Goal.values()).map(AggregatePolicy.Goal::wireName).toList());
        }
        return new AggregatePolicy(goal);
    }
}
