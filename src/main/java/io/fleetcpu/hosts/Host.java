package io.fleetcpu.hosts;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.SortNatural;

import io.fleetcpu.system.NewUntilStored;

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

    private String kernelRelease;

    private String libvirtVersion;

    private String qemuVersion;

    private String agentVersion;

    private String capabilitiesXml;

    private String domainCapabilitiesXml;

    private String expandedCpuXml;

    private String migratableCpuXml;

    private String hypervisorCpuXml;

    // Loaded with the host, in batches when many hosts are read at once. Sorted, so that memberships are written
    // (and the aggregates' rows locked by the counting triggers) in one order by every transaction.
    @ElementCollection(fetch = FetchType.EAGER)
    @BatchSize(size = 500)
    @SortNatural
    @CollectionTable(name = "aggregate_host", joinColumns = @JoinColumn(name = "host_id"))
    @Column(name = "aggregate_id")
    private SortedSet<String> aggregates = new TreeSet<>();

    private Instant registeredAt;

    /** When the host's facts last changed. */
    private Instant updatedAt;

    /** When its agent last reported, changed or not. */
    private Instant lastSeenAt;

    /** {@link HostDescription#digest()} of the last report: an equal report changes nothing but lastSeenAt. */
    private String reportDigest;

    /** SHA-256 (hex) of the agent token the host belongs to; null until an agent credential registers it. */
    private String agentCredential;

    @Version
    private long version;

    protected Host() {
    }

    Host(UUID id, Instant registeredAt) {
        this.id = id;
        made();
        this.registeredAt = registeredAt;
        this.updatedAt = registeredAt;
        this.lastSeenAt = registeredAt;
    }

    String agentCredential() {
        return agentCredential;
    }

    void bindToAgent(String fingerprint) {
        this.agentCredential = fingerprint;
    }

    /**
     * Replaces everything the agent reports; the host keeps its id and registration time, and its updatedAt when the
     * report says what is stored already (a host whose last report has no digest: migrated from before kinds, or
     * joined or left an aggregate through the API since).
     */
    void describe(HostDescription d, CpuKind kind, String digest, Instant now) {
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
        if (!aggregates.equals(new TreeSet<>(d.aggregates()))) {
            aggregates.retainAll(d.aggregates());
            aggregates.addAll(d.aggregates());
        }
        this.reportDigest = digest;
        if (changed) {
            this.updatedAt = now;
        }
        this.lastSeenAt = now;
    }

    /** Whether the report says exactly what is stored. */
    private boolean describes(HostDescription d, CpuKind kind) {
        return this.kind != null && this.kind.getId().equals(kind.getId())
                && d.hostname().equals(hostname)
                && Objects.equals(d.kernel().release(), kernelRelease)
                && Objects.equals(d.versions(), getVersions())
                && d.documents().equals(new HostDescription.Documents(capabilitiesXml, domainCapabilitiesXml,
                        expandedCpuXml, migratableCpuXml, hypervisorCpuXml))
                && aggregates.equals(new TreeSet<>(d.aggregates()));
    }

    /** The agent reported again what is stored. */
    void seen(Instant now) {
        this.lastSeenAt = now;
    }

    boolean joinAggregate(String aggregateId, Instant now) {
        boolean added = aggregates.add(aggregateId);
        if (added) {
            updatedAt = now;
            reportDigest = null; // the next report is read in full, and its aggregates are the host's again
        }
        return added;
    }

    boolean leaveAggregate(String aggregateId, Instant now) {
        boolean removed = aggregates.remove(aggregateId);
        if (removed) {
            updatedAt = now;
            reportDigest = null;
        }
        return removed;
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

    public SoftwareVersions getVersions() {
        return libvirtVersion == null && qemuVersion == null && agentVersion == null ? null
                : new SoftwareVersions(libvirtVersion, qemuVersion, agentVersion);
    }

    public String getCapabilitiesXml() {
        return capabilitiesXml;
    }

    public String getDomainCapabilitiesXml() {
        return domainCapabilitiesXml;
    }

    public String getExpandedCpuXml() {
        return expandedCpuXml;
    }

    public String getMigratableCpuXml() {
        return migratableCpuXml;
    }

    public String getHypervisorCpuXml() {
        return hypervisorCpuXml;
    }

    public Set<String> getAggregates() {
        return Set.copyOf(aggregates);
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
