package io.fleetcpu.aggregates.internal;

import io.fleetcpu.hosts.NamedAggregates;
import io.fleetcpu.policy.CpuPolicy;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes the aggregates hosts' registrations name that do not exist yet, with the default policy. The registration has
 * checked the ids already, and calls it inside its transaction.
 */
@Component
class MissingAggregates implements NamedAggregates {

    private final JdbcClient jdbc;
    private final Clock clock;

    MissingAggregates(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public List<String> createMissing(Collection<String> aggregateIds) {
        if (aggregateIds.isEmpty()) {
            return List.of();
        }
        CpuPolicy policy = CpuPolicy.DEFAULT;
        // One statement, in id order: hosts booting together may name the same new aggregates at once.
        return jdbc
                .sql("""
                        insert into aggregate (id, description, goal, nested_virtualization, strict, mitigations,
                                               disabled_mitigations, created_at, updated_at, version)
                        select id, '', :goal, :nested, false, :mitigations, '{}', :now, :now, 0
                        from unnest(:ids) as named(id) order by id
                        on conflict (id) do nothing
                        returning id
                        """)
                .param("ids", aggregateIds.stream().sorted().distinct().toArray(String[]::new))
                .param("goal", CpuPolicy.wireName(policy.goal()))
                .param("nested", CpuPolicy.wireName(policy.nested()))
                .param("mitigations", CpuPolicy.wireName(policy.mitigations()))
                .param("now", Timestamp.from(clock.instant()))
                .query(String.class)
                .list()
                .stream()
                .sorted()
                .toList();
    }
}
