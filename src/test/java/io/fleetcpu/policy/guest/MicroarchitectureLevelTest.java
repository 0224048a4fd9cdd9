package io.fleetcpu.policy.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.CpuPolicy;
import io.fleetcpu.policy.NestedState;
import io.fleetcpu.policy.PolicyHost;
import io.fleetcpu.policy.PolicyRecommendation;
import io.fleetcpu.policy.PolicyRecommender;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.CpuDescription;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Levels of real CPUs (libvirt's test data), each expected level worked out by hand from the fixture's model (the
 * bundled cpu_map's x86_MODEL.xml), its extra features and the psABI table in {@link MicroarchitectureLevel}.
 */
class MicroarchitectureLevelTest {

    private static final CpuCatalog CATALOG = CpuCatalog.bundled();
    private static final GuestLevels LEVELS =
            new GuestLevels(CATALOG, new GuestVisibility(CATALOG, HostOnlyFeatures.bundled()));

    private static Optional<MicroarchitectureLevel> hostLevel(String file) {
        return LEVELS.onHost(CpuFixtures.get(file).cpu(), null);
    }

    @Test
    void haswellXeonReachesV3OnlyWithTheFeaturesItAddsToItsModel() {
        // Haswell-noTSX has avx, avx2, bmi1, bmi2, fma, movbe, xsave but not f16c or abm (LZCNT); the E5-2630 v3
        // lists f16c and abm on top, and no AVX-512.
        assertThat(hostLevel("libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml"))
                .contains(MicroarchitectureLevel.V3);
        assertThat(MicroarchitectureLevel.reachedBy(
                        CATALOG.model("Haswell-noTSX").orElseThrow().features(), CATALOG))
                .contains(MicroarchitectureLevel.V2);
        assertThat(MicroarchitectureLevel.V3.missingFrom(
                        CATALOG.model("Haswell-noTSX").orElseThrow().features(), CATALOG))
                .containsExactly("f16c", "abm");
    }

    @Test
    void ivyBridgeReachesV2() {
        // IvyBridge: cx16, lahf_lm, popcnt, pni, sse4.1, sse4.2, ssse3; no avx2, bmi1, bmi2, fma, movbe, abm.
        assertThat(hostLevel("libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml"))
                .contains(MicroarchitectureLevel.V2);
    }

    @Test
    void skylakeAndCascadeLakeServersReachV4() {
        // Skylake-Server and Cascadelake-Server carry avx512f, avx512bw, avx512cd, avx512dq, avx512vl and all of v3.
        assertThat(hostLevel("libvirt-9.9.0/x86_64-cpuid-Xeon-Gold-6148-host.xml"))
                .contains(MicroarchitectureLevel.V4);
        assertThat(hostLevel("libvirt-5.6.0/x86_64-cpuid-Xeon-Platinum-8268-host.xml"))
                .contains(MicroarchitectureLevel.V4);
    }

    @Test
    void epycRomeReachesV3() {
        // EPYC-Rome has every v3 feature (abm, f16c, movbe …) and no AVX-512.
        assertThat(hostLevel("libvirt-9.9.0/x86_64-cpuid-EPYC-7502-32-Core-host.xml"))
                .contains(MicroarchitectureLevel.V3);
    }

    @Test
    void penrynStopsAtTheBaseline() {
        // Penryn lacks popcnt and sse4.2 (SSE4.2 came with Nehalem).
        assertThat(hostLevel("libvirt-9.9.0/x86_64-cpuid-Core2-Q9500-host.xml"))
                .contains(MicroarchitectureLevel.BASELINE);
    }

    @Test
    void levelsAreCumulative() {
        // AVX-512 without movbe is not v4: the CPU must reach v3 first.
        var set = CATALOG.model("Skylake-Server")
                .orElseThrow()
                .features()
                .without(CATALOG.feature("movbe").orElseThrow().index());
        assertThat(MicroarchitectureLevel.reachedBy(set, CATALOG)).contains(MicroarchitectureLevel.V2);
    }

    @Test
    void aCpuWithoutSse2ReachesNoLevel() {
        // pentium (i586) has no sse, sse2 or syscall.
        assertThat(MicroarchitectureLevel.reachedBy(
                        CATALOG.model("pentium").orElseThrow().features(), CATALOG))
                .isEmpty();
    }

    @Test
    void theHypervisorViewDecides() {
        // The same Haswell host whose hypervisor gives guests only the model (no f16c, abm) gets v2 guests.
        CpuDescription physical = CpuFixtures.get("libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml")
                .cpu();
        CpuDescription hypervisor = new CpuDescription("x86_64", "Intel", "Haswell-noTSX", List.of(), List.of());
        assertThat(LEVELS.onHost(physical, hypervisor)).contains(MicroarchitectureLevel.V2);
    }

    @Test
    void theRecommendationReachesTheHostsBestCommonLevelAndNamesWhoCostsTheNext() {
        // Levels are cumulative sets of features, so the features every host shares hold the lowest host's level
        // and no more: the recommendation (libvirt's baseline of the hosts) must reach exactly that level.
        PolicyRecommender recommender = new PolicyRecommender(
                CATALOG, new GuestVisibility(CATALOG, HostOnlyFeatures.bundled()), java.util.Set.of());
        List<CpuFixtures.Fixture> intel = CpuFixtures.accepted().stream()
                .filter(f -> f.kind().equals("host") && "Intel".equals(f.vendor()))
                .toList();
        int checked = 0;
        int lost = 0;
        for (List<CpuFixtures.Fixture> set : CpuFixtures.randomSets(11, intel, 150)) {
            List<PolicyHost> hosts = set.stream()
                    .map(f -> new PolicyHost(
                            f.file(), f.cpu(), null, null, null, NestedState.UNKNOWN, null, null, List.of()))
                    .toList();
            PolicyRecommendation answer;
            try {
                answer = recommender.recommend(hosts, CpuPolicy.DEFAULT, false);
            } catch (BaselineRefusedException e) {
                continue;
            }
            List<Integer> ranks =
                    hosts.stream().map(h -> rank(LEVELS.onHost(h.cpu(), null))).toList();
            int lowest = ranks.stream().mapToInt(Integer::intValue).min().orElseThrow();
            int highest = ranks.stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertThat(answer.level().level()).as("%s", set).isEqualTo(name(lowest));
            if (highest > lowest) {
                lost++;
                assertThat(answer.level().lostLevel()).isEqualTo(name(lowest + 1));
                List<String> below = new java.util.ArrayList<>();
                for (int i = 0; i < hosts.size(); i++) {
                    if (ranks.get(i) <= lowest) {
                        below.add(hosts.get(i).name());
                    }
                }
                assertThat(answer.level().hostsBelowLostLevel()).containsExactlyElementsOf(below);
            } else {
                assertThat(answer.level().lostLevel()).isNull();
                assertThat(answer.level().hostsBelowLostLevel()).isEmpty();
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(lost).isGreaterThan(50);
    }

    /** 0 below the baseline, 1 for the baseline … 4 for v4. */
    private static int rank(Optional<MicroarchitectureLevel> level) {
        return level.map(l -> l.ordinal() + 1).orElse(0);
    }

    private static String name(int rank) {
        return rank == 0 ? null : MicroarchitectureLevel.values()[rank - 1].operatorName();
    }

    @Test
    void namesAreThePsAbis() {
        assertThat(MicroarchitectureLevel.operatorNames())
                .containsExactly("x86-64-baseline", "x86-64-v2", "x86-64-v3", "x86-64-v4");
        assertThat(MicroarchitectureLevel.named("x86-64-v3")).contains(MicroarchitectureLevel.V3);
        assertThat(MicroarchitectureLevel.named("x86-64-v5")).isEmpty();
        assertThat(MicroarchitectureLevel.V4.features()).hasSize(8 + 7 + 9 + 5);
    }
}
