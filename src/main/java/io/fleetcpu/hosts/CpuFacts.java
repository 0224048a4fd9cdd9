package io.fleetcpu.hosts;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.fleetcpu.libvirtxml.CpuSignature;

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

    /** The named parameters of {@code CpuKinds#store}: plain names, or with a prefix ({@code hArch}). */
    static void columns(CpuFacts facts, String prefix, java.util.Map<String, Object> into) {
        boolean none = facts == null;
        into.put(name(prefix, "arch"), none ? null : facts.arch);
        into.put(name(prefix, "vendor"), none ? null : facts.vendor);
        into.put(name(prefix, "model"), none ? null : facts.model);
        into.put(name(prefix, "modelKnown"), none ? null : facts.modelKnown);
        into.put(name(prefix, "microcode"), none ? null : facts.microcode);
        into.put(name(prefix, "family"), none ? null : facts.signatureFamily);
        into.put(name(prefix, "modelNumber"), none ? null : facts.signatureModel);
        into.put(name(prefix, "stepping"), none ? null : facts.signatureStepping);
        into.put(name(prefix, "source"), none ? null : facts.cpuSource);
        into.put(name(prefix, "listed"), none ? null : facts.listedFeatures.toArray(String[]::new));
        into.put(name(prefix, "disabled"), none ? null : facts.disabledFeatures.toArray(String[]::new));
        into.put(name(prefix, "features"), none ? null : facts.features.toArray(String[]::new));
        into.put(name(prefix, "unknown"), none ? null : facts.unknownFeatures.toArray(String[]::new));
    }

    private static String name(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    HostCpu toHostCpu() {
        CpuSignature signature = signatureFamily == null ? null
                : new CpuSignature(signatureFamily, signatureModel, signatureStepping);
        return new HostCpu(arch, vendor, model, Boolean.TRUE.equals(modelKnown), microcode, signature,
                HostCpu.CpuSource.fromWireName(cpuSource), listedFeatures, disabledFeatures, features, unknownFeatures);
    }
}
