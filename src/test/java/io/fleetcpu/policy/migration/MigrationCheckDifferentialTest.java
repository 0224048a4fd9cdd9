package io.fleetcpu.policy.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.agent.libvirt.LibvirtConnection;
import io.fleetcpu.agent.libvirt.LibvirtException;
import io.fleetcpu.agent.libvirt.LibvirtNative;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureDefinition;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.HostCapabilities;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.CpuFixtures.Fixture;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.migration.Verdict.Cause;
import io.fleetcpu.policy.migration.Verdict.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * fleetcpu's {@link MigrationCheck} against libvirt's own {@code virConnectCompareCPU} on many guest CPUs built from
 * the real CPUs of {@code cpudata}. libvirt compares a CPU with the host its driver runs on, so the target here is
 * this machine: libvirt judges each guest against its own idea of this host, and the engine against this host's CPU
 * as {@code virConnectGetCapabilities} reports it, expanded with the catalog. Verdicts must be equal, and for an
 * incompatible guest the reason libvirt gives with {@code VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE} (which lists
 * the missing, forbidden or extra features) must be word for word the engine's; where libvirt refuses the input
 * (unknown model or feature, a definition its parser rejects) the engine must refuse it with the same words.
 *
 * <p>What libvirt 9.0 turned out to do (established with this test and {@code virsh cpu-compare --error}):
 * <ul>
 *   <li>The QEMU driver ({@code qemu:///system}) compares with the host CPU of {@code virsh capabilities} exactly as
 *       printed, not with what QEMU/KVM can give a guest: unlike its baseline and domain capabilities, it does not
 *       drop {@code cmt, mbm_total, mbm_local, osxsave, ospke}. The proof is
 *       {@link #theQemuDriverComparesWithTheCapabilitiesCpuUnfiltered}: a guest copying the capabilities CPU is
 *       IDENTICAL, and the same guest without osxsave and ospke is a SUPERSET whose strict form names exactly
 *       "osxsave, ospke" as extra. So the engine's target is the capabilities CPU with nothing removed, and no
 *       feature is left out of any comparison. (What QEMU/KVM can provide is judged by a different call,
 *       {@code virConnectCompareHypervisorCPU}, not covered here.)</li>
 *   <li>The vendor is not part of the compared data: a guest without {@code <vendor>} that copies the host is
 *       IDENTICAL, not a SUPERSET; a guest vendor other than the host's is INCOMPATIBLE before any name is looked
 *       up ("host CPU vendor does not match required CPU vendor X"); a model's own vendor is never checked.</li>
 *   <li>The test driver ({@code test:///default}) does not implement {@code virConnectCompareCPU} at all
 *       ("this function is not supported by the connection driver"); {@link #theTestDriverCannotCompare}
 *       checks this and is skipped with that reason, and runs the same comparison should a later libvirt
 *       implement it.</li>
 * </ul>
 * Skipped where libvirt or the QEMU driver ({@code -Dfleetcpu.libvirt.qemu.uri=…} to change it) is unreachable.
 */
class MigrationCheckDifferentialTest {

    private static final String QEMU_URI = System.getProperty("fleetcpu.libvirt.qemu.uri", "qemu:///system");
    private static final String TEST_URI = "test:///default";
    private static final String INCOMPATIBLE_PREFIX = "the CPU is incompatible with host CPU: ";
    private static final CpuCatalog catalog = CpuCatalog.bundled();
    private static final MigrationCheck check = new MigrationCheck(catalog);

    private static LibvirtConnection qemu;
    private static CpuDescription thisHost;
    private static String unavailable;

    @BeforeAll
    static void connect() {
        try {
            qemu = LibvirtConnection.open(QEMU_URI);
            thisHost = hostCpu(capabilities(QEMU_URI));
        } catch (LibvirtException | org.libvirt.LibvirtException | LinkageError e) {
            unavailable = QEMU_URI + ": " + e.getMessage();
        }
    }

    @AfterAll
    static void disconnect() {
        if (qemu != null) {
            qemu.close();
        }
    }

    private static void assumeQemu() {
        assumeTrue(qemu != null && thisHost != null, () -> "libvirt's QEMU driver not available: " + unavailable);
        assumeTrue(
                thisHost.model() != null && catalog.supportsArch(thisHost.arch()),
                () -> "this host's CPU is not an x86 CPU with a model: " + thisHost);
    }

    /** {@code virConnectGetCapabilities} through libvirt-java, read-only. */
    private static String capabilities(String uri) throws org.libvirt.LibvirtException {
        org.libvirt.Connect connect = new org.libvirt.Connect(uri, true);
        try {
            return connect.getCapabilities();
        } finally {
            connect.close();
        }
    }

    private static CpuDescription hostCpu(String capabilitiesXml) {
        CpuDefinition cpu = HostCapabilities.parse(capabilitiesXml).cpu();
        return new CpuDescription(cpu.arch(), cpu.vendor(), cpu.model(), cpu.requiredFeatureNames(), List.of());
    }

    // ---- the comparison ----------------------------------------------------------------------------------------

    @Test
    void theEngineJudgesEveryGuestAsLibvirtDoes() {
        assumeQemu();
        Map<String, String> cases = cases(thisHost);
        Tally tally = compareAll(qemu, thisHost, cases);
        System.out.printf(
                "compared %d guests with %s: %s, %s, refused %s%n",
                cases.size(), QEMU_URI, tally.results, tally.causes, tally.refusals);
        assertThat(tally.mismatches)
                .as("guests judged differently from libvirt (of %d)", cases.size())
                .isEmpty();
        // the cases reach every branch, so that agreement means something (a count of cases would depend on this
        // host: how many features each fixture lacks here)
        assertThat(tally.results.keySet()).containsExactlyInAnyOrder(Result.values());
        assertThat(tally.causes.keySet())
                .contains(
                        Cause.NONE,
                        Cause.VENDOR,
                        Cause.FORBIDDEN_FEATURES,
                        Cause.MISSING_FEATURES,
                        Cause.EXTRA_FEATURES,
                        Cause.ARCH);
        assertThat(tally.refusals)
                .containsKeys(
                        MigrationCheckRefusedException.Reason.UNKNOWN_MODEL,
                        MigrationCheckRefusedException.Reason.UNKNOWN_FEATURE,
                        MigrationCheckRefusedException.Reason.INVALID_DEFINITION);
    }

    @Test
    void libvirtJavaGivesTheSameVerdictsAsTheCApi() throws org.libvirt.LibvirtException {
        assumeQemu();
        org.libvirt.Connect connect = new org.libvirt.Connect(QEMU_URI, true);
        try {
            int n = 0;
            for (Map.Entry<String, String> c : cases(thisHost).entrySet()) {
                if (n++ % 7 != 0) {
                    continue;
                }
                Integer viaC = libvirtResult(qemu, c.getValue());
                if (viaC == null) {
                    continue;
                }
                assertThat(connect.compareCPU(c.getValue()).getReturnCode())
                        .as(c.getKey())
                        .isEqualTo(viaC);
            }
        } finally {
            connect.close();
        }
    }

    @Test
    void theQemuDriverComparesWithTheCapabilitiesCpuUnfiltered() {
        assumeQemu();
        assertThat(libvirtResult(qemu, copy(thisHost, "exact", true, Set.of())))
                .isEqualTo(Result.IDENTICAL.libvirtCode());
        assertThat(libvirtResult(qemu, copy(thisHost, "exact", false, Set.of())))
                .as("without <vendor>")
                .isEqualTo(Result.IDENTICAL.libvirtCode());
        Set<String> qemuFiltered = Set.of("cmt", "mbm_total", "mbm_local", "osxsave", "ospke");
        List<String> filteredHere = thisHost.requiredFeatures().stream()
                .filter(qemuFiltered::contains)
                .toList();
        assumeTrue(!filteredHere.isEmpty(), "this host has none of the features QEMU filters elsewhere");
        String withoutFiltered = copy(thisHost, "strict", true, Set.copyOf(filteredHere));
        assertThat(libvirtMessage(qemu, withoutFiltered))
                .isEqualTo(INCOMPATIBLE_PREFIX
                        + "Host CPU does not strictly match guest CPU: Extra features: "
                        + String.join(", ", catalog.featureNames(catalog.featureSet(filteredHere))));
        assertThat(check.check(CpuDefinition.parse(withoutFiltered), thisHost).extraFeatures())
                .containsExactlyElementsOf(catalog.featureNames(catalog.featureSet(filteredHere)));
    }

    @Test
    void theTestDriverCannotCompare() throws org.libvirt.LibvirtException {
        LibvirtConnection test;
        try {
            test = LibvirtConnection.open(TEST_URI);
        } catch (LibvirtException | LinkageError e) {
            assumeTrue(false, () -> "libvirt not available: " + e.getMessage());
            return;
        }
        try {
            String probe = "<cpu mode='custom' match='exact'><model>qemu64</model></cpu>";
            try {
                test.compareCpu(probe, 0);
            } catch (LibvirtException e) {
                // What this test states for libvirt 9.0: the in-process driver has no compare at all.
                assertThat(e.unsupportedByDriver()).as(e.getMessage()).isTrue();
                return;
            }
            // A libvirt whose test driver compares: judge against its own host CPU the same way.
            CpuDescription testHost = hostCpu(capabilities(TEST_URI));
            Tally tally = compareAll(test, testHost, cases(thisHost != null ? thisHost : testHost));
            assertThat(tally.mismatches)
                    .as("guests judged differently from " + TEST_URI)
                    .isEmpty();
        } finally {
            test.close();
        }
    }

    private static final class Tally {
        final List<String> mismatches = new ArrayList<>();
        final Map<Result, Integer> results = new EnumMap<>(Result.class);
        final Map<Cause, Integer> causes = new EnumMap<>(Cause.class);
        final Map<MigrationCheckRefusedException.Reason, Integer> refusals =
                new EnumMap<>(MigrationCheckRefusedException.Reason.class);
    }

    private static Tally compareAll(LibvirtConnection libvirt, CpuDescription target, Map<String, String> cases) {
        Tally tally = new Tally();
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String mismatch = compare(libvirt, target, c.getValue(), tally);
            if (mismatch != null) {
                tally.mismatches.add(c.getKey() + ": " + mismatch + "\n" + c.getValue());
            }
        }
        return tally;
    }

    /** Null when libvirt and the engine agree, else what differs. */
    private static String compare(LibvirtConnection libvirt, CpuDescription target, String xml, Tally tally) {
        String libvirtRefusal = null;
        Integer libvirtResult = null;
        try {
            libvirtResult = libvirt.compareCpu(xml, 0);
        } catch (LibvirtException e) {
            libvirtRefusal = e.getMessage();
        }
        Verdict verdict;
        try {
            verdict = check.check(CpuDefinition.parse(xml), target);
        } catch (MigrationCheckRefusedException e) {
            tally.refusals.merge(e.reason(), 1, Integer::sum);
            if (libvirtRefusal == null) {
                return "libvirt judged it " + Result.ofLibvirtCode(libvirtResult) + ", the engine refused: "
                        + e.getMessage();
            }
            // libvirt puts the error class first: "internal error: Unknown CPU model Foo", "XML error: ..."
            return libvirtRefusal.endsWith(": " + e.libvirtMessage())
                    ? null
                    : "libvirt refused with '" + libvirtRefusal + "', the engine with '" + e.libvirtMessage() + "'";
        }
        if (libvirtRefusal != null) {
            return "libvirt refused with '" + libvirtRefusal + "', the engine judged " + verdict;
        }
        tally.results.merge(verdict.result(), 1, Integer::sum);
        tally.causes.merge(verdict.cause(), 1, Integer::sum);
        if (verdict.result().libvirtCode() != libvirtResult) {
            return "libvirt: " + Result.ofLibvirtCode(libvirtResult) + ", engine: " + verdict;
        }
        if (verdict.result() != Result.INCOMPATIBLE) {
            return null;
        }
        String expected = INCOMPATIBLE_PREFIX + verdict.libvirtMessage();
        String actual = libvirtMessage(libvirt, xml);
        if (!expected.equals(actual)) {
            return "libvirt says '" + actual + "', the engine '" + expected + "'";
        }
        // and the lists the engine hands out are the names libvirt gives
        List<String> named =
                List.of(actual.substring(actual.lastIndexOf(": ") + 2).split(", "));
        List<String> engineList = switch (verdict.cause()) {
            case MISSING_FEATURES -> verdict.missingFeatures();
            case FORBIDDEN_FEATURES -> verdict.forbiddenButPresent();
            case EXTRA_FEATURES -> verdict.extraFeatures();
            default -> null;
        };
        return engineList == null || engineList.equals(named)
                ? null
                : "libvirt names " + named + ", the engine's list is " + engineList;
    }

    private static Integer libvirtResult(LibvirtConnection libvirt, String xml) {
        try {
            return libvirt.compareCpu(xml, 0);
        } catch (LibvirtException e) {
            return null;
        }
    }

    /** libvirt's error message with FAIL_INCOMPATIBLE, or null when it finds the CPU compatible. */
    private static String libvirtMessage(LibvirtConnection libvirt, String xml) {
        try {
            libvirt.compareCpu(xml, LibvirtNative.VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE);
            return null;
        } catch (LibvirtException e) {
            return e.getMessage();
        }
    }

    // ---- the guests ------------------------------------------------------------------------------------------

    /**
     * Named guest {@code <cpu>} documents, deterministic for a given host. Every fixture gives the same variants on
     * every machine: a fixture of another vendor than this host's is judged on its features by leaving its vendor out
     * (with its vendor, libvirt stops at the vendor before reading any name), and the random choices are drawn per
     * fixture, so an Intel and an AMD machine build the same guests from the fixtures they share.
     */
    private static Map<String, String> cases(CpuDescription host) {
        Map<String, String> cases = new LinkedHashMap<>();
        FeatureSet hostFeatures = expanded(host);
        List<String> allFeatures =
                catalog.features().stream().map(FeatureDefinition::name).toList();

        cases.put("this host", copy(host, "exact", true, Set.of()));
        cases.put("this host, no vendor", copy(host, "exact", false, Set.of()));
        cases.put("this host, strict", copy(host, "strict", true, Set.of()));
        cases.put("this host minus osxsave, ospke", copy(host, "exact", true, Set.of("osxsave", "ospke")));
        cases.put("empty", "<cpu/>");

        for (Fixture f : CpuFixtures.all()) {
            String name = f.file();
            Random random = new Random(20240917L ^ name.hashCode());
            if (!f.libvirtAccepts() || f.kind().equals("guest")) {
                // unknown models (versioned names) and features (flush-l1d...): both must refuse, naming the same
                cases.put(name + " as written", read(f.file()));
                cases.put(name + " as written, no vendor", withoutVendor(read(f.file())));
                continue;
            }
            CpuDescription cpu = f.cpu();
            cases.put(name + " exact", copy(cpu, "exact", true, Set.of()));
            cases.put(name + " host shape", f.hostXml());
            // the vendor check comes first in libvirt: a fixture of the other vendor is judged without it
            boolean vendor = cpu.vendor() == null || cpu.vendor().equals(host.vendor());
            if (!vendor) {
                cases.put(name + " no vendor", copy(cpu, "exact", false, Set.of()));
            }
            List<String> missing = check.check(cpu, host).missingFeatures();
            String match = switch (random.nextInt(3)) {
                case 0 -> "minimum";
                case 1 -> "exact";
                default -> "strict";
            };
            cases.put(name + " " + match + (vendor ? "" : ", no vendor"), copy(cpu, match, vendor, Set.of()));
            if (!missing.isEmpty()) {
                cases.put(name + " missing disabled", withPolicy(cpu, vendor, "exact", missing, "disable"));
                cases.put(name + " missing optional", withPolicy(cpu, vendor, "exact", missing, "optional"));
                cases.put(name + " missing forced", withPolicy(cpu, vendor, "exact", missing, "force"));
                cases.put(name + " missing disabled, strict", withPolicy(cpu, vendor, "strict", missing, "disable"));
                // half of them handled: still incompatible, naming the other half
                cases.put(
                        name + " half missing disabled",
                        withPolicy(cpu, vendor, "exact", missing.subList(0, missing.size() / 2), "disable"));
            }
            // forbid a feature this host has (incompatible) or one it lacks (no obstacle)
            String present = pick(random, catalog.featureNames(hostFeatures));
            String absent = pick(random, catalog.featureNames(catalogAll().minus(hostFeatures)));
            cases.put(
                    name + " forbid " + present, with(copy(cpu, "exact", vendor, Set.of(present)), "forbid", present));
            cases.put(name + " forbid " + absent, with(copy(cpu, "exact", vendor, Set.of(absent)), "forbid", absent));
            // random policies on random features, on top of the model
            for (int i = 0; i < 3; i++) {
                cases.put(name + " random " + i, randomGuest(random, cpu, vendor, allFeatures));
            }
        }
        // shapes libvirt's parser rejects or reads specially
        cases.put("features without model", "<cpu mode='custom' match='exact'><feature name='sse2'/></cpu>");
        cases.put("vendor without model", "<cpu mode='custom' match='exact'><vendor>Intel</vendor></cpu>");
        cases.put("host shape with match", "<cpu match='exact'><arch>x86_64</arch><model>Haswell</model></cpu>");
        cases.put("host shape with mode", "<cpu mode='custom'><arch>x86_64</arch><model>Haswell</model></cpu>");
        cases.put("host shape without model", "<cpu><arch>x86_64</arch><feature name='sse2'/></cpu>");
        cases.put(
                "host shape, policies ignored",
                "<cpu><arch>x86_64</arch><model>Haswell-noTSX</model>"
                        + "<feature policy='disable' name='svm'/><feature policy='forbid' name='sse2'/></cpu>");
        cases.put("host shape, aarch64", "<cpu><arch>aarch64</arch><model>Haswell</model></cpu>");
        cases.put("host shape, i686", "<cpu><arch>i686</arch><model>Haswell-noTSX</model></cpu>");
        cases.put("unknown vendor", "<cpu mode='custom' match='exact'><model>Foo</model><vendor>Foo</vendor></cpu>");
        cases.put(
                "unknown forced feature first",
                "<cpu mode='custom' match='exact'><model>Foo</model>"
                        + "<feature policy='require' name='bar'/><feature policy='force' name='baz'/></cpu>");
        cases.put(
                "unknown model before forbidden feature",
                "<cpu mode='custom' match='exact'><model>Foo</model>"
                        + "<feature policy='forbid' name='baz'/><feature policy='require' name='bar'/></cpu>");
        cases.put(
                "alias is not a name",
                "<cpu mode='custom' match='exact'><model>Haswell</model>" + "<feature name='pclmulqdq'/></cpu>");
        for (String model : List.of("qemu64", "kvm64", "Opteron_G1", "EPYC", "Skylake-Server", "Icelake-Server")) {
            cases.put("model " + model, "<cpu mode='custom' match='exact'><model>" + model + "</model></cpu>");
        }
        return cases;
    }

    private static FeatureSet expanded(CpuDescription cpu) {
        FeatureSet.Builder b = catalog.model(cpu.model()).orElseThrow().features().toBuilder();
        b.addAll(catalog.featureSet(cpu.requiredFeatures()));
        b.removeAll(catalog.featureSet(cpu.disabledFeatures()));
        return b.build();
    }

    private static FeatureSet catalogAll() {
        FeatureSet.Builder b = FeatureSet.builder();
        catalog.features().forEach(f -> b.add(f.index()));
        return b.build();
    }

    private static String pick(Random random, List<String> names) {
        return names.get(random.nextInt(names.size()));
    }

    /** A guest with the CPU's model (and vendor), each listed feature required, except those left out. */
    private static String copy(CpuDescription cpu, String match, boolean vendor, Set<String> leaveOut) {
        Map<String, String> policies = new LinkedHashMap<>();
        cpu.requiredFeatures().stream().filter(f -> !leaveOut.contains(f)).forEach(f -> policies.put(f, "require"));
        return guest(cpu.model(), vendor ? cpu.vendor() : null, match, policies);
    }

    private static String withPolicy(
            CpuDescription cpu, boolean vendor, String match, List<String> features, String policy) {
        Map<String, String> policies = new LinkedHashMap<>();
        cpu.requiredFeatures().forEach(f -> policies.put(f, "require"));
        features.forEach(f -> policies.put(f, policy));
        return guest(cpu.model(), vendor ? cpu.vendor() : null, match, policies);
    }

    private static String withoutVendor(String xml) {
        return xml.replaceAll("\\s*<vendor>[^<]*</vendor>", "");
    }

    private static String with(String xml, String policy, String feature) {
        return xml.replace("</cpu>", "  <feature policy='" + policy + "' name='" + feature + "'/>\n</cpu>");
    }

    private static String randomGuest(Random random, CpuDescription cpu, boolean vendor, List<String> allFeatures) {
        String[] kinds = {"require", "force", "optional", "disable", "forbid"};
        Map<String, String> policies = new TreeMap<>();
        cpu.requiredFeatures().forEach(f -> policies.put(f, "require"));
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            policies.put(pick(random, allFeatures), kinds[random.nextInt(kinds.length)]);
        }
        String match = random.nextBoolean() ? "exact" : "strict";
        return guest(cpu.model(), !vendor || random.nextInt(4) == 0 ? null : cpu.vendor(), match, policies);
    }

    private static String guest(String model, String vendor, String match, Map<String, String> policies) {
        StringBuilder xml = new StringBuilder("<cpu mode='custom' match='" + match + "'>\n  <model fallback='forbid'>")
                .append(model)
                .append("</model>\n");
        if (vendor != null) {
            xml.append("  <vendor>").append(vendor).append("</vendor>\n");
        }
        policies.forEach((f, p) -> xml.append("  <feature policy='")
                .append(p)
                .append("' name='")
                .append(f)
                .append("'/>\n"));
        return xml.append("</cpu>\n").toString();
    }

    private static String read(String file) {
        try (InputStream in =
                MigrationCheckDifferentialTest.class.getClassLoader().getResourceAsStream("cpudata/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource cpudata/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
