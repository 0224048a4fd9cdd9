package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.GuestRecords;
import io.fleetcpu.hosts.HostGuest;
import io.fleetcpu.hosts.HostGuests;
import io.fleetcpu.policy.guest.GuestConfiguration;
import io.fleetcpu.system.NotFoundException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The guest tables: written by {@link Registrations} (the whole set of a host at once), read per aggregate. */
@Service
class StoredGuests implements GuestRecords {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    StoredGuests(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * Replaces the host's guests with these, in the caller's transaction; null forgets them.
     *
     * @return whether they differ from those stored
     */
    boolean replace(UUID hostId, @Nullable HostGuests guests, Instant now) {
        String before = jdbc.sql("select digest from host_guests where host_id = :host")
                .param("host", hostId)
                .query(String.class)
                .optional()
                .orElse(null);
        String after = guests == null ? null : digest(guests);
        if (Objects.equals(before, after)) {
            if (after != null) {
                jdbc.sql("update host_guests set reported_at = :now where host_id = :host")
                        .param("host", hostId)
                        .param("now", Timestamp.from(now))
                        .update();
            }
            return false;
        }
        jdbc.sql("delete from guest where host_id = :host")
                .param("host", hostId)
                .update();
        jdbc.sql("delete from host_guests where host_id = :host")
                .param("host", hostId)
                .update();
        if (guests == null) {
            return true;
        }
        jdbc.sql("insert into host_guests (host_id, total, digest, reported_at) values (:host, :total, :digest, :now)")
                .param("host", hostId)
                .param("total", guests.total())
                .param("digest", after)
                .param("now", Timestamp.from(now))
                .update();
        List<Object[]> rows = new ArrayList<>(guests.guests().size());
        for (HostGuest guest : guests.guests()) {
            GuestConfiguration c = guest.configuration();
            rows.add(new Object[] {
                hostId,
                guest.uuid(),
                guest.name(),
                guest.running(),
                c.machineType(),
                c.mode(),
                c.match(),
                c.model(),
                c.featuresText()
            });
        }
        batch.batchUpdate(
                "insert into guest (host_id, uuid, name, running, machine_type, cpu_mode, cpu_match, cpu_model,"
                        + " cpu_features) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows);
        return true;
    }

    /** The set's digest: its canonical form (guests by UUID). */
    private static String digest(HostGuests guests) {
        StringBuilder text = new StringBuilder().append(guests.total());
        guests.guests().stream()
                .sorted(Comparator.comparing(HostGuest::uuid))
                .forEach(g -> text.append('\n').append(g));
        return HostDescription.sha256(text.toString());
    }

    @Override
    @Transactional(readOnly = true)
    public List<MemberGuests> guestsIn(String aggregateId) {
        if (jdbc.sql("select count(*) from aggregate where id = :id")
                        .param("id", aggregateId)
                        .query(Long.class)
                        .single()
                == 0) {
            throw new NotFoundException("no aggregate '" + aggregateId + "'");
        }
        Map<UUID, Member> members = new LinkedHashMap<>();
        jdbc.sql("select h.id, h.hostname, h.kind_id, g.total from aggregate_host m join host h on h.id = m.host_id"
                        + " left join host_guests g on g.host_id = h.id where m.aggregate_id = :id"
                        + " order by h.hostname, h.id")
                .param("id", aggregateId)
                .query((rs, n) -> new Member(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        (Integer) rs.getObject(4),
                        new ArrayList<>()))
                .list()
                .forEach(m -> members.put(m.id(), m));
        jdbc.sql("select g.host_id, g.uuid, g.name, g.running, g.machine_type, g.cpu_mode, g.cpu_match, g.cpu_model,"
                        + " g.cpu_features from guest g join aggregate_host m on m.host_id = g.host_id"
                        + " where m.aggregate_id = :id order by g.name, g.uuid")
                .param("id", aggregateId)
                .query((rs, n) -> {
                    Member member = members.get(rs.getObject(1, UUID.class));
                    if (member != null) {
                        member.guests()
                                .add(new HostGuest(
                                        rs.getObject(2, UUID.class),
                                        rs.getString(3),
                                        rs.getBoolean(4),
                                        new GuestConfiguration(
                                                rs.getString(6),
                                                rs.getString(7),
                                                rs.getString(8),
                                                GuestConfiguration.featuresOf(rs.getString(9)),
                                                rs.getString(5))));
                    }
                    return n;
                })
                .list();
        return members.values().stream()
                .map(m -> new MemberGuests(
                        m.id(),
                        m.hostname(),
                        m.kindId(),
                        m.total() == null ? null : new HostGuests(m.total(), m.guests())))
                .toList();
    }

    @Override
    @Transactional(readOnly = true)
    public Map<String, String> guestVersions(Collection<String> aggregateIds) {
        Map<String, String> versions = new LinkedHashMap<>();
        if (aggregateIds.isEmpty()) {
            return versions;
        }
        jdbc.sql("select m.aggregate_id, md5(string_agg(m.host_id::text || ':' || coalesce(g.digest, '-'), ','"
                        + " order by m.host_id)) from aggregate_host m left join host_guests g on g.host_id = m.host_id"
                        + " where m.aggregate_id = any(:ids) group by m.aggregate_id")
                .param("ids", aggregateIds.toArray(String[]::new))
                .query((rs, n) -> versions.put(rs.getString(1), rs.getString(2)))
                .list();
        return versions;
    }

    private record Member(
            UUID id,
            String hostname,
            String kindId,
            @Nullable Integer total,
            List<HostGuest> guests) {}
}
