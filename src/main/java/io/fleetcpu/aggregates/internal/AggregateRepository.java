package io.fleetcpu.aggregates.internal;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface AggregateRepository extends JpaRepository<Aggregate, String> {

    /** The aggregate, its row locked until the transaction ends: changes to one aggregate take turns. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from Aggregate a where a.id = :id")
    Optional<Aggregate> findForUpdate(@Param("id") String id);
}
