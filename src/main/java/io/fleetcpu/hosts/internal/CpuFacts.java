package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.HostCpu;
import io.fleetcpu.libvirtxml.CpuSignature;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/** How a {@link HostCpu} is kept in the host's row; a host keeps one for each view of its CPU. */
@Embeddable
class CpuFacts {

    private String arch;

    private @Nullable String vendor;

    private @Nullable String model;

    private Boolean modelKnown;

    private @Nullable String microcode;

    private @Nullable Integer signatureFamily;

    private @Nullable Integer signatureModel;

    private @Nullable Integer signatureStepping;

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

    @SuppressWarnings("NullAway.Init") // JPA: Hibernate sets the not-null columns when it loads the row
    protected CpuFacts() {}

    static CpuFacts of(HostCpu cpu) {
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
    static void columns(@Nullable CpuFacts facts, String prefix, java.util.Map<String, Object> into) {
        into.put(name(prefix, "arch"), facts == null ? null : facts.arch);
        into.put(name(prefix, "vendor"), facts == null ? null : facts.vendor);
        into.put(name(prefix, "model"), facts == null ? null : facts.model);
        into.put(name(prefix, "modelKnown"), facts == null ? null : facts.modelKnown);
        into.put(name(prefix, "microcode"), facts == null ? null : facts.microcode);
        into.put(name(prefix, "family"), facts == null ? null : facts.signatureFamily);
        into.put(name(prefix, "modelNumber"), facts == null ? null : facts.signatureModel);
        into.put(name(prefix, "stepping"), facts == null ? null : facts.signatureStepping);
        into.put(name(prefix, "source"), facts == null ? null : facts.cpuSource);
        into.put(name(prefix, "listed"), facts == null ? null : facts.listedFeatures.toArray(String[]::new));
        into.put(name(prefix, "disabled"), facts == null ? null : facts.disabledFeatures.toArray(String[]::new));
        into.put(name(prefix, "features"), facts == null ? null : facts.features.toArray(String[]::new));
        into.put(name(prefix, "unknown"), facts == null ? null : facts.unknownFeatures.toArray(String[]::new));
    }

    private static String name(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    HostCpu toHostCpu() {
        CpuSignature signature = signatureFamily == null
                ? null
                // the signature's columns are written together
                : new CpuSignature(signatureFamily, Objects.requireNonNull(signatureModel), signatureStepping);
        return new HostCpu(
                arch,
                vendor,
                model,
                Boolean.TRUE.equals(modelKnown),
                microcode,
                signature,
                HostCpu.CpuSource.fromWireName(cpuSource),
                listedFeatures,
                disabledFeatures,
                features,
                unknownFeatures);
    }
}
