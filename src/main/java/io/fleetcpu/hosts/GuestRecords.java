package io.fleetcpu.hosts;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The guests the hosts' agents reported, as stored by their last registrations. */
public interface GuestRecords {

    /**
     * The members of an aggregate and the guests each reported.
     *
     * @throws io.fleetcpu.system.NotFoundException when there is no such aggregate
     */
    List<MemberGuests> guestsIn(String aggregateId);

    /**
     * For each of these aggregates with members, a digest of its members and the guests they reported: equal
     * digests, equal guests on equal members. One statement, which reads no host row.
     */
    Map<String, String> guestVersions(Collection<String> aggregateIds);

    /**
     * A member host and its guests.
     *
     * @param kindId the host's kind of CPU
     * @param guests what its last registration reported; null when it reported no guests (an agent that does not, or
     *               {@code --max-guests 0})
     */
    record MemberGuests(
            UUID hostId,
            String hostname,
            String kindId,
            @Nullable HostGuests guests) {}
}
