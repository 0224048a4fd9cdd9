package io.fleetcpu.aggregates;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A group of hosts that share one guest CPU configuration, so guests can migrate among them. */
@Entity
@Table(name = "aggregate")
public class Aggregate {

    @Id
    private String id;

    private String description;

    private String goal;

    private Instant createdAt;

    private Instant updatedAt;

    @Version
    private long version;

    protected Aggregate() {
    }

    Aggregate(String id, String description, AggregatePolicy policy, Instant now) {
        this.id = id;
        this.createdAt = now;
        change(description, policy, now);
    }

    void change(String description, AggregatePolicy policy, Instant now) {
        this.description = description == null ? "" : description;
        this.goal = policy.goal().wireName();
        this.updatedAt = now;
    }

    public String getId() {
        return id;
    }

    public String getDescription() {
        return description;
    }

    public AggregatePolicy getPolicy() {
        return new AggregatePolicy(AggregatePolicy.Goal.fromWireName(goal));
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
}
