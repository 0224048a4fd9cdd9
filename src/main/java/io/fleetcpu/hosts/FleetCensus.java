package io.fleetcpu.hosts;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The fleet's hosts counted by kind of CPU from the counts the database keeps (cpu_kind_hosts, kept by triggers in
 * the transaction that adds, deletes or re-kinds a host): reading them costs O(kinds), never a scan of the host table.
 */
@Service
public class FleetCensus {

    /** The hosts of one kind of CPU, with what a dashboard groups them by. */
    public record KindCount(String kindId, String arch, String vendor, String model, boolean modelKnown, long hosts) {}

    private final JdbcClient jdbc;

    FleetCensus(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every kind of CPU that has hosts, by id. */
    @Transactional(readOnly = true)
    public List<KindCount> hostsByKind() {
        return jdbc.sql("""
                select k.id, k.arch, k.vendor, k.model, k.model_known, c.hosts
                from (select kind_id, sum(hosts) as hosts from cpu_kind_hosts group by kind_id having sum(hosts) > 0) c
                join cpu_kind k on k.id = c.kind_id
                order by k.id
                """)
                .query((rs, i) -> new KindCount(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getBoolean(5),
                        rs.getLong(6)))
                .list();
    }

    /** The fleet's hosts by the catalog (cpu_map) their CPU is read with ({@code CpuKindFacts.catalog}). */
    @Transactional(readOnly = true)
    public Map<String, Long> hostsByCatalog() {
        Map<String, Long> hosts = new TreeMap<>();
        jdbc.sql("""
                select k.catalog, sum(c.hosts)
                from cpu_kind_hosts c join cpu_kind k on k.id = c.kind_id
                group by k.catalog having sum(c.hosts) > 0
                """)
                .query((rs, i) -> hosts.put(rs.getString(1), rs.getLong(2)))
                .list();
        return hosts;
    }
}
