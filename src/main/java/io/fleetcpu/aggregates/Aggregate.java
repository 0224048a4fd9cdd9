package io.fleetcpu.aggregates;

import java.time.Instant;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.Persistable;

import io.fleetcpu.policy.CpuPolicy;

/** A group of hosts that share one guest CPU configuration, so guests can migrate among them. */
@Entity
@Table(name = "aggregate")
public class Aggregate implements Persistable<String> {

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

    private String minimumModel;

    private String pinnedModel;

    private Instant createdAt;

    private Instant updatedAt;

    @Version
    private long version;

    /** Changed by the database with every change of members or of their kinds (V8__kind_counts.sql). */
    @Column(insertable = false, updatable = false)
    private long membersVersion;

    /** Made by a request and not stored yet: stored with an insert, which fails if another request stored it first. */
    @Transient
    private boolean isNew;

    protected Aggregate() {
    }

    Aggregate(String id, String description, CpuPolicy policy, Instant now) {
        this.id = id;
        this.isNew = true;
        this.createdAt = now;
        change(description, policy, now);
    }

    void change(String description, CpuPolicy policy, Instant now) {
        this.description = description == null ? "" : description;
        this.goal = CpuPolicy.wireName(policy.goal());
        this.nestedVirtualization = CpuPolicy.wireName(policy.nested());
        this.strict = policy.strict();
        this.mitigations = CpuPolicy.wireName(policy.mitigations());
        this.disabledMitigations = new ArrayList<>(policy.disabledMitigations());
        this.minimumModel = policy.minimumModel();
        this.pinnedModel = policy.pinnedModel();
        this.updatedAt = now;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostPersist
    @PostLoad
    void stored() {
        isNew = false;
    }

    public String getDescription() {
        return description;
    }

    public CpuPolicy getPolicy() {
        return new CpuPolicy(named(CpuPolicy.Goal.class, goal), named(CpuPolicy.Nested.class, nestedVirtualization),
                strict, named(CpuPolicy.MitigationMode.class, mitigations), disabledMitigations, minimumModel,
                pinnedModel);
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
