package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.HostDocument;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.SoftwareVersions;
import io.fleetcpu.system.NewUntilStored;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.SortNatural;
import org.jspecify.annotations.Nullable;

/** A compute node as its agent last described it. */
@Entity
@DynamicUpdate // an unchanged report writes lastSeenAt alone, not the documents again
@Table(name = "host")
public class Host extends NewUntilStored<UUID> {

    @Id
    private UUID id;

    private String hostname;

    /** The host's CPU facts, shared with every host of the same kind. */
    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "kind_id")
    private CpuKind kind;

    private @Nullable String kernelRelease;

    private @Nullable String libvirtVersion;

    private @Nullable String qemuVersion;

    private @Nullable String agentVersion;

    private @Nullable String capabilitiesXml;

    private @Nullable String domainCapabilitiesXml;

    private @Nullable String expandedCpuXml;

    private @Nullable String migratableCpuXml;

    private @Nullable String hypervisorCpuXml;

    // Loaded with the host, in batches when many hosts are read at once. Sorted, so that memberships are written
    // (and the aggregates' rows locked by the counting triggers) in one order by every transaction.
    @ElementCollection(fetch = FetchType.EAGER)
    @BatchSize(size = 500)
    @SortNatural
    @CollectionTable(name = "aggregate_host", joinColumns = @JoinColumn(name = "host_id"))
    private SortedSet<Membership> memberships = new TreeSet<>();

    private Instant registeredAt;

    /** When the host's facts last changed. */
    private Instant updatedAt;

    /** When its agent last reported, changed or not. */
    private Instant lastSeenAt;

    /** {@link HostDescription#digest()} of the last report: an equal report changes nothing but lastSeenAt. */
    private @Nullable String reportDigest;

    /** SHA-256 (hex) of the agent token the host belongs to; null until an agent credential registers it. */
    private @Nullable String agentCredential;

    @Version
    private long version;

    @SuppressWarnings("NullAway.Init") // JPA: Hibernate sets the not-null columns when it loads the row
    protected Host() {}

    @SuppressWarnings("NullAway.Init") // Registrations describes the new host (name, kind) before it is stored
    Host(UUID id, Instant registeredAt) {
        this.id = id;
        made();
        this.registeredAt = registeredAt;
        this.updatedAt = registeredAt;
        this.lastSeenAt = registeredAt;
    }

    @Nullable
    String agentCredential() {
        return agentCredential;
    }

    void bindToAgent(String fingerprint) {
        this.agentCredential = fingerprint;
    }

    /** What applying an agent's report changed: the aggregates the host joined and left, and whether its facts. */
    record Changes(List<String> joined, List<String> left, boolean factsChanged) {}

    /**
     * Replaces everything the agent reports; the host keeps its id and registration time, and its updatedAt when the
     * report's facts are the stored ones (a host whose last report has no digest: migrated from before kinds, or
     * left an aggregate through the API since). Of the memberships, only its agent's change: the host leaves the
     * aggregates its agent made it join and no longer names, and joins the named ones it is not in; the ones an
     * operator made stay, named or not.
     */
    Changes describe(HostDescription d, CpuKind kind, String digest, Instant now) {
        boolean changed = !describes(d, kind);
        this.hostname = d.hostname();
        this.kind = kind;
        this.kernelRelease = d.kernel().release();
        this.libvirtVersion = d.versions() == null ? null : d.versions().libvirt();
        this.qemuVersion = d.versions() == null ? null : d.versions().qemu();
        this.agentVersion = d.versions() == null ? null : d.versions().agent();
        this.capabilitiesXml = d.documents().capabilitiesXml();
        this.domainCapabilitiesXml = d.documents().domainCapabilitiesXml();
        this.expandedCpuXml = d.documents().expandedCpuXml();
        this.migratableCpuXml = d.documents().migratableCpuXml();
        this.hypervisorCpuXml = d.documents().hypervisorCpuXml();
        SortedSet<String> after = aggregatesAfter(d.aggregates());
        List<String> left = getAggregates().stream()
                .filter(a -> !after.contains(a))
                .sorted()
                .toList();
        List<String> joined = after.stream().filter(a -> membership(a) == null).toList();
        memberships.removeIf(m -> left.contains(m.aggregateId()));
        joined.forEach(a -> memberships.add(new Membership(a, Membership.AddedBy.agent)));
        this.reportDigest = digest;
        if (changed) {
            this.updatedAt = now;
        }
        this.lastSeenAt = now;
        return new Changes(joined, left, changed);
    }

    /** The host's aggregates once its agent names these: the operator's memberships and the named aggregates. */
    SortedSet<String> aggregatesAfter(Collection<String> named) {
        SortedSet<String> after = new TreeSet<>(named);
        memberships.stream()
                .filter(m -> m.addedBy() == Membership.AddedBy.operator)
                .forEach(m -> after.add(m.aggregateId()));
        return after;
    }

    private @Nullable Membership membership(String aggregateId) {
        return memberships.stream()
                .filter(m -> m.aggregateId().equals(aggregateId))
                .findFirst()
                .orElse(null);
    }

    /** Whether the report's facts are exactly the stored ones (memberships are not facts of the host). */
    private boolean describes(HostDescription d, CpuKind kind) {
        return this.kind != null
                && this.kind.getId().equals(kind.getId())
                && d.hostname().equals(hostname)
                && Objects.equals(d.kernel().release(), kernelRelease)
                && Objects.equals(d.versions(), getVersions())
                && d.documents()
                        .equals(new HostDescription.Documents(
                                capabilitiesXml,
                                domainCapabilitiesXml,
                                expandedCpuXml,
                                migratableCpuXml,
                                hypervisorCpuXml));
    }

    /** The agent reported again what is stored. */
    void seen(Instant now) {
        this.lastSeenAt = now;
    }

    /**
     * An operator puts the host in the aggregate: the membership is the operator's from now on, also when the agent
     * made it, so it stays when the agent stops naming the aggregate. The host's facts, and so its updatedAt, stay;
     * the agent's next report, applied in full, would change nothing, so its digest stays too.
     *
     * @return true when the host was not in the aggregate before
     */
    boolean joinAggregate(String aggregateId) {
        Membership existing = membership(aggregateId);
        if (existing != null && existing.addedBy() == Membership.AddedBy.operator) {
            return false;
        }
        if (existing != null) {
            memberships.remove(existing);
        }
        memberships.add(new Membership(aggregateId, Membership.AddedBy.operator));
        return existing == null;
    }

    /**
     * An operator takes the host out of the aggregate, whoever put it there. The next report is read in full: an
     * agent that still names the aggregate puts the host back in.
     *
     * @return true when the host was in the aggregate
     */
    boolean leaveAggregate(String aggregateId) {
        Membership existing = membership(aggregateId);
        if (existing == null) {
            return false;
        }
        memberships.remove(existing);
        reportDigest = null;
        return true;
    }

    /** The host's CPU facts as they are now. */
    public HostFacts facts() {
        return HostFacts.of(id, hostname, kind.facts(), kernelRelease, getVersions());
    }

    @Override
    public UUID getId() {
        return id;
    }

    public String getHostname() {
        return hostname;
    }

    public CpuKind getKind() {
        return kind;
    }

    public @Nullable SoftwareVersions getVersions() {
        return libvirtVersion == null && qemuVersion == null && agentVersion == null
                ? null
                : new SoftwareVersions(libvirtVersion, qemuVersion, agentVersion);
    }

    /** A raw libvirt document exactly as the agent sent it; null when it did not send this one. */
    @Nullable
    String document(HostDocument document) {
        return switch (document) {
            case CAPABILITIES -> capabilitiesXml;
            case DOMAIN_CAPABILITIES -> domainCapabilitiesXml;
            case EXPANDED_CPU -> expandedCpuXml;
            case MIGRATABLE_CPU -> migratableCpuXml;
            case HYPERVISOR_CPU -> hypervisorCpuXml;
        };
    }

    public Set<String> getAggregates() {
        return memberships.stream().map(Membership::aggregateId).collect(Collectors.toUnmodifiableSet());
    }

    /** The aggregates an operator put the host in, which its registrations leave alone. */
    public Set<String> getAggregatesAddedByOperator() {
        return memberships.stream()
                .filter(m -> m.addedBy() == Membership.AddedBy.operator)
                .map(Membership::aggregateId)
                .collect(Collectors.toUnmodifiableSet());
    }

    public Instant getRegisteredAt() {
        return registeredAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Instant getLastSeenAt() {
        return lastSeenAt;
    }
}
