package io.fleetcpu.policy.grouping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.NamedCpu;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationDomainsTest {

    private static final String DIR = "libvirt-9.9.0/x86_64-cpuid-";

    private final CpuCatalog catalog = CpuCatalog.bundled();
    private final BaselineCalculator calculator = new BaselineCalculator(catalog);
    private final MigrationDomains domains = new MigrationDomains(calculator);

    private static NamedCpu host(String name, String file) {
        return new NamedCpu(name, CpuFixtures.get(DIR + file).cpu());
    }

    /** Haswell-noTSX, Broadwell, Skylake-Server, an EPYC and an Ivy Bridge. */
    private static List<NamedCpu> mix() {
        return List.of(
                host("haswell", "Xeon-E5-2630-v3-host.xml"),
                host("broadwell", "Xeon-E5-2630-v4-host.xml"),
                host("skylake", "Xeon-Gold-6148-host.xml"),
                host("epyc", "EPYC-7601-32-Core-host.xml"),
                host("ivy", "Core-i7-3770-host.xml"));
    }

    @Test
    void minDomainsAboveSandyBridgeIsOneIntelDomainAndOneAmdDomain() {
        Grouping g = domains.group(mix(), Strategy.MIN_DOMAINS, "SandyBridge");

        assertThat(g.domains()).hasSize(2);
        MigrationDomain intel = g.domains().get(0);
        // The Ivy Bridge's features are a subset of the three newer Intel CPUs': the domain runs the Ivy Bridge.
        assertThat(intel.hosts()).containsExactly("haswell", "broadwell", "skylake", "ivy");
        assertThat(intel.model()).isEqualTo("IvyBridge");
        assertThat(intel.vendor()).isEqualTo("Intel");
        assertThat(intel.guestCpu().featureSet()).isEqualTo(calculator.expand(host("ivy", "Core-i7-3770-host.xml")));
        assertThat(intel.meetsMinimum()).isTrue();
        assertThat(intel.featuresGivenUp()).contains("avx2", "fma", "bmi1", "bmi2", "movbe", "hle", "rtm", "avx512f");
        assertThat(intel.kinds())
                .filteredOn(k -> k.exampleHost().equals("ivy"))
                .singleElement()
                .satisfies(k -> assertThat(k.featuresGivenUp()).isEmpty());
        assertThat(intel.kinds())
                .filteredOn(k -> k.exampleHost().equals("haswell"))
                .singleElement()
                .satisfies(k -> assertThat(k.featuresGivenUp())
                        .containsExactlyInAnyOrder(
                                "fma",
                                "movbe",
                                "bmi1",
                                "avx2",
                                "bmi2",
                                "invpcid",
                                "dca",
                                "tsc_adjust",
                                "cmt",
                                "pdpe1gb",
                                "abm"));

        MigrationDomain amd = g.domains().get(1);
        assertThat(amd.hosts()).containsExactly("epyc");
        assertThat(amd.model()).isEqualTo("EPYC");
        assertThat(amd.featuresGivenUp()).isEmpty();
        // A physical EPYC's CPUID has no x2apic nor tsc-deadline (KVM emulates them), which SandyBridge requires.
        assertThat(catalog.featureNames(catalog.model("SandyBridge")
                        .orElseThrow()
                        .features()
                        .minus(calculator.expand(host("epyc", "EPYC-7601-32-Core-host.xml")))))
                .containsExactly("x2apic", "tsc-deadline");
        assertThat(amd.meetsMinimum()).isFalse();
        assertThat(g.hostsBelowMinimum()).containsExactly("epyc");
        assertThat(g.ungrouped()).isEmpty();
        assertThat(g.cost().domains()).isEqualTo(2);
        assertThat(g.cost().hostsGivingUpFeatures()).isEqualTo(3);
    }

    @Test
    void minDomainsAboveHaswellLeavesTheIvyBridgeAlone() {
        Grouping g = domains.group(mix(), Strategy.MIN_DOMAINS, "Haswell-noTSX");

        assertThat(g.domains())
                .extracting(MigrationDomain::hosts)
                .containsExactly(List.of("haswell", "broadwell", "skylake"), List.of("epyc"), List.of("ivy"));
        assertThat(g.domains())
                .extracting(MigrationDomain::model)
                .containsExactly("Haswell-noTSX", "EPYC", "IvyBridge");
        assertThat(g.domains()).extracting(MigrationDomain::meetsMinimum).containsExactly(true, false, false);
        assertThat(g.hostsBelowMinimum()).containsExactly("epyc", "ivy");
        // Broadwell and Skylake give up TSX, AVX-512, ... so that they can take guests from the Haswell.
        assertThat(g.domains().get(0).featuresGivenUp())
                .contains("hle", "rtm", "rdseed", "adx", "smap", "avx512f")
                .doesNotContain("avx2");
        assertThat(g.domains().get(0).guestCpu().featureSet())
                .isEqualTo(calculator.expand(host("haswell", "Xeon-E5-2630-v3-host.xml")));
    }

    @Test
    void maxFeaturesKeepsEveryHostsFeatures() {
        Grouping g = domains.group(mix(), Strategy.MAX_FEATURES, null);

        assertThat(g.domains()).hasSize(5);
        assertThat(g.cost().featuresGivenUp()).isZero();
        for (MigrationDomain d : g.domains()) {
            assertThat(d.featuresGivenUp()).isEmpty();
            assertThat(d.hosts()).hasSize(1);
        }
        assertThat(g.domains())
                .extracting(MigrationDomain::model)
                .containsExactly("Skylake-Server", "EPYC", "Broadwell", "Haswell-noTSX", "IvyBridge");
    }

    @Test
    void identicalHostsShareADomainUnderBothStrategies() {
        List<NamedCpu> hosts = new ArrayList<>(mix());
        hosts.add(host("haswell-2", "Xeon-E5-2630-v3-host.xml"));
        hosts.add(host("haswell-3", "Xeon-E5-2650-v3-host.xml")); // another SKU, same features
        hosts.add(host("ivy-2", "Core-i7-3770-host.xml"));
        Grouping max = domains.group(hosts, Strategy.MAX_FEATURES, null);
        assertThat(max.domains()).hasSize(5);
        assertThat(max.domains())
                .extracting(MigrationDomain::hosts)
                .contains(List.of("haswell", "haswell-2", "haswell-3"), List.of("ivy", "ivy-2"));
        assertThat(max.cost().featuresGivenUp()).isZero();
        Grouping min = domains.group(hosts, Strategy.MIN_DOMAINS, null);
        assertThat(min.domains())
                .extracting(MigrationDomain::hosts)
                .containsExactly(
                        List.of("haswell", "broadwell", "skylake", "ivy", "haswell-2", "haswell-3", "ivy-2"),
                        List.of("epyc"));
        assertThat(min.cost().hostsGivingUpFeatures()).isEqualTo(5);
    }

    @Test
    void hostsLibvirtRefusesAreReportedNotFatal() {
        List<NamedCpu> hosts = new ArrayList<>(mix());
        hosts.add(new NamedCpu("arm", CpuDescription.host("aarch64", null, "cortex-a57", List.of())));
        hosts.add(new NamedCpu("future", CpuDescription.host("x86_64", "Intel", "Icelake-Server-v9", List.of())));
        hosts.add(new NamedCpu("odd", CpuDescription.host("x86_64", "Intel", "Haswell", List.of("warp-drive"))));
        hosts.add(new NamedCpu("odd-2", CpuDescription.host("x86_64", "Intel", "Haswell", List.of("warp-drive"))));
        hosts.add(host("ivy", "Core-i7-3770-host.xml"));

        for (Strategy s : Strategy.values()) {
            Grouping g = domains.group(hosts, s, "SandyBridge");
            assertThat(g.ungrouped())
                    .extracting(UngroupedHost::host, UngroupedHost::reason)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("arm", "UNSUPPORTED_ARCH"),
                            org.assertj.core.groups.Tuple.tuple("future", "UNKNOWN_MODEL"),
                            org.assertj.core.groups.Tuple.tuple("odd", "UNKNOWN_FEATURE"),
                            org.assertj.core.groups.Tuple.tuple("odd-2", "UNKNOWN_FEATURE"),
                            org.assertj.core.groups.Tuple.tuple("ivy", UngroupedHost.DUPLICATE_HOST));
            assertThat(g.ungrouped().get(3).message()).contains("odd-2").contains("warp-drive");
            assertThat(g.domains().stream().mapToInt(d -> d.hosts().size()).sum())
                    .isEqualTo(5);
        }
    }

    @Test
    void noHostsNoDomains() {
        Grouping g = domains.group(List.of(), Strategy.MIN_DOMAINS, null);
        assertThat(g.domains()).isEmpty();
        assertThat(g.cost().domains()).isZero();
        assertThat(g.catalog()).isEqualTo(catalog.info());
    }

    @Test
    void anUnknownMinimumModelIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> domains.group(mix(), Strategy.MIN_DOMAINS, "Haswell-v4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Haswell-v4")
                .hasMessageContaining("Haswell-noTSX");
    }

    @Test
    void strategiesHaveOperatorNames() {
        assertThat(Strategy.parse("min-domains")).isEqualTo(Strategy.MIN_DOMAINS);
        assertThat(Strategy.parse("MAX_FEATURES")).isEqualTo(Strategy.MAX_FEATURES);
        assertThatThrownBy(() -> Strategy.parse("fastest")).hasMessageContaining("max-features");
    }
}
