package io.fleetcpu.hosts;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** How a {@link HostCpu} is kept in the host's row; a host keeps one for each view of its CPU. */
@Embeddable
class CpuFacts {

    private String arch;

    private String vendor;

    private String model;

    private Boolean modelKnown;

    private String microcode;

    private Integer signatureFamily;

    private Integer signatureModel;

    private Integer signatureStepping;

    private String cpuSource;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> listedFeatures;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> disabledFeatures;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> features;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> unknownFeatures;

    protected CpuFacts() {
    }

    static CpuFacts of(HostCpu cpu) {
        if (cpu == null) {
            return null;
        }
        CpuFacts f = new CpuFacts();
        f.arch = cpu.arch();
        f.vendor = cpu.vendor();
        f.model = cpu.model();
        f.modelKnown = cpu.modelKnown();
        f.microcode = cpu.microcode();
        f.signatureFamily = cpu.signature() == null ? null : cpu.signature().family();
        f.signatureModel = cpu.signature() == null ? null : cpu.signature().model();
        f.signatureStepping = cpu.signature() == null ? null : cpu.signature().stepping();
        f.cpuSource = cpu.source().wireName();
        f.listedFeatures = new ArrayList<>(cpu.listedFeatures());
        f.disabledFeatures = new ArrayList<>(cpu.disabledFeatures());
        f.features = new ArrayList<>(cpu.features());
        f.unknownFeatures = new ArrayList<>(cpu.unknownFeatures());
        return f;
    }

    HostCpu toHostCpu() {
        HostCpu.Signature signature = signatureFamily == null ? null
                : new HostCpu.Signature(signatureFamily, signatureModel, signatureStepping);
        return new HostCpu(arch, vendor, model, Boolean.TRUE.equals(modelKnown), microcode, signature,
                HostCpu.CpuSource.fromWireName(cpuSource), listedFeatures, disabledFeatures, features, unknownFeatures);
    }
}
