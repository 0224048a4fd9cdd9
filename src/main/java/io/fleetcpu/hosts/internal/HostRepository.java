package io.fleetcpu.hosts.internal;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface HostRepository extends JpaRepository<Host, UUID> {

    /** The host, its row locked until the transaction ends: registrations of one host take turns. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select h from Host h where h.id = :id")
    Optional<Host> findForUpdate(@Param("id") UUID id);

    /** Each filter applies only when given. */
    String FILTERS = """
            from host h join cpu_kind k on k.id = h.kind_id
            where (cast(:aggregate as text) is null
                   or exists (select 1 from aggregate_host m
                              where m.host_id = h.id and m.aggregate_id = cast(:aggregate as text)))
              and (cast(:vendor as text) is null or lower(k.vendor) = lower(cast(:vendor as text)))
              and (cast(:model as text) is null or k.model = cast(:model as text))
              and (cast(:feature as text) is null or k.features @> array[cast(:feature as text)]
                   or k.unknown_features @> array[cast(:feature as text)])
              and (cast(:kind as text) is null or h.kind_id = cast(:kind as text))
            """;

    @Query(
            value = "select h.* " + FILTERS + " order by h.hostname, h.id",
            countQuery = "select count(*) " + FILTERS,
            nativeQuery = true)
    Page<Host> search(
            @Param("aggregate") @Nullable String aggregate,
            @Param("vendor") @Nullable String vendor,
            @Param("model") @Nullable String model,
            @Param("feature") @Nullable String feature,
            @Param("kind") @Nullable String kind,
            Pageable pageable);

    /** Hosts counted by what their CPUs are. */
    interface CpuKindCount {
        String getKindId();

        String getArch();

        @Nullable
        String getVendor();

        @Nullable
        String getModel();

        @Nullable
        String getMicrocode();

        long getHosts();
    }

    /** Hosts counted by aggregate. */
    interface AggregateCount {
        String getAggregate();

        long getHosts();
    }

    @Query(value = """
            select k.id as kind_id, k.arch, k.vendor, k.model, k.microcode, c.hosts
            from (select kind_id, sum(hosts) as hosts from cpu_kind_hosts group by kind_id having sum(hosts) > 0) c
            join cpu_kind k on k.id = c.kind_id
            """, nativeQuery = true)
    List<CpuKindCount> countByCpuKind();

    @Query(
            value = "select aggregate_id as aggregate, sum(hosts) as hosts from aggregate_kind group by aggregate_id",
            nativeQuery = true)
    List<AggregateCount> countByAggregate();

    @Query(
            value =
                    "select count(*) from host h where not exists (select 1 from aggregate_host m where m.host_id = h.id)",
            nativeQuery = true)
    long countInNoAggregate();

    @Query(value = """
            select distinct f from cpu_kind k, unnest(k.unknown_features) as f
            where exists (select 1 from host h where h.kind_id = k.id) order by f
            """, nativeQuery = true)
    List<String> unknownFeatures();
}
