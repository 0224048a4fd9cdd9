package io.fleetcpu.hosts;

import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface HostRepository extends JpaRepository<Host, UUID> {

    /** Each filter applies only when given. */
    String FILTERS = """
            from host h
            where (cast(:aggregate as text) is null
                   or exists (select 1 from aggregate_host m
                              where m.host_id = h.id and m.aggregate_id = cast(:aggregate as text)))
              and (cast(:vendor as text) is null or lower(h.vendor) = lower(cast(:vendor as text)))
              and (cast(:model as text) is null or h.model = cast(:model as text))
              and (cast(:feature as text) is null or h.features @> array[cast(:feature as text)]
                   or h.unknown_features @> array[cast(:feature as text)])
            """;

    @Query(value = "select h.* " + FILTERS + " order by h.hostname, h.id",
            countQuery = "select count(*) " + FILTERS,
            nativeQuery = true)
    Page<Host> search(@Param("aggregate") String aggregate, @Param("vendor") String vendor,
            @Param("model") String model, @Param("feature") String feature, Pageable pageable);

    @Query("select h from Host h join h.aggregates a where a = :aggregate order by h.hostname, h.id")
    List<Host> findByAggregate(@Param("aggregate") String aggregate);

    /** Hosts counted by what their CPUs are. */
    interface CpuKindCount {
        String getArch();

        String getVendor();

        String getModel();

        String getMicrocode();

        long getHosts();
    }

    /** Hosts counted by aggregate. */
    interface AggregateCount {
        String getAggregate();

        long getHosts();
    }

    @Query(value = """
            select arch, vendor, model, microcode, count(*) as hosts
            from host group by arch, vendor, model, microcode
            """, nativeQuery = true)
    List<CpuKindCount> countByCpuKind();

    @Query(value = "select aggregate_id as aggregate, count(*) as hosts from aggregate_host group by aggregate_id",
            nativeQuery = true)
    List<AggregateCount> countByAggregate();

    @Query(value = "select count(*) from host h where not exists (select 1 from aggregate_host m where m.host_id = h.id)",
            nativeQuery = true)
    long countInNoAggregate();

    @Query(value = "select distinct f from host, unnest(unknown_features) as f order by f", nativeQuery = true)
    List<String> unknownFeatures();
}
