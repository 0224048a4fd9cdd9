package io.fleetcpu.aggregates;

import java.time.Instant;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface AggregateRepository extends JpaRepository<Aggregate, String> {

    /**
     * Creates the aggregate with the default policy unless it exists. Hosts booting together may name the same new
     * aggregate at the same moment; the database settles it, and no registration fails for it.
     */
    @Modifying(flushAutomatically = true)
    @Query(value = """
            insert into aggregate (id, description, goal, nested_virtualization, strict, mitigations,
                                   disabled_mitigations, created_at, updated_at, version)
            values (:id, '', :goal, :nested, false, :mitigations, '{}', :now, :now, 0)
            on conflict (id) do nothing
            """, nativeQuery = true)
    int createIfMissing(@Param("id") String id, @Param("goal") String goal, @Param("nested") String nested,
            @Param("mitigations") String mitigations, @Param("now") Instant now);
}
