package io.fleetcpu.hosts.internal;

import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Locks the rows of aggregates whose member counts a transaction's triggers will change, in id order. Without it a
 * trigger would first share-lock an aggregate (the foreign key of a new membership) and then update it, and a delete
 * or policy change of the aggregate waiting between the two would deadlock with it. Take it after locking the host:
 * registrations, joins and deletes of aggregates all lock hosts before aggregates.
 */
@Component
class AggregateCountLocks {

    private final JdbcClient jdbc;

    AggregateCountLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the ids of the aggregates that exist, now locked */
    List<String> lock(Collection<String> aggregateIds) {
        if (aggregateIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id from aggregate where id = any(:ids) order by id for no key update")
                .param("ids", aggregateIds.stream().sorted().toArray(String[]::new))
                .query(String.class)
                .list();
    }
}
