package io.fleetcpu.agent.libvirt;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuSignature;
import io.fleetcpu.libvirtxml.CustomCpuModel;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.LibvirtDriver;
import io.fleetcpu.policy.baseline.NamedCpu;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * fleetcpu's baseline against libvirt's ({@code virConnectBaselineCPU} through the in-process test driver) on
 * generated CPU descriptions that libvirt accepts but no real host reports: hosts naming different models, with
 * and without {@code <signature>}, an older model listing newer features, a model with features taken away; and
 * guest-shaped CPUs (feature policies, no {@code <arch>}) against libvirtd's {@code virConnectBaselineHypervisorCPU},
 * the one libvirt API that reads their policies with the meaning fleetcpu gives them (docs/guest-cpus.md).
 * The cases come from jqwik generators drawn with a fixed seed, so a failure names a case that comes back.
 */
class GeneratedBaselineDifferentialTest {

    private static final long SEED = 20261130L;
    private static final int SETS_PER_KIND = 600;
    private static final CpuCatalog catalog = CpuCatalog.bundled();
    private static final BaselineCalculator calculator = new BaselineCalculator(catalog);
    private static LibvirtConnection libvirt;
    private static String unavailable;
    /** libvirtd's QEMU driver, which also takes VIR_CONNECT_BASELINE_CPU_MIGRATABLE; null when none answers. */
    private static LibvirtConnection qemu;

    private static String qemuUnavailable;

    /** One generated host CPU: what fleetcpu reads and the {@code <cpu>} libvirt reads. */
    record Host(CpuDescription cpu, String xml) {}

    enum Kind {
        /**
         * Host CPUs of one vendor naming different catalog models (the vendor's or vendorless ones), a few extra
         * features each, with or without {@code <vendor>}, no signature.
         */
        DIFFERENT_MODELS(true),
        /** The same with a {@code <signature>} on every host. */
        DIFFERENT_MODELS_SIGNED(true),
        /** A real host re-described as an older model of its vendor listing the newer features it has. */
        OLDER_MODEL_NEWER_FEATURES(true),
        /** A catalog model minus a few features, described as an older model plus the rest. */
        FEATURES_TAKEN_AWAY(true),
        /**
         * Guest-shaped CPUs as libvirt writes a host-model or expanded baseline CPU and fleetcpu receives them
         * (hypervisorCpuXml, expandedCpuXml): a model, its vendor, no {@code <arch>}, features with policies
         * ({@code require} or {@code force} for extra ones, {@code disable} or {@code forbid} for the model's own
         * ones the host lacks, sometimes an {@code optional} one). A disabled feature means the host lacks it.
         * virConnectBaselineCPU cannot read them (it parses every {@code <cpu>} as a host CPU: without
         * {@code <arch>} it refuses, with one it ignores the policies and counts a disabled feature as present);
         * virConnectBaselineHypervisorCPU reads a {@code <cpu>} without {@code <arch>} as a guest CPU and takes a
         * disabled feature away, so these are compared with that API of libvirtd, whose answer fleetcpu gives
         * with {@link BaselineCalculator#hypervisorBaseline} from the same hypervisor's models and features.
         */
        REQUIRE_AND_DISABLE_POLICIES(true);

        final boolean asserted;

        Kind(boolean asserted) {
            this.asserted = asserted;
        }

        /** Whether the kind's CPUs are guest-shaped: compared with virConnectBaselineHypervisorCPU only. */
        boolean guestShaped() {
            return this == REQUIRE_AND_DISABLE_POLICIES;
        }
    }

    @BeforeContainer
    static void connect() {
        try {
            libvirt = LibvirtConnection.open(System.getProperty("fleetcpu.libvirt.uri", "test:///default"));
        } catch (LibvirtException | LinkageError e) {
            unavailable = e.getMessage();
        }
        try {
            qemu = LibvirtConnection.open(System.getProperty("fleetcpu.libvirt.qemu.uri", "qemu:///system"));
        } catch (LibvirtException | LinkageError e) {
            qemuUnavailable = e.getMessage();
        }
    }

    @AfterContainer
    static void disconnect() {
        if (libvirt != null) {
            libvirt.close();
        }
        if (qemu != null) {
            qemu.close();
        }
    }

    // ---- generators -----------------------------------------------------------------------------------------

    private static final List<String> VENDORS = List.of("Intel", "AMD");

    private static List<CpuModel> modelsOf(String vendor) {
        return catalog.models().stream()
                .filter(m -> m.vendor() == null || vendor.equals(m.vendor()))
                .toList();
    }

    private static Arbitrary<List<String>> extraFeatures(int max) {
        return Arbitraries.of(catalog.features().stream().map(f -> f.name()).toList())
                .list()
                .uniqueElements()
                .ofMaxSize(max);
    }

    private static Arbitrary<CpuSignature> signature(String vendor) {
        Arbitrary<Integer> family = vendor.equals("Intel") ? Arbitraries.just(6) : Arbitraries.of(21, 23, 25);
        return Combinators.combine(
                        family,
                        Arbitraries.integers().between(1, 255),
                        Arbitraries.integers().between(0, 15))
                .as(CpuSignature::new);
    }

    private static Arbitrary<Host> namedModel(String vendor, boolean signed) {
        Arbitrary<CpuModel> model = Arbitraries.of(modelsOf(vendor));
        Arbitrary<CpuSignature> sig = signed ? signature(vendor) : Arbitraries.just(null);
        return Combinators.combine(model, extraFeatures(3), sig, Arbitraries.of(true, false))
                .as((m, extra, s, withVendor) -> host(withVendor ? vendor : null, m.name(), extra, List.of(), s));
    }

    private static Arbitrary<List<Host>> differentModels(boolean signed) {
        return Arbitraries.of(VENDORS)
                .flatMap(v -> namedModel(v, signed).list().ofMinSize(2).ofMaxSize(4));
    }

    /** Any model of the vendor (or vendorless) whose features all lie in {@code features}, drawn at random. */
    private static Arbitrary<Host> asOlderModel(String vendor, FeatureSet features, CpuSignature sig) {
        List<CpuModel> older = catalog.models().stream()
                .filter(m -> m.vendor() == null || vendor.equals(m.vendor()))
                .filter(m -> features.containsAll(m.features()))
                .toList();
        if (older.isEmpty()) {
            return Arbitraries.just(null);
        }
        return Arbitraries.of(older)
                .map(m -> host(vendor, m.name(), catalog.featureNames(features.minus(m.features())), List.of(), sig));
    }

    private static Arbitrary<List<Host>> olderModelNewerFeatures() {
        Arbitrary<CpuFixtures.Fixture> fixture = Arbitraries.of(CpuFixtures.accepted().stream()
                .filter(f -> f.kind().equals("host"))
                .toList());
        return fixture.flatMap(f -> {
                    FeatureSet features = calculator.expand(f.cpu());
                    CpuSignature sig = CpuDefinition.parse(f.hostXml()).signature();
                    Arbitrary<Host> redescribed = asOlderModel(f.vendor(), features, sig);
                    Arbitrary<List<Host>> others = Arbitraries.of(CpuFixtures.accepted().stream()
                                    .filter(o -> o.vendor().equals(f.vendor()))
                                    .toList())
                            .map(o -> new Host(o.cpu(), o.hostXml()))
                            .list()
                            .ofMaxSize(2);
                    return Combinators.combine(redescribed, others).as((r, o) -> {
                        List<Host> set = new ArrayList<>(o);
                        set.add(0, r);
                        return set;
                    });
                })
                .filter(set -> set.get(0) != null);
    }

    private static Arbitrary<List<Host>> featuresTakenAway() {
        Arbitrary<Host> one = Arbitraries.of(VENDORS)
                .flatMap(v -> Arbitraries.of(modelsOf(v)).flatMap(m -> {
                    List<String> own = catalog.featureNames(m.features());
                    return Arbitraries.of(own)
                            .list()
                            .uniqueElements()
                            .ofMinSize(1)
                            .ofMaxSize(3)
                            .flatMap(gone -> asOlderModel(v, m.features().minus(catalog.featureSet(gone)), null));
                }))
                .filter(h -> h != null);
        Arbitrary<Host> plain = Arbitraries.of(VENDORS).flatMap(v -> namedModel(v, false));
        return Combinators.combine(one, plain.list().ofMaxSize(2)).as((a, rest) -> {
            List<Host> set = new ArrayList<>(rest);
            set.add(0, a);
            return set;
        });
    }

    private static Arbitrary<List<Host>> requireAndDisable() {
        Arbitrary<Host> one = Arbitraries.of(VENDORS)
                .flatMap(v -> Arbitraries.of(modelsOf(v))
                        .flatMap(m -> Combinators.combine(
                                        extraFeatures(2),
                                        Arbitraries.of(catalog.featureNames(m.features()))
                                                .list()
                                                .uniqueElements()
                                                .ofMinSize(1)
                                                .ofMaxSize(3),
                                        extraFeatures(1),
                                        Arbitraries.of(true, false),
                                        Arbitraries.of(true, false))
                                .as((req, dis, opt, strong, custom) -> {
                                    List<String> added = req.stream()
                                            .filter(r -> !dis.contains(r))
                                            .toList();
                                    List<String> optional = opt.stream()
                                            .filter(o -> !dis.contains(o) && !added.contains(o))
                                            .toList();
                                    return guest(v, m.name(), added, dis, optional, strong, custom);
                                })));
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    private static Arbitrary<List<Host>> cases(Kind kind) {
        return switch (kind) {
            case DIFFERENT_MODELS -> differentModels(false);
            case DIFFERENT_MODELS_SIGNED -> differentModels(true);
            case OLDER_MODEL_NEWER_FEATURES -> olderModelNewerFeatures();
            case FEATURES_TAKEN_AWAY -> featuresTakenAway();
            case REQUIRE_AND_DISABLE_POLICIES -> requireAndDisable();
        };
    }

    static Host host(String vendor, String model, List<String> required, List<String> disabled, CpuSignature sig) {
        StringBuilder xml = new StringBuilder("<cpu>\n  <arch>x86_64</arch>\n  <model>")
                .append(model)
                .append("</model>\n");
        if (vendor != null) {
            xml.append("  <vendor>").append(vendor).append("</vendor>\n");
        }
        if (sig != null) {
            xml.append("  <signature family='")
                    .append(sig.family())
                    .append("' model='")
                    .append(sig.model())
                    .append("' stepping='")
                    .append(sig.stepping() == null ? 0 : sig.stepping())
                    .append("'/>\n");
        }
        required.forEach(
                f -> xml.append("  <feature policy='require' name='").append(f).append("'/>\n"));
        disabled.forEach(
                f -> xml.append("  <feature policy='disable' name='").append(f).append("'/>\n"));
        xml.append("</cpu>\n");
        return new Host(new CpuDescription("x86_64", vendor, model, required, disabled), xml.toString());
    }

    /**
     * A guest-shaped {@code <cpu>} and what fleetcpu reads from it the way a registration's hypervisorCpuXml is
     * read: parsed as a CPU definition, given the host's arch.
     *
     * @param strong  {@code force}/{@code forbid} instead of {@code require}/{@code disable}
     * @param custom  with {@code mode='custom' match='exact'} on {@code <cpu>}, as libvirt prints a baseline
     */
    static Host guest(
            String vendor,
            String model,
            List<String> required,
            List<String> disabled,
            List<String> optional,
            boolean strong,
            boolean custom) {
        StringBuilder xml = new StringBuilder(custom ? "<cpu mode='custom' match='exact'>\n" : "<cpu>\n");
        xml.append("  <model fallback='forbid'>").append(model).append("</model>\n");
        xml.append("  <vendor>").append(vendor).append("</vendor>\n");
        String give = strong ? "force" : "require";
        String withhold = strong ? "forbid" : "disable";
        required.forEach(f -> xml.append("  <feature policy='")
                .append(give)
                .append("' name='")
                .append(f)
                .append("'/>\n"));
        disabled.forEach(f -> xml.append("  <feature policy='")
                .append(withhold)
                .append("' name='")
                .append(f)
                .append("'/>\n"));
        optional.forEach(
                f -> xml.append("  <feature policy='optional' name='").append(f).append("'/>\n"));
        xml.append("</cpu>\n");
        CpuDefinition read = CpuDefinition.parse(xml.toString()).withArch("x86_64");
        return new Host(
                new CpuDescription(
                        read.arch(),
                        read.vendor(),
                        read.model(),
                        read.requiredFeatureNames(),
                        read.disabledFeatureNames()),
                xml.toString());
    }

    // ---- comparison -----------------------------------------------------------------------------------------

    /** fleetcpu's and libvirt's answers; equal when both refuse. */
    record Outcome(List<Host> hosts, String form, String ours, String theirs) {
        boolean agrees() {
            return ours.startsWith("REFUSED") ? theirs.startsWith("REFUSED") : ours.equals(theirs);
        }

        String describe() {
            return "hosts:\n" + hosts.stream().map(Host::xml).collect(Collectors.joining()) + form + "\nlibvirt:\n"
                    + theirs + "\nfleetcpu:\n" + ours;
        }
    }

    /** One side's answer for a set of hosts in one form; a refusal as "REFUSED: reason". */
    private interface Side<E extends Exception> {
        String answer(List<NamedCpu> named, List<String> xml, boolean expand, boolean migratable) throws E;
    }

    private static Outcome compare(
            String form,
            List<Host> hosts,
            boolean expand,
            boolean migratable,
            Side<BaselineRefusedException> fleetcpu,
            Side<LibvirtException> libvirtSide) {
        List<NamedCpu> named = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            named.add(new NamedCpu("host" + i, hosts.get(i).cpu()));
        }
        List<String> xml = hosts.stream().map(Host::xml).toList();
        String ours;
        try {
            ours = fleetcpu.answer(named, xml, expand, migratable);
        } catch (BaselineRefusedException e) {
            ours = "REFUSED: " + e.getMessage();
        }
        String theirs;
        try {
            theirs = libvirtSide.answer(named, xml, expand, migratable);
        } catch (LibvirtException e) {
            theirs = "REFUSED: " + e.getMessage();
        }
        return new Outcome(hosts, form + " expand=" + expand + " migratable=" + migratable, ours, theirs);
    }

    /** virConnectBaselineCPU of one driver against {@link BaselineCalculator#baseline} as that driver. */
    private static Outcome compare(
            LibvirtConnection connection, LibvirtDriver driver, List<Host> hosts, boolean expand, boolean migratable) {
        return compare(
                connection.uri() + " virConnectBaselineCPU",
                hosts,
                expand,
                migratable,
                (named, xml, e, m) -> calculator.baseline(named, e, m, driver).toLibvirtXml(),
                (named, xml, e, m) -> connection.baselineCpu(xml, e, m));
    }

    /**
     * What libvirtd's virConnectBaselineHypervisorCPU limits a baseline to, for QEMU's TCG accelerator (virt type
     * {@code qemu}: the same on any machine, with or without KVM), read from libvirtd itself: the models QEMU has
     * (domain capabilities' custom models, usable or not: qemuConnectBaselineHypervisorCPU passes
     * virQEMUCapsGetCPUModels unfiltered), the features it knows (virQEMUCapsGetCPUFeatures: the expanded
     * hypervisor baseline of one host CPU listing every catalog feature keeps exactly those), and the blockers of
     * each model QEMU cannot run as it is (libvirt 9.0's domain capabilities only say usable='no'; the hypervisor
     * baseline of a host CPU naming just that model disables its blockers, next to the model's features QEMU does
     * not know and its removed ones).
     */
    record Hypervisor(Map<String, FeatureSet> models, FeatureSet features) {
        static final String VIRT_TYPE = "qemu";

        static Hypervisor of(LibvirtConnection connection) {
            DomainCapabilities caps =
                    DomainCapabilities.parse(connection.domainCapabilities(null, "x86_64", null, VIRT_TYPE));
            String probe = host(
                            null,
                            "qemu64",
                            catalog.features().stream().map(f -> f.name()).toList(),
                            List.of(),
                            null)
                    .xml();
            FeatureSet known = catalog.featureSet(
                    CpuDefinition.parse(baseline(connection, probe, true)).requiredFeatureNames());
            Map<String, FeatureSet> models = new java.util.HashMap<>();
            for (CustomCpuModel m : caps.customModels()) {
                FeatureSet blockers = FeatureSet.empty();
                var model = catalog.model(m.name());
                if (!m.isUsable() && model.isPresent()) {
                    String alone =
                            host(null, m.name(), List.of(), List.of(), null).xml();
                    blockers = catalog.featureSet(CpuDefinition.parse(baseline(connection, alone, false))
                                    .disabledFeatureNames())
                            .minus(model.get().features().minus(known))
                            .minus(model.get().removedFeatures());
                }
                models.put(m.name(), blockers);
            }
            return new Hypervisor(Map.copyOf(models), known);
        }

        private static String baseline(LibvirtConnection connection, String cpu, boolean expand) {
            return connection.baselineHypervisorCpu(null, "x86_64", null, VIRT_TYPE, List.of(cpu), expand, false);
        }
    }

    /** virConnectBaselineHypervisorCPU (TCG) against {@link BaselineCalculator#hypervisorBaseline}. */
    private static Outcome compareHypervisor(
            LibvirtConnection connection, Hypervisor hv, List<Host> hosts, boolean expand) {
        return compare(
                connection.uri() + " virConnectBaselineHypervisorCPU virttype=" + Hypervisor.VIRT_TYPE,
                hosts,
                expand,
                false,
                (named, xml, e, m) -> calculator
                        .hypervisorBaseline(named, e, hv.models(), hv.features())
                        .toLibvirtXml(),
                (named, xml, e, m) ->
                        connection.baselineHypervisorCpu(null, "x86_64", null, Hypervisor.VIRT_TYPE, xml, e, m));
    }

    /** One form of comparison: which kinds it covers and how it compares one set of hosts. */
    private interface Comparison {
        Outcome compare(List<Host> hosts, boolean expand, boolean migratable);
    }

    /**
     * Compares every generated case of the given kinds; prints the figures, returns the smallest disagreement of
     * each.
     */
    private static Map<Kind, Outcome> measure(
            String label, List<Kind> kinds, int sets, List<Boolean> migratableForms, Comparison comparison) {
        Map<Kind, Outcome> disagreeing = new EnumMap<>(Kind.class);
        for (Kind kind : kinds) {
            Random random = new Random(SEED + kind.ordinal());
            var generator = cases(kind).generator(100);
            List<Outcome> bad = new ArrayList<>();
            int n = 0;
            for (int i = 0; i < sets; i++) {
                List<Host> hosts = generator.next(random).value();
                for (boolean migratable : migratableForms) {
                    for (boolean expand : List.of(false, true)) {
                        n++;
                        Outcome o = comparison.compare(hosts, expand, migratable);
                        if (!o.agrees()) {
                            bad.add(o);
                        }
                    }
                }
            }
            Outcome smallest = bad.stream()
                    .min(Comparator.comparingInt(o -> o.describe().length()))
                    .orElse(null);
            if (smallest != null) {
                disagreeing.put(kind, smallest);
            }
            System.out.println("FIDELITY " + label + " " + kind + ": " + n + " cases, " + (n - bad.size()) + " agree, "
                    + bad.size() + " disagree");
        }
        return disagreeing;
    }

    private static List<Kind> hostShaped() {
        return java.util.Arrays.stream(Kind.values())
                .filter(k -> !k.guestShaped())
                .toList();
    }

    @Example
    void generatedCasesAgreeWithLibvirt() {
        assumeTrue(libvirt != null, () -> "libvirt not available: " + unavailable);
        assertAgreement(measure(
                libvirt.uri(),
                hostShaped(),
                SETS_PER_KIND,
                List.of(false),
                (hosts, expand, migratable) -> compare(libvirt, LibvirtDriver.TEST, hosts, expand, migratable)));
    }

    /** The same cases as an operator's libvirtd answers them, in every form, the migratable ones included. */
    @Example
    void generatedCasesAgreeWithLibvirtdQemuDriverInEveryForm() {
        assumeTrue(qemu != null, () -> "no libvirtd QEMU driver: " + qemuUnavailable);
        assertAgreement(measure(
                qemu.uri(),
                hostShaped(),
                SETS_PER_KIND / 4,
                List.of(false, true),
                (hosts, expand, migratable) -> compare(qemu, LibvirtDriver.QEMU, hosts, expand, migratable)));
    }

    /**
     * Guest-shaped CPUs, read with their policies, against the libvirt API that reads them the same way
     * (virConnectBaselineHypervisorCPU of libvirtd's QEMU driver), short and expanded forms.
     */
    @Example
    void generatedGuestCpusAgreeWithLibvirtdHypervisorBaseline() {
        assumeTrue(qemu != null, () -> "no libvirtd QEMU driver: " + qemuUnavailable);
        Hypervisor hv = Hypervisor.of(qemu);
        List<Kind> guestShaped =
                java.util.Arrays.stream(Kind.values()).filter(Kind::guestShaped).toList();
        assertAgreement(measure(
                qemu.uri() + " hypervisor",
                guestShaped,
                SETS_PER_KIND,
                List.of(false),
                (hosts, expand, migratable) -> compareHypervisor(qemu, hv, hosts, expand)));
    }

    private static void assertAgreement(Map<Kind, Outcome> disagreeing) {
        for (Kind kind : Kind.values()) {
            if (kind.asserted && disagreeing.containsKey(kind)) {
                fail(kind + " disagrees with libvirt, smallest case:\n"
                        + disagreeing.get(kind).describe());
            }
        }
    }
}
