package io.fleetcpu.hosts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.EmbeddedColumnNaming;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A compute node as its agent last described it. */
@Entity
@Table(name = "host")
public class Host {

    @Id
    private UUID id;

    private String hostname;

    /** The physical CPU, as libvirt describes the host. */
    @Embedded
    private CpuFacts cpu;

    /** The CPU a guest on this host can really get, as the hypervisor reports it. */
    @Embedded
    @EmbeddedColumnNaming("hypervisor_%s")
    private CpuFacts hypervisorCpu;

    private String hostModel;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> usableModels;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> supportedCpuModes;

    private String kernelRelease;

    private String kvmModule;

    private String nested;

    private String virtualizationFlag;

    private String libvirtVersion;

    private String qemuVersion;

    private String agentVersion;

    private String capabilitiesXml;

    private String domainCapabilitiesXml;

    private String expandedCpuXml;

    private String migratableCpuXml;

    private String hypervisorCpuXml;

    // Loaded with the host, in batches when many hosts are read at once (inventory, groupings).
    @ElementCollection(fetch = FetchType.EAGER)
    @BatchSize(size = 500)
    @CollectionTable(name = "aggregate_host", joinColumns = @JoinColumn(name = "host_id"))
    @Column(name = "aggregate_id")
    private Set<String> aggregates = new LinkedHashSet<>();

    private Instant registeredAt;

    private Instant updatedAt;

    @Version
    private long version;

    protected Host() {
    }

    Host(UUID id, Instant registeredAt) {
        this.id = id;
        this.registeredAt = registeredAt;
        this.updatedAt = registeredAt;
    }

    /** Replaces everything the agent reports; the host keeps its id and registration time. */
    void describe(HostDescription d, Instant now) {
        this.hostname = d.hostname();
        this.cpu = CpuFacts.of(d.cpu());
        this.hypervisorCpu = CpuFacts.of(d.hypervisorCpu());
        this.hostModel = d.guestModels() == null ? null : d.guestModels().hostModel();
        this.usableModels = d.guestModels() == null ? null : new ArrayList<>(d.guestModels().usableModels());
        this.supportedCpuModes = d.guestModels() == null || d.guestModels().supportedModes() == null ? null
                : new ArrayList<>(d.guestModels().supportedModes());
        this.kernelRelease = d.kernel().release();
        this.kvmModule = d.kernel().kvmModule();
        this.nested = d.kernel().nested();
        this.virtualizationFlag = d.kernel().virtualizationFlag();
        this.libvirtVersion = d.versions() == null ? null : d.versions().libvirt();
        this.qemuVersion = d.versions() == null ? null : d.versions().qemu();
        this.agentVersion = d.versions() == null ? null : d.versions().agent();
        this.capabilitiesXml = d.documents().capabilitiesXml();
        this.domainCapabilitiesXml = d.documents().domainCapabilitiesXml();
        this.expandedCpuXml = d.documents().expandedCpuXml();
        this.migratableCpuXml = d.documents().migratableCpuXml();
        this.hypervisorCpuXml = d.documents().hypervisorCpuXml();
        this.aggregates = new LinkedHashSet<>(d.aggregates());
        this.updatedAt = now;
    }

    /** True when the agent's new report says anything different from what is stored. */
    boolean differsFrom(HostDescription d) {
        return !(d.hostname().equals(hostname)
                && d.cpu().equals(getCpu())
                && Objects.equals(d.hypervisorCpu(), getHypervisorCpu())
                && Objects.equals(d.guestModels(), getGuestModels())
                && d.kernel().equals(getKernel())
                && Objects.equals(d.versions(), getVersions())
                && d.documents().equals(documents())
                && aggregates.equals(new LinkedHashSet<>(d.aggregates())));
    }

    private HostDescription.Documents documents() {
        return new HostDescription.Documents(capabilitiesXml, domainCapabilitiesXml, expandedCpuXml, migratableCpuXml,
                hypervisorCpuXml);
    }

    boolean joinAggregate(String aggregateId, Instant now) {
        boolean added = aggregates.add(aggregateId);
        if (added) {
            updatedAt = now;
        }
        return added;
    }

    boolean leaveAggregate(String aggregateId, Instant now) {
        boolean removed = aggregates.remove(aggregateId);
        if (removed) {
            updatedAt = now;
        }
        return removed;
    }

    /** The host's CPU facts as they are now. */
    public HostFacts facts() {
        return new HostFacts(id, hostname, getCpu(), getHypervisorCpu(), getKernel(), getVersions(), getGuestModels());
    }

    public UUID getId() {
        return id;
    }

    public String getHostname() {
        return hostname;
    }

    public HostCpu getCpu() {
        return cpu.toHostCpu();
    }

    /** The hypervisor's view of the CPU, or null when the host did not send it. */
    public HostCpu getHypervisorCpu() {
        return hypervisorCpu == null ? null : hypervisorCpu.toHostCpu();
    }

    public GuestModels getGuestModels() {
        return usableModels == null && hostModel == null ? null : new GuestModels(hostModel, usableModels, supportedCpuModes);
    }

    public KernelFacts getKernel() {
        return new KernelFacts(kernelRelease, kvmModule, nested, virtualizationFlag);
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
}
