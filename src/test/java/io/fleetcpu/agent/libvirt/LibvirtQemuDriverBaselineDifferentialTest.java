package io.fleetcpu.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.CpuFixtures.Fixture;
import io.fleetcpu.policy.baseline.Baseline;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.LibvirtDriver;
import io.fleetcpu.policy.baseline.NamedCpu;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * fleetcpu's baseline as libvirtd's QEMU driver gives it ({@link LibvirtDriver#QEMU}) against that driver itself
 * ({@code qemu:///system}, or {@code -Dfleetcpu.libvirt.qemu.uri=…}): the answer of an operator's
 * {@code virsh cpu-baseline}, in every form (short, EXPAND_FEATURES, MIGRATABLE and both), compared as the XML
 * libvirt returns, so model, fallback, vendor, features, policies and order all count, and a refusal must be a
 * refusal on both sides. Skipped only when no libvirtd answers there; CI starts one and refuses the skip.
 */
class LibvirtQemuDriverBaselineDifferentialTest {

    private static final String URI = System.getProperty("fleetcpu.libvirt.qemu.uri", "qemu:///system");
    private static final BaselineCalculator calculator = new BaselineCalculator(CpuCatalog.bundled());
    private static LibvirtConnection qemu;
    private static String unavailable;

    @BeforeAll
    static void connect() {
        try {
            qemu = LibvirtConnection.open(URI);
        } catch (LibvirtException | LinkageError e) {
            unavailable = e.getMessage();
        }
    }

    @AfterAll
    static void disconnect() {
        if (qemu != null) {
            qemu.close();
        }
    }

    private static void assumeDaemon() {
        assumeTrue(qemu != null, () -> "no libvirtd at " + URI + ": " + unavailable);
    }

    private record Form(boolean expand, boolean migratable) {
        static final List<Form> ALL =
                List.of(new Form(false, false), new Form(true, false), new Form(false, true), new Form(true, true));
    }

    /** What one side answered: the {@code <cpu>} element, or null for a refusal (with the reason). */
    private record Outcome(String xml, String refusal) {
        boolean refused() {
            return xml == null;
        }

        @Override
        public String toString() {
            return refused() ? "REFUSED: " + refusal : xml;
        }
    }

    private static Outcome ours(List<Fixture> set, Form form, LibvirtDriver driver) {
        List<NamedCpu> hosts = set.stream().map(Fixture::named).toList();
        try {
            return new Outcome(
                    calculator
                            .baseline(hosts, form.expand(), form.migratable(), driver)
                            .toLibvirtXml(),
                    null);
        } catch (BaselineRefusedException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    private static Outcome libvirts(List<Fixture> set, Form form) {
        try {
            return new Outcome(
                    qemu.baselineCpu(set.stream().map(Fixture::hostXml).toList(), form.expand(), form.migratable()),
                    null);
        } catch (LibvirtException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    /** Compares one form; true when both computed the same CPU, false when both refused. */
    private static boolean compare(List<Fixture> set, Form form) {
        Outcome ours = ours(set, form, LibvirtDriver.QEMU);
        Outcome theirs = libvirts(set, form);
        String what =
                URI + " " + form + " hosts=" + set.stream().map(Fixture::file).collect(Collectors.joining(", "));
        if (ours.refused() || theirs.refused()) {
            assertEquals(theirs.refused(), ours.refused(), () -> what + "\nlibvirt: " + theirs + "\nfleetcpu: " + ours);
            return false;
        }
        assertEquals(theirs.xml(), ours.xml(), what);
        return true;
    }

    private static List<List<Fixture>> randomSets() {
        List<Fixture> accepted = CpuFixtures.accepted();
        List<List<Fixture>> sets = new ArrayList<>(CpuFixtures.randomSets(20261108L, accepted, 100));
        for (String vendor : List.of("Intel", "AMD")) {
            List<Fixture> pool =
                    accepted.stream().filter(f -> f.vendor().equals(vendor)).toList();
            sets.addAll(CpuFixtures.randomSets(20261108L + vendor.hashCode(), pool, 120));
        }
        // with the CPUs libvirt 9.0 refuses (features and models its map does not know)
        sets.addAll(CpuFixtures.randomSets(20261109L, CpuFixtures.all(), 40));
        return sets;
    }

    @Test
    void everyFormMatchesTheQemuDriverOnRandomSetsOfRealHosts() {
        assumeDaemon();
        List<List<Fixture>> sets = randomSets();
        assertEquals(380, sets.size());
        int computed = 0;
        int refused = 0;
        int filtered = 0;
        for (List<Fixture> set : sets) {
            List<Boolean> answered =
                    Form.ALL.stream().map(form -> compare(set, form)).distinct().toList();
            assertEquals(1, answered.size(), () -> "some forms refused, others not: " + set);
            if (answered.get(0)) {
                computed++;
                filtered += ours(set, Form.ALL.get(0), LibvirtDriver.QEMU)
                                .equals(ours(set, Form.ALL.get(0), LibvirtDriver.TEST))
                        ? 0
                        : 1;
            } else {
                refused++;
            }
        }
        assertTrue(
                computed > 200,
                "most single-vendor sets should compute: " + computed + " computed, " + refused + " refused");
        assertTrue(refused > 50, "Intel+AMD mixes and CPUs unknown to the map should be refused: " + refused);
        // Large sets mostly lose osxsave and cmt to hosts described by their guest CPU; small ones keep them.
        assertTrue(filtered > 10, "the QEMU driver's filter should show on some sets: " + filtered);
        System.out.printf(
                "%s: %d random sets, %d computed, %d refused, %d changed by the QEMU driver's filter%n",
                URI, sets.size(), computed, refused, filtered);
    }

    @Test
    void everyFixtureAloneMatchesTheQemuDriver() {
        assumeDaemon();
        int filtered = 0;
        for (Fixture f : CpuFixtures.all()) {
            for (Form form : Form.ALL) {
                assertEquals(f.libvirtAccepts(), compare(List.of(f), form), () -> f.file() + " " + form);
            }
            filtered += f.libvirtAccepts()
                            && !ours(List.of(f), Form.ALL.get(0), LibvirtDriver.QEMU)
                                    .equals(ours(List.of(f), Form.ALL.get(0), LibvirtDriver.TEST))
                    ? 1
                    : 0;
        }
        assertTrue(filtered > 20, "the QEMU driver's filter should show on many real CPUs: " + filtered);
        System.out.printf(
                "%s: %d fixtures alone, %d changed by the QEMU driver's filter%n",
                URI, CpuFixtures.all().size(), filtered);
    }

    @Test
    void theDriverChangesOnlyTheFeaturesItDropsNeverTheModel() {
        List<NamedCpu> xeon = List.of(CpuFixtures.get("libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v3-host.xml")
                .named());
        for (Form form : Form.ALL) {
            Baseline test = calculator.baseline(xeon, form.expand(), form.migratable(), LibvirtDriver.TEST);
            Baseline qemu = calculator.baseline(xeon, form.expand(), form.migratable(), LibvirtDriver.QEMU);
            assertEquals(test.model(), qemu.model());
            assertEquals(test.vendor(), qemu.vendor());
            assertEquals(test.fallbackForbid(), qemu.fallbackForbid());
            assertEquals(
                    test.features().stream()
                            .filter(f -> !LibvirtDriver.QEMU.droppedFeatures().contains(f.name()))
                            .toList(),
                    qemu.features(),
                    form.toString());
            assertTrue(
                    test.featureNames(FeaturePolicy.REQUIRE).containsAll(List.of("cmt", "osxsave")),
                    "this Xeon has Intel RDT monitoring and the OS bit of XSAVE");
        }
        // The methods without a driver keep answering as the CPU code alone.
        assertEquals(
                calculator.baseline(xeon, true, false, LibvirtDriver.TEST), calculator.baseline(xeon, true, false));
    }
}
