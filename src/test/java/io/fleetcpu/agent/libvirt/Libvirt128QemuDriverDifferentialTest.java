package io.fleetcpu.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureDefinition;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.HostCapabilities;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.CpuFixtures.Fixture;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.LibvirtDriver;
import io.fleetcpu.policy.baseline.NamedCpu;
import io.fleetcpu.policy.migration.MigrationCheck;
import io.fleetcpu.policy.migration.MigrationCheckRefusedException;
import io.fleetcpu.policy.migration.Verdict;
import io.fleetcpu.testing.Libvirt128;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * fleetcpu against libvirt 12.8's QEMU driver, run in process as {@code virsh -c qemu:///embed?root=…} in the root of
 * {@code .ci/libvirt-12.8-root} ({@link Libvirt128#qemuCpuBaseline}): the forms libvirt 12.8's test driver refuses or
 * lacks.
 *
 * <ul>
 *   <li>Baselines as {@link LibvirtDriver#QEMU} in every form (short, {@code --features}, {@code --migratable}, both):
 *       every fixture CPU alone and random sets of each vendor's. libvirt 12.8's QEMU driver drops more features than
 *       9.0's: {@link #theQemuDriverDropsWhatTheEngineDropsForLibvirt128} finds which, from a host CPU listing every
 *       feature of the map.</li>
 *   <li>{@code cpu-compare} ({@code virConnectCompareCPU}) against {@link MigrationCheck} with the 12.8 map: guests built
 *       from every fixture, judged against this machine's CPU as libvirt 12.8 reads it ({@code virsh capabilities});
 *       verdicts and, for incompatible guests, libvirt's words ({@code --error}) must be equal. libvirt 12.8's test
 *       driver, like 9.0's, has no {@code virConnectCompareCPU}: {@link #theTestDriverCannotCompare} states it.</li>
 * </ul>
 * Skipped where the root is missing; CI makes it and requires this test.
 */
class Libvirt128QemuDriverDifferentialTest {

    private static final CpuCatalog catalog = CpuCatalog.bundled(BundledMap.LIBVIRT_12_8);
    private static final BaselineCalculator calculator = new BaselineCalculator(catalog);
    private static final MigrationCheck check = new MigrationCheck(catalog);

    /** short, --features, --migratable, --features --migratable */
    private static final List<boolean[]> FORMS = List.of(
            new boolean[] {false, false}, new boolean[] {true, false}, new boolean[] {false, true}, new boolean[] {
                true, true
            });

    /** Skips the test where libvirt 12.8 or its QEMU driver cannot run ({@link Libvirt128#assumeQemuDriver}). */
    private static void assumeLibvirt128() {
        Libvirt128.assumeQemuDriver();
    }

    private static String form(boolean[] f) {
        return (f[0] ? "--features" : "short") + (f[1] ? " --migratable" : "");
    }

    /** Null when both agree, else both answers. */
    private static String compare(List<NamedCpu> hosts, List<String> xml, boolean[] f, String label) {
        String ours;
        try {
            ours = calculator.baseline(hosts, f[0], f[1], LibvirtDriver.QEMU).toLibvirtXml();
        } catch (BaselineRefusedException e) {
            ours = "REFUSED: " + e.getMessage();
        }
        String theirs = Libvirt128.qemuCpuBaseline(xml, f[0], f[1]).outputOrRefusal();
        boolean agreed = theirs.startsWith("REFUSED") || ours.startsWith("REFUSED")
                ? theirs.startsWith("REFUSED") == ours.startsWith("REFUSED")
                : theirs.stripTrailing().equals(ours.stripTrailing());
        return agreed
                ? null
                : form(f) + " " + label + "\n--- libvirt 12.8 QEMU driver:\n" + theirs + "\n--- fleetcpu:\n" + ours;
    }

    private static List<String> compareAllForms(List<Fixture> set, int[] computed) {
        List<String> disagreements = new ArrayList<>();
        String label = "hosts=" + set.stream().map(Fixture::file).collect(Collectors.joining(", "));
        for (boolean[] f : FORMS) {
            String d = compare(
                    set.stream().map(Fixture::named).toList(),
                    set.stream().map(Fixture::hostXml).toList(),
                    f,
                    label);
            if (d != null) {
                disagreements.add(d);
            }
        }
        if (disagreements.isEmpty()) {
            computed[0]++;
        }
        return disagreements;
    }

    /**
     * A host CPU listing every feature of the 12.8 map: what the QEMU driver leaves out of its baseline, beside the
     * test driver's, is its filter, and it is {@link LibvirtDriver#droppedFeatures(String)} for 12.8.0: 9.0's five
     * (cmt, mbm_total, mbm_local, osxsave, ospke) and ht, cmp_legacy, vmx-ept-uc, vmx-ept-wb,
     * vmx-invvpid-single-context.
     */
    @Test
    void theQemuDriverDropsWhatTheEngineDropsForLibvirt128() {
        assumeLibvirt128();
        List<String> all =
                catalog.features().stream().map(FeatureDefinition::name).toList();
        String everything = GeneratedBaselineDifferentialTest.host("Intel", "qemu64", all, List.of(), null)
                .xml();
        Set<String> test = requiredNames(Libvirt128.cpuBaseline(List.of(everything), true, false));
        Set<String> qemu = requiredNames(Libvirt128.qemuCpuBaseline(List.of(everything), true, false));
        Set<String> dropped = new TreeSet<>(test);
        dropped.removeAll(qemu);
        System.out.println("libvirt-12.8: the QEMU driver drops " + dropped);
        assertThat(dropped).isEqualTo(new TreeSet<>(LibvirtDriver.QEMU.droppedFeatures("12.8.0")));
        assertThat(LibvirtDriver.QEMU.droppedFeatures("9.0.0")).isEqualTo(LibvirtDriver.QEMU.droppedFeatures());
        NamedCpu host = new NamedCpu("everything", CpuDescription.host("x86_64", "Intel", "qemu64", all));
        List<String> disagreements = new ArrayList<>();
        for (boolean[] f : FORMS) {
            String d = compare(List.of(host), List.of(everything), f, "a host with every feature");
            if (d != null) {
                disagreements.add(d);
            }
        }
        assertThat(disagreements).isEmpty();
    }

    private static Set<String> requiredNames(Libvirt128.Result result) {
        assertThat(result.ok()).as(result.error()).isTrue();
        return new TreeSet<>(CpuDefinition.parse(result.output()).requiredFeatureNames());
    }

    @Test
    void everyFixtureAloneMatchesInEveryForm() {
        assumeLibvirt128();
        List<String> disagreements = new ArrayList<>();
        int[] agreed = {0};
        for (Fixture f : CpuFixtures.all()) {
            disagreements.addAll(compareAllForms(List.of(f), agreed));
        }
        System.out.println("libvirt-12.8: QEMU driver, every fixture CPU alone: agreed in " + agreed[0] + " of "
                + CpuFixtures.all().size() + " (all four forms)");
        assertThat(disagreements).isEmpty();
    }

    @Test
    void randomSetsOfEachVendorMatchInEveryForm() {
        assumeLibvirt128();
        List<String> disagreements = new ArrayList<>();
        for (String vendor : List.of("Intel", "AMD")) {
            List<Fixture> pool = CpuFixtures.all().stream()
                    .filter(f -> f.vendor().equals(vendor))
                    .toList();
            int[] agreed = {0};
            List<List<Fixture>> sets = CpuFixtures.randomSets(vendor.hashCode() + 128L, pool, 30);
            sets.forEach(set -> disagreements.addAll(compareAllForms(set, agreed)));
            System.out.println("libvirt-12.8: QEMU driver, random sets of the " + vendor + " fixture CPUs (seed "
                    + (vendor.hashCode() + 128L) + "): agreed in " + agreed[0] + " of " + sets.size()
                    + " sets (all four forms)");
        }
        assertThat(disagreements.stream().limit(5)).isEmpty();
    }

    // ---- virConnectCompareCPU -------------------------------------------------------------------------------

    @Test
    void theTestDriverCannotCompare() {
        String why = Libvirt128.unavailable();
        assumeTrue(why == null, () -> "libvirt 12.8 not available: " + why);
        Libvirt128.Result r = Libvirt128.cpuCompare("<cpu mode='custom' match='exact'><model>qemu64</model></cpu>");
        // libvirt 12.8's test driver, like 9.0's, has no virConnectCompareCPU: the comparison is made with its QEMU
        // driver below.
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).contains("this function is not supported by the connection driver: virConnectCompareCPU");
    }

    private static final String INCOMPATIBLE_PREFIX = "the CPU is incompatible with host CPU: ";

    @Test
    void theEngineJudgesGuestsAsLibvirt128DoesOnThisMachine() {
        assumeLibvirt128();
        Libvirt128.Result caps = Libvirt128.qemuVirsh("capabilities");
        assertThat(caps.ok()).as(caps.error()).isTrue();
        CpuDefinition hostCpu = HostCapabilities.parse(caps.output()).cpu();
        CpuDescription host = new CpuDescription(
                hostCpu.arch(), hostCpu.vendor(), hostCpu.model(), hostCpu.requiredFeatureNames(), List.of());
        System.out.println("libvirt-12.8: this machine's CPU as libvirt 12.8 reads it: " + host.vendor() + " "
                + host.model() + " + " + host.requiredFeatures().size() + " features");
        Map<String, String> cases = guests(host);
        Map<Verdict.Result, Integer> results = new EnumMap<>(Verdict.Result.class);
        int refused = 0;
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String mismatch;
            Libvirt128.Result theirs = Libvirt128.qemuCpuCompare(c.getValue(), true);
            String libvirtError = lastError(theirs.error());
            try {
                Verdict v = check.check(CpuDefinition.parse(c.getValue()), host);
                results.merge(v.result(), 1, Integer::sum);
                if (v.result() == Verdict.Result.INCOMPATIBLE) {
                    String expected = INCOMPATIBLE_PREFIX + v.libvirtMessage();
                    mismatch = !theirs.ok() && expected.equals(libvirtError)
                            ? null
                            : "libvirt: " + (theirs.ok() ? theirs.output().strip() : libvirtError) + "; engine: "
                                    + expected;
                } else {
                    String expected = v.result() == Verdict.Result.IDENTICAL ? "is identical to host CPU" : "superset";
                    mismatch = theirs.ok() && theirs.output().contains(expected)
                            ? null
                            : "libvirt: " + (theirs.ok() ? theirs.output().strip() : libvirtError) + "; engine: " + v;
                }
            } catch (MigrationCheckRefusedException e) {
                refused++;
                mismatch = !theirs.ok() && libvirtError.endsWith(": " + e.libvirtMessage())
                        ? null
                        : "libvirt: " + (theirs.ok() ? theirs.output().strip() : libvirtError) + "; engine refused: "
                                + e.libvirtMessage();
            }
            if (mismatch != null) {
                mismatches.add(c.getKey() + ": " + mismatch + "\n" + c.getValue());
            }
        }
        System.out.println("libvirt-12.8: compared " + cases.size() + " guests with libvirt 12.8's cpu-compare: "
                + (cases.size() - mismatches.size()) + " agree; " + results + ", refused " + refused);
        assertThat(mismatches.stream().limit(5)).isEmpty();
        assertThat(results.keySet()).contains(Verdict.Result.INCOMPATIBLE, Verdict.Result.SUPERSET);
    }

    /** The last {@code error: } line virsh printed, without the prefix. */
    private static String lastError(String stderr) {
        String last = "";
        for (String line : stderr.lines().toList()) {
            if (line.startsWith("error: ")
                    && !line.contains("/dev/kvm")
                    && !line.startsWith("error: Failed to compare")) {
                last = line.substring("error: ".length());
            }
        }
        return last;
    }

    /**
     * Guests: this machine's CPU, whole and with fewer features; every fixture as an exact, minimum or strict copy
     * (drawn per fixture) and with random policies on random features; a versioned, an unknown model and an unknown
     * feature.
     */
    private static Map<String, String> guests(CpuDescription host) {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("this machine, exact", guest(host, "exact", true, Map.of()));
        cases.put("this machine, no vendor", guest(host, "exact", false, Map.of()));
        cases.put("this machine, strict", guest(host, "strict", true, Map.of()));
        Random less = new Random(20261207L);
        for (int i = 0; i < 5; i++) {
            // this machine without a few of its features: a superset, or incompatible when strict
            List<String> kept = new ArrayList<>(host.requiredFeatures());
            for (int k = 0; k < 1 + less.nextInt(3); k++) {
                kept.remove(less.nextInt(kept.size()));
            }
            CpuDescription fewer = new CpuDescription(host.arch(), host.vendor(), host.model(), kept, List.of());
            cases.put("this machine, fewer features " + i, guest(fewer, i == 4 ? "strict" : "exact", true, Map.of()));
        }
        List<String> allFeatures =
                catalog.features().stream().map(FeatureDefinition::name).toList();
        String[] policies = {"require", "force", "optional", "disable", "forbid"};
        for (Fixture f : CpuFixtures.all()) {
            Random random = new Random(20261207L ^ f.file().hashCode());
            boolean vendor = f.vendor().equals(host.vendor());
            CpuDescription cpu = f.cpu();
            String match = List.of("exact", "minimum", "strict").get(random.nextInt(3));
            cases.put(f.file() + " " + match, guest(cpu, match, vendor, Map.of()));
            Map<String, String> extra = new LinkedHashMap<>();
            for (int i = 0; i < 1 + random.nextInt(5); i++) {
                extra.put(
                        allFeatures.get(random.nextInt(allFeatures.size())), policies[random.nextInt(policies.length)]);
            }
            cases.put(f.file() + " random policies", guest(cpu, "exact", vendor, extra));
        }
        cases.put("versioned model", "<cpu mode='custom' match='exact'><model>Skylake-Client-v4</model></cpu>");
        cases.put("unknown model", "<cpu mode='custom' match='exact'><model>Foo</model></cpu>");
        cases.put(
                "unknown feature", "<cpu mode='custom' match='exact'><model>qemu64</model><feature name='bar'/></cpu>");
        return cases;
    }

    private static String guest(CpuDescription cpu, String match, boolean vendor, Map<String, String> extra) {
        Map<String, String> policies = new LinkedHashMap<>();
        cpu.requiredFeatures().forEach(f -> policies.put(f, "require"));
        policies.putAll(extra);
        StringBuilder xml =
                new StringBuilder("<cpu mode='custom' match='" + match + "'>\n  <model>" + cpu.model() + "</model>\n");
        if (vendor && cpu.vendor() != null) {
            xml.append("  <vendor>").append(cpu.vendor()).append("</vendor>\n");
        }
        policies.forEach((name, policy) -> xml.append("  <feature policy='")
                .append(policy)
                .append("' name='")
                .append(name)
                .append("'/>\n"));
        return xml.append("</cpu>\n").toString();
    }
}
