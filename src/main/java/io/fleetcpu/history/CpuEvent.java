package io.fleetcpu.history;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/** One registration that changed a host's CPU facts (or brought a new host), and what it did to aggregates. */
@Entity
@Table(name = "cpu_event")
public class CpuEvent {

    /** One fact that changed: the CPU model, the microcode, the nested setting, a version… */
    @Embeddable
    public record FactChange(String fact, String before, String after) {}

    /** What the change did to one of the host's aggregates. */
    @Embeddable
    public record AggregateEffect(
            String aggregateId,
            String cpuBefore,
            String cpuAfter,
            boolean hostRunsPrevious,

            @JdbcTypeCode(SqlTypes.ARRAY) @Column(columnDefinition = "text[]")
            List<String> missingFeatures) {}

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    private UUID hostId;

    private String hostname;

    private Instant occurredAt;

    private String kind;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> added = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> removed = new ArrayList<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "cpu_event_change", joinColumns = @JoinColumn(name = "event_id"))
    @OrderColumn(name = "position")
    private List<FactChange> changes = new ArrayList<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "cpu_event_aggregate", joinColumns = @JoinColumn(name = "event_id"))
    private List<AggregateEffect> aggregates = new ArrayList<>();

    @SuppressWarnings("NullAway.Init") // JPA: Hibernate sets the not-null columns when it loads the row
    protected CpuEvent() {}

    CpuEvent(
            UUID hostId,
            String hostname,
            Instant occurredAt,
            String kind,
            List<String> added,
            List<String> removed,
            List<FactChange> changes,
            List<AggregateEffect> aggregates) {
        this.hostId = hostId;
        this.hostname = hostname;
        this.occurredAt = occurredAt;
        this.kind = kind;
        this.added = new ArrayList<>(added);
        this.removed = new ArrayList<>(removed);
        this.changes = new ArrayList<>(changes);
        this.aggregates = new ArrayList<>(aggregates);
    }

    public @Nullable Long getId() {
        return id;
    }

    public UUID getHostId() {
        return hostId;
    }

    public String getHostname() {
        return hostname;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getKind() {
        return kind;
    }

    public List<String> getAdded() {
        return List.copyOf(added);
    }

    public List<String> getRemoved() {
        return List.copyOf(removed);
    }

    public List<FactChange> getChanges() {
        return List.copyOf(changes);
    }

    public List<AggregateEffect> getAggregates() {
        return List.copyOf(aggregates);
    }
}
