package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.GuestModels;
import io.fleetcpu.policy.NestedState;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.EmbeddedColumnNaming;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/** One kind of CPU: facts shared by every host that reports them, stored once ({@link CpuKindFacts}). */
@Entity
@Immutable
@BatchSize(size = 100)
@Table(name = "cpu_kind")
public class CpuKind {

    @Id
    private String id;

    @Embedded
    private CpuFacts cpu;

    @Embedded
    @EmbeddedColumnNaming("hypervisor_%s")
    private @Nullable CpuFacts hypervisorCpu;

    private @Nullable String hostModel;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private @Nullable List<String> usableModels;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private @Nullable List<String> supportedCpuModes;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private @Nullable List<String> deprecatedModels;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private @Nullable List<String> unknownModels;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private @Nullable List<String> unusableModels;

    private @Nullable String kvmModule;

    @Convert(converter = NestedStateColumn.class)
    private NestedState nested;

    private @Nullable String virtualizationFlag;

    /** The catalog the CPU was read with ({@code libvirt 9.0}, {@code libvirt 11.3}). */
    private String catalog;

    private Instant firstSeenAt;

    @Embedded
    private @Nullable MigrationColumns migration;

    @SuppressWarnings("NullAway.Init") // JPA: Hibernate sets the not-null columns when it loads the row
    protected CpuKind() {}

    CpuKind(CpuKindFacts facts, String id, Instant now) {
        this.id = id;
        this.cpu = CpuFacts.of(facts.cpu());
        this.hypervisorCpu = facts.hypervisorCpu() == null ? null : CpuFacts.of(facts.hypervisorCpu());
        GuestModels models = facts.guestModels();
        this.hostModel = models == null ? null : models.hostModel();
        this.usableModels = models == null ? null : new ArrayList<>(models.usableModels());
        this.supportedCpuModes =
                models == null || models.supportedModes() == null ? null : new ArrayList<>(models.supportedModes());
        this.deprecatedModels = models == null ? null : new ArrayList<>(models.deprecatedModels());
        this.unknownModels =
                models == null || models.unknownModels() == null ? null : new ArrayList<>(models.unknownModels());
        this.unusableModels =
                models == null || models.unusableModels() == null ? null : new ArrayList<>(models.unusableModels());
        this.kvmModule = facts.kvmModule();
        this.nested = facts.nested();
        this.virtualizationFlag = facts.virtualizationFlag();
        // a registration's kind always names its catalog (only V7, before there were catalogs, has none)
        this.catalog = Objects.requireNonNull(facts.catalog());
        this.firstSeenAt = now;
        this.migration = MigrationColumns.of(facts.migration());
    }

    /** The named parameters of {@link CpuKinds#store}. */
    java.util.Map<String, Object> columns() {
        java.util.Map<String, Object> columns = new java.util.HashMap<>();
        columns.put("id", id);
        CpuFacts.columns(cpu, "", columns);
        CpuFacts.columns(hypervisorCpu, "h", columns);
        columns.put("hostModel", hostModel);
        columns.put("usableModels", usableModels == null ? null : usableModels.toArray(String[]::new));
        columns.put("supportedModes", supportedCpuModes == null ? null : supportedCpuModes.toArray(String[]::new));
        columns.put("deprecatedModels", deprecatedModels == null ? null : deprecatedModels.toArray(String[]::new));
        columns.put("unknownModels", unknownModels == null ? null : unknownModels.toArray(String[]::new));
        columns.put("unusableModels", unusableModels == null ? null : unusableModels.toArray(String[]::new));
        columns.put("kvmModule", kvmModule);
        columns.put("nested", NestedStateColumn.word(nested));
        columns.put("virtualizationFlag", virtualizationFlag);
        columns.put("catalog", catalog);
        columns.put("now", java.sql.Timestamp.from(firstSeenAt));
        MigrationColumns.columns(migration, columns);
        return columns;
    }

    public String getId() {
        return id;
    }

    public CpuKindFacts facts() {
        return new CpuKindFacts(
                cpu.toHostCpu(),
                hypervisorCpu == null ? null : hypervisorCpu.toHostCpu(),
                usableModels == null && hostModel == null
                        ? null
                        : new GuestModels(
                                hostModel,
                                usableModels == null ? List.of() : usableModels,
                                supportedCpuModes,
                                deprecatedModels == null ? List.of() : deprecatedModels,
                                unknownModels,
                                unusableModels),
                kvmModule,
                nested,
                virtualizationFlag,
                catalog,
                MigrationColumns.facts(migration));
    }
}
