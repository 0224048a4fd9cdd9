package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.FleetCensus;
import io.fleetcpu.hosts.InventoryView;
import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.policy.Catalogs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The census from the counts the database keeps; {@link Registrations} and {@link StoredHosts} write. */
@Service
class StoredCensus implements FleetCensus {

    private final JdbcClient jdbc;
    private final CpuKinds kinds;
    private final HostRepository hosts;
    private final Catalogs catalogs;

    StoredCensus(JdbcClient jdbc, CpuKinds kinds, HostRepository hosts, Catalogs catalogs) {
        this.jdbc = jdbc;
        this.kinds = kinds;
        this.hosts = hosts;
        this.catalogs = catalogs;
    }

    @Override
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

    @Override
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

    @Override
    @Transactional(readOnly = true)
    public List<KindMembers> kindsIn(String aggregateId, boolean examples) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbc.sql("select kind_id, hosts from aggregate_kind where aggregate_id = :aggregate order by kind_id")
                .param("aggregate", aggregateId)
                .query((rs, i) -> counts.put(rs.getString(1), rs.getInt(2)))
                .list();
        Map<String, List<KindMembers.HostRef>> named = examples ? examples(counts.keySet(), aggregateId) : Map.of();
        return members(counts, named);
    }

    @Override
    @Transactional(readOnly = true)
    public List<KindMembers> kindsInFleet(boolean examples) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        // The hosts of each kind as kept by V14's triggers (cpu_kind_hosts): no host row is read.
        jdbc.sql("select kind_id, sum(hosts) from cpu_kind_hosts group by kind_id having sum(hosts) > 0"
                        + " order by kind_id")
                .query((rs, i) -> counts.put(rs.getString(1), rs.getInt(2)))
                .list();
        Map<String, List<KindMembers.HostRef>> named = examples ? examples(counts.keySet(), null) : Map.of();
        return members(counts, named);
    }

    @Override
    @Transactional(readOnly = true)
    public @Nullable String firstHostKind(String aggregateId) {
        return jdbc.sql("""
                select h.kind_id from host h
                where exists (select 1 from aggregate_host m where m.host_id = h.id and m.aggregate_id = :aggregate)
                order by h.hostname, h.id limit 1
                """)
                .param("aggregate", aggregateId)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    @Override
    @Transactional(readOnly = true)
    public Map<UUID, String> kindsOfMembers(String aggregateId, Collection<UUID> hostIds) {
        Map<UUID, String> found = new LinkedHashMap<>();
        if (hostIds.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                select h.id, h.kind_id from host h join aggregate_host m on m.host_id = h.id
                where m.aggregate_id = :aggregate and h.id = any(:ids)
                """)
                .param("aggregate", aggregateId)
                .param("ids", hostIds.toArray(UUID[]::new))
                .query((rs, i) -> found.put(rs.getObject(1, UUID.class), rs.getString(2)))
                .list();
        return found;
    }

    @Override
    @Transactional(readOnly = true)
    public Map<String, List<String>> hostnamesByKind(Collection<String> kindIds, @Nullable String aggregateId) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        jdbc.sql("""
                select h.kind_id, h.hostname from host h
                where h.kind_id = any(:kinds) and (cast(:aggregate as text) is null or exists (
                    select 1 from aggregate_host m where m.host_id = h.id and m.aggregate_id = cast(:aggregate as text)))
                order by h.hostname, h.id
                """)
                .param("kinds", kindIds.toArray(String[]::new))
                .param("aggregate", aggregateId)
                .query((rs, i) -> names.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(rs.getString(2)))
                .list();
        return names;
    }

    private Map<String, List<KindMembers.HostRef>> examples(Collection<String> kindIds, @Nullable String aggregateId) {
        Map<String, List<KindMembers.HostRef>> named = new LinkedHashMap<>();
        if (kindIds.isEmpty()) {
            return named;
        }
        jdbc.sql("""
                select k.kind_id, e.id, e.hostname
                from unnest(:kinds) as k(kind_id)
                cross join lateral (
                    select h.id, h.hostname from host h
                    where h.kind_id = k.kind_id and (cast(:aggregate as text) is null or exists (
                        select 1 from aggregate_host m where m.host_id = h.id and m.aggregate_id = cast(:aggregate as text)))
                    order by h.hostname, h.id limit :examples) e
                order by k.kind_id, e.hostname, e.id
                """)
                .param("kinds", kindIds.toArray(String[]::new))
                .param("aggregate", aggregateId)
                .param("examples", KindMembers.EXAMPLES)
                .query((rs, i) -> named.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new KindMembers.HostRef(rs.getObject(2, UUID.class), rs.getString(3))))
                .list();
        return named;
    }

    @Override
    public List<KindMembers> kinds(Map<String, Integer> counts) {
        return members(counts, Map.of());
    }

    private List<KindMembers> members(Map<String, Integer> counts, Map<String, List<KindMembers.HostRef>> named) {
        Map<String, CpuKindFacts> facts = kinds.facts(counts.keySet());
        List<KindMembers> members = new ArrayList<>(counts.size());
        // every counted kind is stored: cpu_kind_hosts refers to cpu_kind
        counts.forEach((id, hosts) -> members.add(
                new KindMembers(id, Objects.requireNonNull(facts.get(id)), hosts, named.getOrDefault(id, List.of()))));
        return members;
    }

    // ---- inventory -----------------------------------------------------------------------------------------------

    @Override
    @Transactional(readOnly = true)
    public InventoryView inventory() {
        List<HostRepository.CpuKindCount> counts = hosts.countByCpuKind();
        Map<String, Long> byAggregate = new TreeMap<>();
        hosts.countByAggregate().forEach(c -> byAggregate.put(c.getAggregate(), c.getHosts()));
        return new InventoryView(
                counts.stream().mapToLong(HostRepository.CpuKindCount::getHosts).sum(),
                countBy(counts, HostRepository.CpuKindCount::getArch),
                countBy(counts, HostRepository.CpuKindCount::getVendor),
                countBy(counts, HostRepository.CpuKindCount::getModel),
                byLevel(counts),
                countBy(counts, HostRepository.CpuKindCount::getMicrocode),
                byAggregate,
                hosts.countInNoAggregate(),
                hosts.unknownFeatures());
    }

    /** Hosts by the level guests get on them, computed once per kind of CPU, from the counts by kind read already. */
    private Map<String, Long> byLevel(List<HostRepository.CpuKindCount> kindCounts) {
        Map<String, Integer> hostsOfKind = new LinkedHashMap<>();
        kindCounts.forEach(k -> hostsOfKind.put(k.getKindId(), Math.toIntExact(k.getHosts())));
        Map<String, Long> counts = new TreeMap<>();
        for (KindMembers kind : kinds(hostsOfKind)) {
            String level = kind.asHost(kind.kindId()).level(catalogs);
            counts.merge(level == null ? "unknown" : level, (long) kind.hosts(), Long::sum);
        }
        return counts;
    }

    private static Map<String, Long> countBy(
            List<HostRepository.CpuKindCount> kinds, Function<HostRepository.CpuKindCount, String> value) {
        Map<String, Long> counts = new TreeMap<>();
        for (HostRepository.CpuKindCount kind : kinds) {
            String key = value.apply(kind) == null ? "unknown" : value.apply(kind);
            counts.merge(key, kind.getHosts(), Long::sum);
        }
        return counts;
    }
}
