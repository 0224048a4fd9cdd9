package io.fleetcpu.hosts.internal;

import io.fleetcpu.policy.migration.MigrationFacts;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * How a kind's {@link MigrationFacts} are kept in its row (db/migration/V16): null columns are unknown facts, and a
 * row with none (every kind stored before V16) reads as {@link MigrationFacts#UNKNOWN}.
 */
@Embeddable
class MigrationColumns {

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private @Nullable List<String> machineTypes;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private @Nullable List<String> deprecatedMachineTypes;

    /** Pairs: alias, the versioned type it stands for, alias, type, … */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private @Nullable List<String> machineTypeAliases;

    private @Nullable Integer physAddrBits;

    private @Nullable Long tscFrequency;

    private @Nullable Boolean tscScaling;

    private @Nullable Integer qemuMajor;

    private @Nullable Integer libvirtMajor;

    protected MigrationColumns() {}

    static @Nullable MigrationColumns of(MigrationFacts facts) {
        if (facts.unknown()) {
            return null;
        }
        MigrationColumns c = new MigrationColumns();
        c.machineTypes = facts.machineTypes() == null ? null : new ArrayList<>(facts.machineTypes());
        c.deprecatedMachineTypes = new ArrayList<>(facts.deprecatedMachineTypes());
        c.machineTypeAliases = new ArrayList<>();
        facts.machineTypeAliases().forEach((alias, type) -> {
            c.machineTypeAliases.add(alias);
            c.machineTypeAliases.add(type);
        });
        c.physAddrBits = facts.physAddrBits();
        c.tscFrequency = facts.tscFrequency();
        c.tscScaling = facts.tscScaling();
        c.qemuMajor = facts.qemuMajor();
        c.libvirtMajor = facts.libvirtMajor();
        return c;
    }

    static MigrationFacts facts(@Nullable MigrationColumns c) {
        if (c == null) {
            return MigrationFacts.UNKNOWN;
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        List<String> pairs = c.machineTypeAliases == null ? List.of() : c.machineTypeAliases;
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            aliases.put(pairs.get(i), pairs.get(i + 1));
        }
        return new MigrationFacts(
                c.machineTypes,
                c.deprecatedMachineTypes == null ? List.of() : c.deprecatedMachineTypes,
                aliases,
                c.physAddrBits,
                c.tscFrequency,
                c.tscScaling,
                c.qemuMajor,
                c.libvirtMajor);
    }

    /** The named parameters of {@link CpuKinds#store}'s insert. */
    static void columns(@Nullable MigrationColumns c, Map<String, Object> into) {
        into.put("machineTypes", c == null || c.machineTypes == null ? null : c.machineTypes.toArray(String[]::new));
        into.put(
                "deprecatedMachineTypes",
                c == null || c.deprecatedMachineTypes == null ? null : c.deprecatedMachineTypes.toArray(String[]::new));
        into.put(
                "machineTypeAliases",
                c == null || c.machineTypeAliases == null ? null : c.machineTypeAliases.toArray(String[]::new));
        into.put("physAddrBits", c == null ? null : c.physAddrBits);
        into.put("tscFrequency", c == null ? null : c.tscFrequency);
        into.put("tscScaling", c == null ? null : c.tscScaling);
        into.put("qemuMajor", c == null ? null : c.qemuMajor);
        into.put("libvirtMajor", c == null ? null : c.libvirtMajor);
    }
}
