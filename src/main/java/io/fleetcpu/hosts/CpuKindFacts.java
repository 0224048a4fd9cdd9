package io.fleetcpu.hosts;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.CpuSignature;
import io.fleetcpu.policy.NestedState;
import io.fleetcpu.policy.migration.MigrationFacts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Everything any computation reads of a host's CPU: the physical CPU, the hypervisor's view of it, the models the
 * hypervisor runs, and the kvm module's state. Hosts with equal facts are one kind of CPU, stored once under
 * {@link #id()}; what is only the host's own (name, kernel release, versions, documents) stays with the host.
 *
 * @param hypervisorCpu null when the host did not report it
 * @param guestModels null when the host did not report its domain capabilities
 * @param catalog the catalog the CPU was read with ({@link CpuCatalog#name()}: {@code libvirt 9.0}, {@code libvirt
 *        11.3}), chosen by the host's libvirt version: the same CPU read with another map is another kind
 * @param migration what a live migration needs of the host beyond its CPU (machine types, address bits, TSC, major
 *        versions): part of the kind, because it shapes answers
 */
public record CpuKindFacts(
        HostCpu cpu,
        @Nullable HostCpu hypervisorCpu,
        @Nullable GuestModels guestModels,
        @Nullable String kvmModule,
        NestedState nested,
        @Nullable String virtualizationFlag,
        @Nullable String catalog,
        MigrationFacts migration) {

    /**
     * The catalog kinds stored before catalogs were per host were read with, unless configured otherwise; its name is
     * left out of the canonical form, so that those kinds keep their ids.
     */
    static final String FIRST_CATALOG = "libvirt 9.0";

    /**
     * Changes only if the canonical form below changes; then every kind gets a new id. Facts added later are written
     * only when present, so kinds without them keep their ids (V13 re-keys the kinds that have them).
     */
    private static final String FORM = "fleetcpu-cpu-kind 1";

    public static CpuKindFacts of(
            HostCpu cpu,
            @Nullable HostCpu hypervisorCpu,
            @Nullable GuestModels guestModels,
            KernelFacts kernel,
            @Nullable String catalog,
            MigrationFacts migration) {
        return new CpuKindFacts(
                cpu,
                hypervisorCpu,
                guestModels,
                kernel.kvmModule(),
                kernel.nested(),
                kernel.virtualizationFlag(),
                catalog,
                migration);
    }

    /**
     * These facts as an answer computed with this catalog reads them: the host's own catalog, or the part of its
     * members' maps an aggregate's answer is computed with (what every member's libvirt knows). Nothing the catalog
     * cannot name stops the reading: features it does not know are left out (guests cannot be given what their
     * libvirt cannot name) and kept apart in {@link HostCpu#unknownFeatures()}, a model it does not know is replaced
     * by the newest of its models the CPU has every feature of (as libvirt decodes a CPU) where its features are
     * known in full ({@link HostCpu#featuresInFull()}), and each model's features are counted as the catalog defines
     * them. A CPU whose model it does not know and whose features are not known in full, or cover none of its
     * models, keeps its unknown model, and is refused where it is read. Usable models the catalog does not know are left
     * out.
     */
    public CpuKindFacts readWith(CpuCatalog other) {
        if (other.name().equals(catalog) && readInFull(cpu) && (hypervisorCpu == null || readInFull(hypervisorCpu))) {
            return this;
        }
        GuestModels models = guestModels == null
                ? null
                : new GuestModels(
                        guestModels.hostModel(),
                        guestModels.usableModels().stream()
                                .filter(m -> other.model(m).isPresent())
                                .toList(),
                        guestModels.supportedModes(),
                        guestModels.deprecatedModels(),
                        guestModels.unknownModels(),
                        guestModels.unusableModels());
        return new CpuKindFacts(
                readWith(cpu, other),
                hypervisorCpu == null ? null : readWith(hypervisorCpu, other),
                models,
                kvmModule,
                nested,
                virtualizationFlag,
                other.name(),
                migration);
    }

    /** Whether the catalog the CPU was read with knew its model and every feature it reported. */
    private static boolean readInFull(HostCpu cpu) {
        return cpu.modelKnown() && cpu.unknownFeatures().isEmpty();
    }

    private static HostCpu readWith(HostCpu cpu, CpuCatalog other) {
        if (!other.supportsArch(cpu.arch())) {
            return cpu;
        }
        FeatureSet features = other.knownSet(cpu.features());
        List<String> unknown = new ArrayList<>(cpu.unknownFeatures());
        cpu.features().stream()
                .filter(f -> other.feature(f).isEmpty() && !unknown.contains(f))
                .forEach(unknown::add);
        Optional<CpuModel> model =
                cpu.model() == null || !cpu.modelKnown() ? Optional.empty() : other.model(cpu.model());
        if (model.isEmpty() && cpu.featuresInFull()) {
            model = decoded(other, cpu.vendor(), features);
        }
        if (model.isEmpty()) {
            // nothing to read it as: the features it does have, the unknown model that is refused where it is read
            return new HostCpu(
                    cpu.arch(),
                    cpu.vendor(),
                    cpu.model(),
                    false,
                    cpu.microcode(),
                    cpu.signature(),
                    cpu.source(),
                    other.featureNames(features),
                    List.of(),
                    other.featureNames(features),
                    unknown);
        }
        FeatureSet modelFeatures = model.get().features();
        return new HostCpu(
                cpu.arch(),
                cpu.vendor(),
                model.get().name(),
                true,
                cpu.microcode(),
                cpu.signature(),
                cpu.source(),
                other.featureNames(features.minus(modelFeatures)),
                other.featureNames(modelFeatures.minus(features)),
                other.featureNames(features),
                unknown);
    }

    /** The newest model of the catalog, of the CPU's vendor or of none, whose features the CPU all has. */
    private static Optional<CpuModel> decoded(CpuCatalog catalog, @Nullable String vendor, FeatureSet features) {
        List<CpuModel> models = catalog.models();
        for (int i = models.size() - 1; i >= 0; i--) {
            CpuModel m = models.get(i);
            if ((m.vendor() == null || m.vendor().equals(vendor))
                    && m.decodeHost()
                    && features.containsAll(m.features())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The kind's id: 128 bits of the SHA-256 of the canonical form, in hex. */
    public String id() {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(canonicalForm().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** One line per fact, values escaped, absent values as {@code ~}: equal facts, equal text, and only then. */
    public String canonicalForm() {
        return String.join(
                        "\n",
                        FORM,
                        "cpu " + cpuLine(cpu),
                        "hypervisor " + (hypervisorCpu == null ? "~" : cpuLine(hypervisorCpu)),
                        "guestModels "
                                + (guestModels == null
                                        ? "~"
                                        : value(guestModels.hostModel()) + ";"
                                                + list(guestModels.usableModels()) + ";"
                                                + list(guestModels.supportedModes())
                                                // Only when there are some: the kinds of hosts whose
                                                // hypervisor deprecates no model keep the ids they had
                                                // before fleetcpu kept this fact.
                                                + notEmpty(";deprecated", guestModels.deprecatedModels())
                                                + notEmpty(";unknown", guestModels.unknownModels())
                                                + notEmpty(";unusable", guestModels.unusableModels())),
                        "kernel " + value(kvmModule) + ";" + value(nested == null ? null : nested.wireName()) + ";"
                                + value(virtualizationFlag))
                + (catalog == null || catalog.equals(FIRST_CATALOG) ? "" : "\ncatalog " + value(catalog))
                + (migration.unknown() ? "" : "\nmigration " + migrationLine(migration));
    }

    /** Written only when something is known, so that kinds stored before fleetcpu kept these facts keep their ids. */
    private static String migrationLine(MigrationFacts m) {
        String aliases = m.machineTypeAliases().entrySet().stream()
                .map(e -> list(List.of(e.getKey(), e.getValue())))
                .collect(Collectors.joining(",", "[", "]"));
        return String.join(
                ";",
                list(m.machineTypes()),
                list(m.deprecatedMachineTypes()),
                aliases,
                number(m.physAddrBits()),
                number(m.tscFrequency()),
                m.tscScaling() == null ? "~" : String.valueOf(m.tscScaling()),
                number(m.qemuMajor()),
                number(m.libvirtMajor()));
    }

    private static String number(@Nullable Number n) {
        return n == null ? "~" : n.toString();
    }

    private static String cpuLine(HostCpu cpu) {
        CpuSignature s = cpu.signature();
        return String.join(
                ";",
                value(cpu.arch()),
                value(cpu.vendor()),
                value(cpu.model()),
                String.valueOf(cpu.modelKnown()),
                value(cpu.microcode()),
                s == null ? "~" : s.family() + "/" + s.model() + "/" + (s.stepping() == null ? "~" : s.stepping()),
                cpu.source().wireName(),
                list(cpu.listedFeatures()),
                list(cpu.disabledFeatures()),
                list(cpu.features()),
                list(cpu.unknownFeatures()));
    }

    /** The list after its tag when there is something in it; else nothing, as before fleetcpu kept it. */
    private static String notEmpty(String tag, @Nullable List<String> values) {
        return values == null || values.isEmpty() ? "" : tag + list(values);
    }

    private static String list(@Nullable List<String> values) {
        return values == null
                ? "~"
                : "[" + values.stream().map(CpuKindFacts::value).collect(Collectors.joining(",")) + "]";
    }

    private static String value(@Nullable String text) {
        if (text == null) {
            return "~";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 2);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\', ';', ',', '~', '[', ']' -> escaped.append('\\').append(c);
                case '\n' -> escaped.append("\\n");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
