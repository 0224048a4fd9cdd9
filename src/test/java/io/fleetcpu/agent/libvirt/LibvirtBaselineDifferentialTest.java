package io.fleetcpu.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.CpuFixtures.Fixture;
import io.fleetcpu.policy.baseline.Baseline;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.NamedCpu;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * fleetcpu's baseline against libvirt's own ({@code virConnectBaselineCPU}) on the same real host CPUs.
 * Skipped, not passed, when libvirt cannot be loaded. The URI defaults to the in-process test driver
 * ({@code -Dfleetcpu.libvirt.uri=…} to change it). libvirt 9.0's test driver refuses the migratable flag, so that
 * form is compared with the QEMU driver of a running libvirtd ({@code qemu:///system}, or
 * {@code -Dfleetcpu.libvirt.qemu.uri=…}), whose {@code virConnectBaselineCPU} runs the same CPU code
 * ({@code virCPUBaseline}, then {@code virCPUExpandFeatures}) with the flag, with one difference: it drops the
 * features it never passes to QEMU ({@code virQEMUCapsCPUFilterFeatures}: cmt, mbm_total, mbm_local, osxsave,
 * ospke). The comparison drops them from fleetcpu's answer too, and checks on the way that this is the only
 * difference between the two drivers. Skipped when no driver accepts the flag.
 */
class LibvirtBaselineDifferentialTest {

    private static final String URI = System.getProperty("fleetcpu.libvirt.uri", "test:///default");
    private static final String QEMU_URI = System.getProperty("fleetcpu.libvirt.qemu.uri", "qemu:///system");
    private static LibvirtConnection libvirt;
    private static String unavailable;
    /** The connection that accepts VIR_CONNECT_BASELINE_CPU_MIGRATABLE, or null; see {@link #noMigratable}. */
    private static LibvirtConnection migratableLibvirt;

    private static String noMigratable;
    private static final BaselineCalculator calculator = new BaselineCalculator(CpuCatalog.bundled());

    @BeforeAll
    static void connect() {
        try {
            libvirt = LibvirtConnection.open(URI);
        } catch (LibvirtException | LinkageError e) {
            unavailable = e.getMessage();
        }
    }

    @AfterAll
    static void disconnect() {
        if (migratableLibvirt != null && migratableLibvirt != libvirt) {
            migratableLibvirt.close();
        }
        if (libvirt != null) {
            libvirt.close();
        }
    }

    private static void assumeLibvirt() {
        assumeTrue(libvirt != null, () -> "libvirt not available: " + unavailable);
    }

    /** The main connection if it takes the migratable flag, else the QEMU driver's; null (with the reason) if neither. */
    private static LibvirtConnection connectMigratable() {
        if (migratableLibvirt != null || noMigratable != null) {
            return migratableLibvirt;
        }
        String refusedHere = refusesMigratable(libvirt);
        if (refusedHere == null) {
            return migratableLibvirt = libvirt;
        }
        String why = URI + " refuses it (" + refusedHere + ")";
        LibvirtConnection qemu;
        try {
            qemu = LibvirtConnection.open(QEMU_URI);
        } catch (LibvirtException e) {
            noMigratable = "VIR_CONNECT_BASELINE_CPU_MIGRATABLE needs the QEMU driver of a running libvirtd: " + why
                    + ", and " + e.getMessage();
            return null;
        }
        String refused = refusesMigratable(qemu);
        if (refused != null) {
            qemu.close();
            noMigratable = why + ", and so does " + QEMU_URI + " (" + refused + ")";
            return null;
        }
        return migratableLibvirt = qemu;
    }

    private static String refusesMigratable(LibvirtConnection connection) {
        try {
            connection.baselineCpu(List.of(CpuFixtures.accepted().get(0).hostXml()), false, true);
            return null;
        } catch (LibvirtException e) {
            return e.getMessage();
        }
    }

    /** Compares one form; returns true when both computed, false when both refused. */
    private static boolean compare(List<Fixture> set, boolean expand, boolean migratable) {
        return compare(libvirt, set, expand, migratable);
    }

    private static boolean compare(LibvirtConnection libvirt, List<Fixture> set, boolean expand, boolean migratable) {
        return compare(libvirt, set, expand, migratable, false);
    }

    /** A baseline as the QEMU driver gives it: without the features it never passes to QEMU. */
    private static String qemuFiltered(String cpuXml) {
        return QEMU_FILTERED_FEATURE.matcher(cpuXml).replaceAll("");
    }

    private static final Pattern QEMU_FILTERED_FEATURE = Pattern.compile("  <feature policy='require' name='("
            + String.join("|", LibvirtHostReaderQemuTest.QEMU_FILTERED_FEATURES) + ")'/>\n");

    private static boolean compare(
            LibvirtConnection libvirt, List<Fixture> set, boolean expand, boolean migratable, boolean qemuDriver) {
        List<String> xml = set.stream().map(Fixture::hostXml).toList();
        List<NamedCpu> hosts = set.stream().map(Fixture::named).toList();
        String ours;
        try {
            ours = calculator.baseline(hosts, expand, migratable).toLibvirtXml();
            if (qemuDriver) {
                ours = qemuFiltered(ours);
            }
        } catch (BaselineRefusedException e) {
            ours = "REFUSED: " + e.getMessage();
        }
        String theirs;
        try {
            theirs = libvirt.baselineCpu(xml, expand, migratable);
        } catch (LibvirtException e) {
            theirs = "REFUSED: " + e.getMessage();
        }
        String what = libvirt.uri() + " expand=" + expand + " migratable=" + migratable + " hosts="
                + set.stream().map(Fixture::file).collect(Collectors.joining(", "));
        if (theirs.startsWith("REFUSED") || ours.startsWith("REFUSED")) {
            assertEquals(
                    theirs.startsWith("REFUSED"),
                    ours.startsWith("REFUSED"),
                    () -> what + "\nlibvirt: " + libvirt(libvirt, xml, expand, migratable) + "\nfleetcpu: " + null);
            return false;
        }
        assertEquals(theirs, ours, what);
        return true;
    }

    private static String libvirt(LibvirtConnection libvirt, List<String> xml, boolean expand, boolean migratable) {
        try {
            return libvirt.baselineCpu(xml, expand, migratable);
        } catch (LibvirtException e) {
            return "REFUSED: " + e.getMessage();
        }
    }

    private static List<List<Fixture>> allRandomSets() {
        List<Fixture> accepted = CpuFixtures.accepted();
        List<List<Fixture>> sets = new ArrayList<>(CpuFixtures.randomSets(20240611L, accepted, 100));
        for (String vendor : List.of("Intel", "AMD")) {
            List<Fixture> pool =
                    accepted.stream().filter(f -> f.vendor().equals(vendor)).toList();
            sets.addAll(CpuFixtures.randomSets(vendor.hashCode(), pool, 120));
        }
        return sets;
    }

    @Test
    void shortAndExpandedFormsMatchLibvirtOnRandomSetsOfRealHosts() {
        assumeLibvirt();
        int computed = 0;
        int refused = 0;
        for (List<Fixture> set : allRandomSets()) {
            boolean a = compare(set, false, false);
            boolean b = compare(set, true, false);
            assertEquals(a, b);
            if (a) {
                computed++;
            } else {
                refused++;
            }
        }
        assertTrue(
                computed > 200,
                "most single-vendor sets should compute: " + computed + " computed, " + refused + " refused");
        assertTrue(refused > 20, "Intel+AMD mixes should be refused: " + refused);
    }

    @Test
    void migratableFormMatchesLibvirtOnRandomSetsOfRealHosts() {
        assumeLibvirt();
        LibvirtConnection withFlag = connectMigratable();
        assumeTrue(withFlag != null, () -> noMigratable);
        boolean qemuDriver = withFlag != libvirt;
        int computed = 0;
        for (List<Fixture> set : allRandomSets()) {
            if (qemuDriver) {
                // the filter is the only difference between the drivers
                List<String> xml = set.stream().map(Fixture::hostXml).toList();
                for (boolean expand : List.of(false, true)) {
                    String test = libvirt(libvirt, xml, expand, false);
                    assertEquals(
                            test.startsWith("REFUSED") ? "REFUSED" : qemuFiltered(test),
                            libvirt(withFlag, xml, expand, false).replaceAll("(?s)^REFUSED.*", "REFUSED"),
                            () -> "drivers differ beyond the QEMU filter: " + set);
                }
            }
            boolean a = compare(withFlag, set, false, true, qemuDriver);
            boolean b = compare(withFlag, set, true, true, qemuDriver);
            assertEquals(a, b);
            computed += a ? 1 : 0;
        }
        assertTrue(computed > 200, "most single-vendor sets should compute: " + computed);
        for (Fixture f : CpuFixtures.accepted()) {
            assertTrue(compare(withFlag, List.of(f), true, true, qemuDriver), f.file());
        }
    }

    @Test
    void everyAcceptedFixtureAloneMatchesLibvirt() {
        assumeLibvirt();
        for (Fixture f : CpuFixtures.accepted()) {
            assertTrue(compare(List.of(f), false, false), f.file());
            assertTrue(compare(List.of(f), true, false), f.file());
        }
    }

    @Test
    void everyRefusedFixtureIsRefusedByBoth() {
        assumeLibvirt();
        for (Fixture f : CpuFixtures.all()) {
            if (!f.libvirtAccepts()) {
                assertEquals(false, compare(List.of(f), false, false), f.file());
            }
        }
    }

    private static Fixture host(String name) {
        return CpuFixtures.get(name);
    }

    private static Fixture custom(String name, CpuDescription cpu) {
        return new Fixture(name, "host", cpu.vendor(), true, cpu, CpuFixtures.hostXml(cpu));
    }

    @Test
    void handPickedCases() {
        assumeLibvirt();
        Fixture haswellTsx = host("libvirt-9.9.0/x86_64-cpuid-Xeon-E7-8890-v3-host.xml");
        Fixture epyc = host("libvirt-9.9.0/x86_64-cpuid-EPYC-7601-32-Core-host.xml");
        CpuDescription c = haswellTsx.cpu();
        List<String> noTsx = new ArrayList<>(c.requiredFeatures());
        Fixture lostTsx = custom(
                "haswell-without-tsx", new CpuDescription(c.arch(), c.vendor(), "Haswell-noTSX", noTsx, List.of()));
        List<String> noVmx = new ArrayList<>(c.requiredFeatures());
        noVmx.remove("vmx");
        Fixture withoutVmx =
                custom("haswell-without-vmx", new CpuDescription(c.arch(), c.vendor(), c.model(), noVmx, List.of()));
        for (List<Fixture> set : List.of(
                List.of(haswellTsx),
                List.of(haswellTsx, haswellTsx, haswellTsx),
                List.of(haswellTsx, lostTsx),
                List.of(lostTsx, haswellTsx),
                List.of(haswellTsx, withoutVmx))) {
            for (boolean expand : List.of(false, true)) {
                assertTrue(compare(set, expand, false), set.toString());
            }
        }
        assertEquals(false, compare(List.of(haswellTsx, epyc), false, false));
        Baseline b = calculator.baseline(List.of(haswellTsx.named(), lostTsx.named()), false, false);
        assertTrue(!b.featureSet()
                .contains(CpuCatalog.bundled().feature("hle").orElseThrow().index()));
    }

    @Test
    void unknownFeatureAndUnknownModelAreRefusedByBoth() {
        assumeLibvirt();
        Fixture flushL1d = CpuFixtures.all().stream()
                .filter(f -> f.file().startsWith("libvirt-9.9.0/") && f.kind().equals("host") && !f.libvirtAccepts())
                .findFirst()
                .orElseThrow();
        Fixture newer = CpuFixtures.all().stream()
                .filter(f -> f.file().startsWith("libvirt-newer/"))
                .findFirst()
                .orElseThrow();
        Fixture ok = host("libvirt-9.9.0/x86_64-cpuid-Core-i5-650-host.xml");
        assertEquals(false, compare(List.of(ok, flushL1d), false, false));
        assertEquals(false, compare(List.of(ok, newer), false, false));
        BaselineRefusedException e = assertThrows(
                BaselineRefusedException.class,
                () -> calculator.baseline(List.of(ok.named(), flushL1d.named()), false, false));
        assertEquals(List.of(flushL1d.file()), e.conflictingHosts());
        assertTrue(e.getMessage().contains("flush-l1d"), e.getMessage());
        try {
            libvirt.baselineCpu(List.of(newer.hostXml()), false, false);
            fail("libvirt accepted " + newer.file());
        } catch (LibvirtException expected) {
            assertTrue(expected.getMessage().contains("Unknown CPU model"), expected.getMessage());
        }
    }
}
