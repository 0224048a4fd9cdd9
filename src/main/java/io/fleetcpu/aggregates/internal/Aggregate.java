package io.fleetcpu.aggregates.internal;

import io.fleetcpu.policy.CpuPolicy;
import io.fleetcpu.policy.guest.MicroarchitectureLevel;
import io.fleetcpu.system.NewUntilStored;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/** A group of hosts that share one guest CPU configuration, so guests can migrate among them. */
@Entity
@Table(name = "aggregate")
public class Aggregate extends NewUntilStored<String> {

    @Id
    private String id;

    private String description;

    private String goal;

    private String nestedVirtualization;

    private boolean strict;

    private String mitigations;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> disabledMitigations = new ArrayList<>();

    private @Nullable String minimumModel;

    private @Nullable String pinnedModel;

    private @Nullable String minimumLevel;

    private @Nullable String machineType;

    private Instant createdAt;

    private Instant updatedAt;

    @Version
    private long version;

    /** Changed by the database with every change of members or of their kinds (V8__kind_counts.sql). */
    @Column(insertable = false, updatable = false)
    private long membersVersion;

    @SuppressWarnings("NullAway.Init") // JPA: Hibernate sets the not-null columns when it loads the row
    protected Aggregate() {}

    @SuppressWarnings("NullAway.Init") // change() sets the description and every policy column
    public Aggregate(String id, @Nullable String description, CpuPolicy policy, Instant now) {
        this.id = id;
        made();
        this.createdAt = now;
        change(description, policy, now);
    }

    public void change(@Nullable String description, CpuPolicy policy, Instant now) {
        this.description = description == null ? "" : description;
        this.goal = CpuPolicy.wireName(policy.goal());
        this.nestedVirtualization = CpuPolicy.wireName(policy.nested());
        this.strict = policy.strict();
        this.mitigations = CpuPolicy.wireName(policy.mitigations());
        this.disabledMitigations = new ArrayList<>(policy.disabledMitigations());
        this.minimumModel = policy.minimumModel();
        this.pinnedModel = policy.pinnedModel();
        this.minimumLevel =
                policy.minimumLevel() == null ? null : policy.minimumLevel().operatorName();
        this.machineType = policy.machineType();
        this.updatedAt = now;
    }

    @Override
    public String getId() {
        return id;
    }

    public String getDescription() {
        return description;
    }

    public CpuPolicy getPolicy() {
        return new CpuPolicy(
                named(CpuPolicy.Goal.class, goal),
                named(CpuPolicy.Nested.class, nestedVirtualization),
                strict,
                named(CpuPolicy.MitigationMode.class, mitigations),
                disabledMitigations,
                minimumModel,
                pinnedModel,
                minimumLevel == null
                        ? null
                        : MicroarchitectureLevel.named(minimumLevel).orElseThrow(),
                machineType);
    }

    private static <E extends Enum<E>> E named(Class<E> type, String wireName) {
        return Enum.valueOf(type, wireName.toUpperCase(java.util.Locale.ROOT));
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public long getVersion() {
        return version;
    }

    public long getMembersVersion() {
        return membersVersion;
    }
}
