package io.fleetcpu.hosts;

import java.util.UUID;

/** Which hosts are in which aggregates, as operators change it and as aggregates go. */
public interface HostMemberships {

    /**
     * An operator puts the host in the aggregate; its registrations leave the membership alone from now on.
     *
     * @return true when the host was not in the aggregate before
     * @throws io.fleetcpu.system.NotFoundException when no host has this id
     */
    boolean join(UUID hostId, String aggregateId);

    /**
     * The host leaves the aggregate, whoever put it there.
     *
     * @return true when the host was in the aggregate
     * @throws io.fleetcpu.system.NotFoundException when no host has this id
     */
    boolean leave(UUID hostId, String aggregateId);

    /**
     * The aggregate is going: its members' next reports are read in full, so that an agent that still names it
     * creates it again. Call it before locking the aggregate: registrations lock their host, then its aggregates, so
     * the members are locked first (in id order, as concurrent deletes of aggregates sharing hosts lock them).
     */
    void forgetReportsOfMembers(String aggregateId);
}
