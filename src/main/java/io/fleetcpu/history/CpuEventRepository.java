package io.fleetcpu.history;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface CpuEventRepository extends JpaRepository<CpuEvent, Long> {

    List<CpuEvent> findByHostIdOrderByOccurredAtDescIdDesc(UUID hostId);

    @Query("select distinct e from CpuEvent e join e.aggregates a where a.aggregateId = :aggregate "
            + "order by e.occurredAt desc, e.id desc")
    List<CpuEvent> findByAggregate(@Param("aggregate") String aggregate);

    @Query("select distinct e from CpuEvent e join e.aggregates a where a.aggregateId = :aggregate "
            + "order by e.occurredAt desc, e.id desc")
    List<CpuEvent> findByAggregate(@Param("aggregate") String aggregate, Limit limit);

    List<CpuEvent> findByKindNotOrderByOccurredAtDescIdDesc(String kind, Limit limit);

    List<CpuEvent> findByOccurredAtGreaterThanEqualOrderByOccurredAtAscIdAsc(Instant since, Limit limit);
}
