package io.fleetcpu.policy.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.CpuFixtures;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BaselineProperties {

    private final BaselineCalculator calculator = new BaselineCalculator(CpuCatalog.bundled());

    @Provide
    Arbitrary<List<CpuFixtures.Fixture>> sameVendorHosts() {
        return Arbitraries.of("Intel", "AMD")
                .flatMap(vendor -> Arbitraries.of(CpuFixtures.accepted().stream()
                                .filter(f -> f.vendor().equals(vendor))
                                .toList())
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(20));
    }

    @Property(tries = 200)
    void aBaselineRunsOnEveryHostItWasComputedFrom(
            @ForAll("sameVendorHosts") List<CpuFixtures.Fixture> hosts, @ForAll boolean expand) {
        List<NamedCpu> named = hosts.stream().map(CpuFixtures.Fixture::named).toList();
        Baseline baseline = calculator.baseline(named, expand, false);
        for (NamedCpu host : named) {
            FeatureSet hostFeatures = calculator.expand(host.cpu());
            assertTrue(hostFeatures.containsAll(baseline.featureSet()), host.host());
        }
        // the short and the expanded form describe the same guest
        assertEquals(
                baseline.featureSet(),
                calculator.baseline(named, !expand, false).featureSet());
    }

    @Property(tries = 100)
    void hostOrderDoesNotChangeTheGuestFeatures(@ForAll("sameVendorHosts") List<CpuFixtures.Fixture> hosts) {
        List<NamedCpu> named = hosts.stream().map(CpuFixtures.Fixture::named).toList();
        List<NamedCpu> reversed = new java.util.ArrayList<>(named);
        java.util.Collections.reverse(reversed);
        assertEquals(calculator.baseline(named, false, false), calculator.baseline(reversed, false, false));
    }

    @Test
    void refusesWithReasonsAnOperatorCanActOn() {
        CpuDescription haswell = CpuDescription.host("x86_64", "Intel", "Haswell", List.of());
        CpuDescription epyc = CpuDescription.host("x86_64", "AMD", "EPYC", List.of());
        BaselineRefusedException e =
                assertThrows(BaselineRefusedException.class, () -> calculator.baseline(List.of(), false, false));
        assertEquals(BaselineRefusedException.Reason.NO_HOSTS, e.reason());
        e = assertThrows(
                BaselineRefusedException.class,
                () -> calculator.baseline(List.of(new NamedCpu("a", haswell), new NamedCpu("b", epyc)), false, false));
        assertEquals(List.of("a", "b"), e.conflictingHosts());
        assertTrue(e.getMessage().contains("a (Intel) and b (AMD)"), e.getMessage());
        e = assertThrows(
                BaselineRefusedException.class,
                () -> calculator.baseline(
                        List.of(
                                new NamedCpu("a", haswell),
                                new NamedCpu("arm1", CpuDescription.host("aarch64", null, "cortex-a57", List.of()))),
                        false,
                        false));
        assertEquals(BaselineRefusedException.Reason.MIXED_ARCH, e.reason());
        assertEquals(List.of("arm1"), e.conflictingHosts());
        e = assertThrows(
                BaselineRefusedException.class,
                () -> calculator.baseline(
                        List.of(new NamedCpu(
                                "y", CpuDescription.host("x86_64", "Intel", "Icelake-Server-v2", List.of()))),
                        false,
                        false));
        assertTrue(e.getMessage().contains("names CPU model 'Icelake-Server-v2'"), e.getMessage());
    }

    @Test
    void disabledFeaturesOfAHostAreTakenAway() {
        CpuDescription lostTsx = new CpuDescription("x86_64", "Intel", "Haswell", List.of(), List.of("hle", "rtm"));
        Baseline b = calculator.baseline(List.of(new NamedCpu("h", lostTsx)), false, false);
        assertEquals("Haswell", b.model());
        assertEquals(List.of("hle", "rtm"), b.featureNames(FeaturePolicy.DISABLE));
        assertTrue(b.fallbackForbid());
    }
}
