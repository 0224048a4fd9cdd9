package io.fleetcpu.hosts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.FetchType;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A compute node as its agent last described it. */
@Entity
@Table(name = "host")
public class Host {

    @Id
    private UUID id;

    private String hostname;

    private String arch;

    private String vendor;

    private String model;

    private boolean modelKnown;

    private String microcode;

    private Integer signatureFamily;

    private Integer signatureModel;

    private Integer signatureStepping;

    private String cpuSource;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> listedFeatures = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> disabledFeatures = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> features = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> unknownFeatures = new ArrayList<>();

    private String capabilitiesXml;

    private String domainCapabilitiesXml;

    private String expandedCpuXml;

    @ElementCollection(fetch = FetchType.EAGER)
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
        this.arch = d.cpu().arch();
        this.vendor = d.cpu().vendor();
        this.model = d.cpu().model();
        this.modelKnown = d.cpu().modelKnown();
        this.microcode = d.cpu().microcode();
        this.signatureFamily = d.cpu().signature() == null ? null : d.cpu().signature().family();
        this.signatureModel = d.cpu().signature() == null ? null : d.cpu().signature().model();
        this.signatureStepping = d.cpu().signature() == null ? null : d.cpu().signature().stepping();
        this.cpuSource = d.cpu().source().wireName();
        this.listedFeatures = new ArrayList<>(d.cpu().listedFeatures());
        this.disabledFeatures = new ArrayList<>(d.cpu().disabledFeatures());
        this.features = new ArrayList<>(d.cpu().features());
        this.unknownFeatures = new ArrayList<>(d.cpu().unknownFeatures());
        this.capabilitiesXml = d.capabilitiesXml();
        this.domainCapabilitiesXml = d.domainCapabilitiesXml();
        this.expandedCpuXml = d.expandedCpuXml();
        this.aggregates = new LinkedHashSet<>(d.aggregates());
        this.updatedAt = now;
    }

    /** True when the agent's new report says anything different from what is stored. */
    boolean differsFrom(HostDescription d) {
        return !(d.hostname().equals(hostname)
                && HostCpu.of(this).equals(d.cpu())
                && java.util.Objects.equals(capabilitiesXml, d.capabilitiesXml())
                && java.util.Objects.equals(domainCapabilitiesXml, d.domainCapabilitiesXml())
                && java.util.Objects.equals(expandedCpuXml, d.expandedCpuXml())
                && aggregates.equals(new LinkedHashSet<>(d.aggregates())));
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

    public UUID getId() {
        return id;
    }

    public String getHostname() {
        return hostname;
    }

    public String getArch() {
        return arch;
    }

    public String getVendor() {
        return vendor;
    }

    public String getModel() {
        return model;
    }

    public boolean isModelKnown() {
        return modelKnown;
    }

    public String getMicrocode() {
        return microcode;
    }

    public Integer getSignatureFamily() {
        return signatureFamily;
    }

    public Integer getSignatureModel() {
        return signatureModel;
    }

    public Integer getSignatureStepping() {
        return signatureStepping;
    }

    public String getCpuSource() {
        return cpuSource;
    }

    public List<String> getListedFeatures() {
        return List.copyOf(listedFeatures);
    }

    public List<String> getDisabledFeatures() {
        return List.copyOf(disabledFeatures);
    }

    public List<String> getFeatures() {
        return List.copyOf(features);
    }

    public List<String> getUnknownFeatures() {
        return List.copyOf(unknownFeatures);
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
