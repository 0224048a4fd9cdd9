package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.HostMemberships;
import io.fleetcpu.system.NotFoundException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Memberships as operators change them, and as aggregates go; registrations change their agent's own. */
@Service
class Memberships implements HostMemberships {

    private final HostRepository hosts;
    private final AggregateCountLocks countLocks;
    private final JdbcClient jdbc;

    Memberships(HostRepository hosts, AggregateCountLocks countLocks, JdbcClient jdbc) {
        this.hosts = hosts;
        this.countLocks = countLocks;
        this.jdbc = jdbc;
    }

    @Override
    @Transactional
    public boolean join(UUID hostId, String aggregateId) {
        return lockForMembershipChange(hostId, aggregateId).joinAggregate(aggregateId);
    }

    @Override
    @Transactional
    public boolean leave(UUID hostId, String aggregateId) {
        return lockForMembershipChange(hostId, aggregateId).leaveAggregate(aggregateId);
    }

    private Host lockForMembershipChange(UUID hostId, String aggregateId) {
        Host host = hosts.findForUpdate(hostId).orElseThrow(() -> new NotFoundException("no host with id " + hostId));
        countLocks.lock(List.of(aggregateId));
        return host;
    }

    @Override
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
}
