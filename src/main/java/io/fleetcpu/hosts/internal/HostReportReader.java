package io.fleetcpu.hosts.internal;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuMapDigest;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.hosts.GuestModels;
import io.fleetcpu.hosts.HostCpu;
import io.fleetcpu.hosts.HostCpu.CpuSource;
import io.fleetcpu.hosts.HostGuests;
import io.fleetcpu.hosts.HostReport;
import io.fleetcpu.hosts.KernelFacts;
import io.fleetcpu.hosts.SoftwareVersions;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuSignature;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.libvirtxml.HostCapabilities;
import io.fleetcpu.libvirtxml.MachineType;
import io.fleetcpu.libvirtxml.MalformedXmlException;
import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.policy.NestedState;
import io.fleetcpu.policy.migration.MigrationFacts;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import io.fleetcpu.system.RequestLimitProperties;
import io.fleetcpu.web.AggregateId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Reads a registration into the facts fleetcpu stores, or refuses it whole naming every field
 * that is wrong. Documents are read with the hardened parser; the CPU is expanded through the
 * catalog of the host's libvirt version ({@link Catalogs#forLibvirt}); features that catalog does not know are kept
 * and reported back, never dropped.
 */
@Component
class HostReportReader {

    /** Architectures libvirt names; anything else is a typo or garbage. */
    private static final Set<String> ARCHS = Set.of(
            "x86_64",
            "i686",
            "aarch64",
            "armv7l",
            "armv6l",
            "ppc64",
            "ppc64le",
            "ppc",
            "s390x",
            "s390",
            "riscv64",
            "riscv32",
            "loongarch64",
            "mips64",
            "mips64el",
            "mips",
            "mipsel",
            "sparc64",
            "alpha",
            "parisc64");

    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.\\-_]{0,251}[A-Za-z0-9])?");
    /** The widths of the host table's columns. */
    private static final int MAX_VENDOR = 32;

    static final int MAX_MODEL = 64;
    private static final int MAX_MICROCODE = 32;
    private static final int MAX_VERSION = 64;
    private static final List<String> KVM_MODULES = List.of("kvm_intel", "kvm_amd");
    private static final List<String> VIRTUALIZATION_FLAGS = List.of("vmx", "svm");
    /** A CPU feature's or model's name as libvirt's maps spell them. */
    static final Pattern FEATURE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}");

    private final Catalogs catalogs;
    private final RequestLimitProperties limits;
    private final GuestReportReader guests;

    HostReportReader(Catalogs catalogs, RequestLimitProperties limits) {
        this.catalogs = catalogs;
        this.limits = limits;
        this.guests = new GuestReportReader(limits);
    }

    HostDescription read(HostReport report) {
        List<FieldProblem> problems = new ArrayList<>();
        HostCapabilities capabilities =
                parse(problems, "capabilitiesXml", report.capabilitiesXml(), HostCapabilities::parse);
        DomainCapabilities domain =
                parse(problems, "domainCapabilitiesXml", report.domainCapabilitiesXml(), DomainCapabilities::parse);
        CpuDefinition expanded = parse(problems, "expandedCpuXml", report.expandedCpuXml(), CpuDefinition::parse);
        CpuDefinition migratable = parse(problems, "migratableCpuXml", report.migratableCpuXml(), CpuDefinition::parse);
        if (migratable != null) {
            limits.checkFeatures(
                    problems, "migratableCpuXml.features", migratable.features().size());
        }
        if (domain != null && domain.hostModel() != null) {
            limits.checkFeatures(
                    problems,
                    "domainCapabilitiesXml.features",
                    domain.hostModel().features().size());
        }
        CpuDefinition hypervisor = parse(problems, "hypervisorCpuXml", report.hypervisorCpuXml(), CpuDefinition::parse);

        if (domain != null && domain.hostModel() != null) {
            // the host-model CPU's model name is stored with the kind of CPU, in a column as wide as any model's
            checkText(
                    problems,
                    "domainCapabilitiesXml",
                    "the host-model CPU's model is ",
                    domain.hostModel().model(),
                    MAX_MODEL);
        }
        UUID id = readId(problems, report.uuid(), capabilities);
        String hostname = report.hostname();
        if (hostname == null || hostname.isBlank()) {
            problems.add(new FieldProblem("hostname", "missing: name the host as operators know it"));
        } else if (!HOSTNAME.matcher(hostname).matches()) {
            problems.add(new FieldProblem("hostname", "'" + hostname + "' is not a host name"));
        }
        List<String> aggregates = readAggregates(problems, report.aggregates());

        // the host's own libvirt's map: what its libvirt knows of models and features
        CpuCatalog catalog = readCatalog(problems, report);
        if (catalog == null) {
            throw new InvalidRequestException(problems);
        }
        HostCpu cpu = readCpu(catalog, problems, report, capabilities, expanded);
        HostCpu hypervisorCpu = hypervisor == null || cpu == null
                ? null
                : fromDefinition(
                        catalog,
                        problems,
                        "hypervisorCpuXml",
                        CpuSource.HYPERVISOR_CPU,
                        hypervisor.arch() == null ? hypervisor.withArch(cpu.arch()) : hypervisor,
                        null);
        KernelFacts kernel = readKernel(problems, report.kernel());
        checkVersions(problems, report.versions());
        MigrationFacts migration = readMigration(problems, capabilities, report.versions());
        HostGuests hostGuests = guests.read(problems, report.guests());
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        GuestModels guestModels = domain == null
                ? null
                : new GuestModels(
                        domain.hostModel() == null ? null : domain.hostModel().model(),
                        domain.usableModelNames(),
                        supportedModes(domain),
                        domain.deprecatedModelNames(),
                        domain.modelNames(io.fleetcpu.libvirtxml.ModelUsability.UNKNOWN),
                        domain.modelNames(io.fleetcpu.libvirtxml.ModelUsability.NO));
        // Each reader gives null only after it added a problem, and problems were refused above.
        return new HostDescription(
                Objects.requireNonNull(id),
                Objects.requireNonNull(hostname),
                aggregates,
                Objects.requireNonNull(cpu),
                hypervisorCpu,
                guestModels,
                kernel,
                report.versions(),
                new HostDescription.Documents(
                        report.capabilitiesXml(),
                        report.domainCapabilitiesXml(),
                        report.expandedCpuXml(),
                        report.migratableCpuXml(),
                        report.hypervisorCpuXml()),
                catalog.name(),
                migration,
                hostGuests);
    }

    /**
     * Machine types, address bits and TSC from the capabilities, major versions from the versions: each unknown
     * where the report does not say.
     */
    private MigrationFacts readMigration(
            List<FieldProblem> problems, @Nullable HostCapabilities capabilities, @Nullable SoftwareVersions versions) {
        List<MachineType> machines = capabilities == null ? List.of() : capabilities.machineTypes();
        if (!limits.checkMachineTypes(problems, "capabilitiesXml.machineTypes", machines.size())) {
            return MigrationFacts.UNKNOWN;
        }
        int before = problems.size();
        for (int i = 0; i < machines.size() && problems.size() == before; i++) {
            checkText(
                    problems,
                    "capabilitiesXml",
                    "a machine type is ",
                    machines.get(i).name(),
                    MAX_MODEL);
            checkText(
                    problems,
                    "capabilitiesXml",
                    "a machine type's canonical name is ",
                    machines.get(i).canonical(),
                    MAX_MODEL);
        }
        return MigrationFacts.of(
                capabilities, versions == null ? null : versions.qemu(), versions == null ? null : versions.libvirt());
    }

    /**
     * The map the host is read with: the one its agent sent (by digest), else the bundled map of its libvirt version;
     * null, with a problem, for a map the service does not hold.
     */
    private @Nullable CpuCatalog readCatalog(List<FieldProblem> problems, HostReport report) {
        String digest = report.cpuMap();
        if (digest != null && !CpuMapDigest.FORM.matcher(digest).matches()) {
            problems.add(new FieldProblem("cpuMap", "not a cpu_map digest: 64 lower-case hexadecimal digits"));
            return null;
        }
        String libvirt = report.versions() == null ? null : report.versions().libvirt();
        Optional<CpuCatalog> catalog = catalogs.forHost(digest, libvirt);
        if (catalog.isEmpty()) {
            problems.add(new FieldProblem(
                    "cpuMap",
                    "the service does not hold the cpu_map " + digest + ": upload it with PUT /cpu-maps/" + digest
                            + " (the agent does), then register again"));
            return null;
        }
        return catalog.get();
    }

    /** The modes libvirt calls supported; custom always is where the document lists usable models. */
    private static List<String> supportedModes(DomainCapabilities domain) {
        List<String> modes = new ArrayList<>();
        if (domain.hostPassthroughSupported()) {
            modes.add("host-passthrough");
        }
        if (domain.hostModelSupported()) {
            modes.add("host-model");
        }
        modes.add("custom");
        return modes;
    }

    private static KernelFacts readKernel(List<FieldProblem> problems, HostReport.@Nullable ReportedKernel kernel) {
        if (kernel == null) {
            return KernelFacts.UNKNOWN;
        }
        checkOneOf(problems, "kernel.kvmModule", kernel.kvmModule(), KVM_MODULES);
        checkOneOf(problems, "kernel.virtualizationFlag", kernel.virtualizationFlag(), VIRTUALIZATION_FLAGS);
        // the one place the registration's word becomes the state; left out, it is unknown
        NestedState nested = NestedState.UNKNOWN;
        if (kernel.nested() != null) {
            try {
                nested = NestedState.fromWireName(kernel.nested());
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("kernel.nested", e.getMessage()));
            }
        }
        checkLength(problems, "kernel.release", kernel.release(), MAX_VERSION * 2);
        return new KernelFacts(kernel.release(), kernel.kvmModule(), nested, kernel.virtualizationFlag());
    }

    private static void checkVersions(List<FieldProblem> problems, @Nullable SoftwareVersions versions) {
        if (versions != null) {
            checkLength(problems, "versions.libvirt", versions.libvirt(), MAX_VERSION);
            checkLength(problems, "versions.qemu", versions.qemu(), MAX_VERSION);
            checkLength(problems, "versions.agent", versions.agent(), MAX_VERSION);
        }
    }

    static void checkOneOf(List<FieldProblem> problems, String field, @Nullable String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            problems.add(new FieldProblem(field, "'" + value + "' is not one of " + allowed));
        }
    }

    private List<String> readAggregates(List<FieldProblem> problems, @Nullable List<String> ids) {
        if (ids == null) {
            return List.of();
        }
        if (!RequestLimitProperties.checkCount(
                problems,
                "aggregates",
                ids.size(),
                limits.maxAggregatesPerHost(),
                "aggregates",
                "max-aggregates-per-host")) {
            return List.of();
        }
        for (int i = 0; i < ids.size(); i++) {
            if (!AggregateId.isValid(ids.get(i))) {
                problems.add(new FieldProblem("aggregates[" + i + "]", AggregateId.problem(ids.get(i))));
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(ids));
    }

    private interface Parser<T> {
        T parse(String xml);
    }

    private static <T> @Nullable T parse(
            List<FieldProblem> problems, String field, @Nullable String xml, Parser<T> parser) {
        if (xml == null) {
            return null;
        }
        try {
            return parser.parse(xml);
        } catch (MalformedXmlException e) {
            problems.add(new FieldProblem(field, e.getMessage()));
            return null;
        }
    }

    private static @Nullable UUID readId(
            List<FieldProblem> problems, @Nullable String uuid, @Nullable HostCapabilities capabilities) {
        UUID fromDocument = capabilities == null ? null : capabilities.hostUuid();
        if (uuid == null || uuid.isBlank()) {
            if (fromDocument == null) {
                problems.add(new FieldProblem(
                        "uuid", "missing: send libvirt's host UUID, or capabilitiesXml that carries it"));
            }
            return fromDocument;
        }
        try {
            UUID id = UUID.fromString(uuid.strip());
            if (!id.toString().equalsIgnoreCase(uuid.strip())) {
                throw new IllegalArgumentException();
            }
            if (fromDocument != null && !fromDocument.equals(id)) {
                problems.add(new FieldProblem(
                        "uuid", "'" + uuid + "' differs from the host UUID in capabilitiesXml (" + fromDocument + ")"));
            }
            return id;
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("uuid", "'" + uuid + "' is not a UUID"));
            return null;
        }
    }

    private @Nullable HostCpu readCpu(
            CpuCatalog catalog,
            List<FieldProblem> problems,
            HostReport report,
            @Nullable HostCapabilities capabilities,
            @Nullable CpuDefinition expanded) {
        if (capabilities != null && capabilities.cpu() != null) {
            return fromDefinition(
                    catalog, problems, "capabilitiesXml", CpuSource.CAPABILITIES, capabilities.cpu(), expanded);
        }
        if (expanded != null) {
            // 'virsh cpu-baseline --features' prints no <arch>; a model of the catalog says which it is.
            if (expanded.arch() == null
                    && expanded.model() != null
                    && catalog.model(expanded.model()).isPresent()) {
                expanded = expanded.withArch("x86_64");
            }
            return fromDefinition(catalog, problems, "expandedCpuXml", CpuSource.EXPANDED_CPU, expanded, null);
        }
        if (report.cpu() != null) {
            HostReport.ReportedCpu c = report.cpu();
            return describe(
                    catalog,
                    problems,
                    "cpu",
                    CpuSource.CPU,
                    c.arch(),
                    c.vendor(),
                    c.model(),
                    null,
                    null,
                    nonNull(c.features()),
                    nonNull(c.disabledFeatures()),
                    null);
        }
        if (report.capabilitiesXml() == null) {
            problems.add(new FieldProblem(
                    "cpu",
                    "missing: send capabilitiesXml, expandedCpuXml or a cpu object"
                            + (report.domainCapabilitiesXml() == null
                                    ? ""
                                    : " (domainCapabilitiesXml says what guests can get, not what the host CPU is)")));
        }
        return null;
    }

    private @Nullable HostCpu fromDefinition(
            CpuCatalog catalog,
            List<FieldProblem> problems,
            String field,
            CpuSource source,
            CpuDefinition cpu,
            @Nullable CpuDefinition expanded) {
        CpuSignature signature = cpu.signature();
        return describe(
                catalog,
                problems,
                field,
                source,
                cpu.arch(),
                cpu.vendor(),
                cpu.model(),
                cpu.microcodeVersion(),
                signature,
                cpu.requiredFeatureNames(),
                cpu.disabledFeatureNames(),
                expanded);
    }

    private @Nullable HostCpu describe(
            CpuCatalog catalog,
            List<FieldProblem> problems,
            String field,
            CpuSource source,
            @Nullable String arch,
            @Nullable String vendor,
            @Nullable String model,
            @Nullable String microcode,
            @Nullable CpuSignature signature,
            List<String> listed,
            List<String> disabled,
            @Nullable CpuDefinition expanded) {
        int before = problems.size();
        if (!limits.checkFeatures(problems, field + ".features", listed.size() + disabled.size())) {
            return null;
        }
        if (arch == null || arch.isBlank()) {
            problems.add(new FieldProblem(
                    field + ".arch", "missing: say which architecture the CPU is (x86_64, aarch64, …)"));
        } else if (!ARCHS.contains(arch)) {
            problems.add(new FieldProblem(field + ".arch", "'" + arch + "' is not an architecture libvirt knows"));
        }
        for (String name : concat(listed, disabled)) {
            if (name == null || !FEATURE.matcher(name).matches()) {
                problems.add(new FieldProblem(field + ".features", "'" + name + "' is not a CPU feature name"));
            }
        }
        checkLength(problems, field + ".vendor", vendor, MAX_VENDOR);
        checkLength(problems, field + ".model", model, MAX_MODEL);
        checkLength(problems, field + ".microcode", microcode, MAX_MICROCODE);
        boolean catalogued = arch != null && catalog.supportsArch(arch);
        if (catalogued && vendor != null && !catalog.vendors().contains(vendor)) {
            problems.add(new FieldProblem(
                    field + ".vendor",
                    "'" + vendor + "' is not a CPU vendor the catalog knows; known: " + catalog.vendors()));
        }
        Optional<CpuModel> known = catalogued && model != null ? catalog.model(model) : Optional.empty();
        if (catalogued && model != null && known.isEmpty() && listed.isEmpty() && expanded == null) {
            problems.add(new FieldProblem(
                    field + ".model",
                    "'" + model + "' is not a CPU model the catalog ("
                            + catalog.info().source() + ") knows, and no feature list says what it stands for: "
                            + "send its features, or expandedCpuXml"));
        }
        if (problems.size() > before) {
            return null;
        }
        List<String> unknown = catalogued
                ? concat(listed, disabled).stream()
                        .filter(f -> catalog.feature(f).isEmpty())
                        .distinct()
                        .toList()
                : List.of();
        List<String> features = catalogued ? expand(catalog, known, listed, disabled, expanded) : List.copyOf(listed);
        // a missing arch is a problem above
        return new HostCpu(
                Objects.requireNonNull(arch),
                vendor,
                model,
                known.isPresent(),
                microcode,
                signature,
                source,
                listed,
                disabled,
                features,
                unknown);
    }

    /** The model's features, plus the listed ones, minus the disabled ones, in catalog order. */
    private static List<String> expand(
            CpuCatalog catalog,
            Optional<CpuModel> model,
            List<String> listed,
            List<String> disabled,
            @Nullable CpuDefinition expanded) {
        List<String> required = model.isEmpty() && expanded != null ? expanded.requiredFeatureNames() : listed;
        // names the catalog does not define are kept apart, in the report's unknownFeatures
        return catalog.featureNames(catalog.expand(
                model.map(CpuModel::features).orElse(FeatureSet.empty()),
                required,
                disabled,
                CpuCatalog.PASS_OVER_UNKNOWN));
    }

    /** Free text from an agent: not too long, and nothing a database or a terminal would choke on. */
    private static void checkLength(List<FieldProblem> problems, String field, @Nullable String value, int max) {
        checkText(problems, field, "", value, max);
    }

    /** The same for a value inside a field (a document), which {@code what} names. */
    static void checkText(List<FieldProblem> problems, String field, String what, @Nullable String value, int max) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            problems.add(new FieldProblem(field, what + "longer than " + max + " characters"));
        } else if (value.codePoints()
                .anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE)) {
            problems.add(
                    new FieldProblem(field, what + "contains control characters (such as NUL) or a lone surrogate"));
        }
    }

    private static List<String> nonNull(@Nullable List<String> list) {
        return list == null ? List.of() : list;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
