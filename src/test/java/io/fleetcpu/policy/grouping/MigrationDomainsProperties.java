package io.fleetcpu.policy.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.NamedCpu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The laws of a grouping, on fleets drawn (with repeats) from real CPUs and their microcode-updated variants. */
class MigrationDomainsProperties {

    private static final CpuCatalog CATALOG = CpuCatalog.bundled();
    private static final List<CpuDescription> CPUS = Fleets.realCpusWithMicrocodeVariants(CATALOG);
    private static final List<CpuDescription> BROKEN = List.of(
            CpuDescription.host("aarch64", null, "cortex-a57", List.of()),
            CpuDescription.host("x86_64", "Intel", "Pentium-9000", List.of()),
            CpuDescription.host("x86_64", "AMD", "EPYC", List.of("no-such-feature")),
            CpuDescription.host(null, "Intel", "Haswell", List.of()));

    private final BaselineCalculator calculator = new BaselineCalculator(CATALOG);
    private final MigrationDomains engine = new MigrationDomains(calculator);

    @Provide
    Arbitrary<List<NamedCpu>> fleets() {
        // Few distinct CPUs, many repeats, as real fleets are; now and then a host libvirt refuses.
        Arbitrary<CpuDescription> cpu = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.of(CPUS)), net.jqwik.api.Tuple.of(1, Arbitraries.of(BROKEN)));
        return cpu.list()
                .ofMinSize(2)
                .ofMaxSize(8)
                .flatMap(palette -> Arbitraries.of(palette)
                        .list()
                        .ofMinSize(0)
                        .ofMaxSize(60)
                        .map(drawn -> {
                            List<NamedCpu> hosts = new ArrayList<>();
                            for (int i = 0; i < drawn.size(); i++) {
                                hosts.add(new NamedCpu("node-" + i, drawn.get(i)));
                            }
                            return hosts;
                        }));
    }

    @Provide
    Arbitrary<String> minimumModels() {
        return Arbitraries.of(
                        "SandyBridge",
                        "IvyBridge",
                        "Haswell-noTSX",
                        "Skylake-Client",
                        "Westmere",
                        "Nehalem",
                        "EPYC",
                        "Opteron_G3",
                        "qemu64")
                .injectNull(0.3);
    }

    @Property(tries = 250)
    void aGroupingIsAMigrationSafePartition(
            @ForAll("fleets") List<NamedCpu> hosts,
            @ForAll Strategy strategy,
            @ForAll("minimumModels") String minimum) {
        Grouping g = engine.group(hosts, strategy, minimum);
        Map<String, NamedCpu> byName = hosts.stream().collect(Collectors.toMap(NamedCpu::host, h -> h));

        // every host in exactly one domain, or ungrouped with a reason
        List<String> placed = new ArrayList<>();
        g.domains().forEach(d -> placed.addAll(d.hosts()));
        g.ungrouped().forEach(u -> {
            assertThat(u.reason()).isNotBlank();
            assertThat(u.message()).contains(u.host());
            placed.add(u.host());
        });
        assertThat(placed).containsExactlyInAnyOrderElementsOf(byName.keySet());
        // only what libvirt refuses is ungrouped
        g.ungrouped()
                .forEach(u -> assertThat(BROKEN).contains(byName.get(u.host()).cpu()));

        FeatureSet floor =
                minimum == null ? null : CATALOG.model(minimum).orElseThrow().features();
        Map<FeatureSet, Integer> domainOfKind = new HashMap<>();
        long givenUp = 0;
        for (int i = 0; i < g.domains().size(); i++) {
            MigrationDomain d = g.domains().get(i);
            assertThat(d.hosts()).isNotEmpty();
            List<NamedCpu> cpus = d.hosts().stream().map(byName::get).toList();
            // exactly libvirt's baseline of these hosts
            var expected = calculator.baseline(cpus, false, false);
            assertThat(d.guestCpu()).isEqualTo(expected);
            assertThat(d.model()).isEqualTo(expected.model());
            assertThat(d.score()).isEqualTo(expected.featureSet().size());
            FeatureSet guest = d.guestCpu().featureSet();
            FeatureSet.Builder union = FeatureSet.builder();
            Set<String> vendors = new java.util.HashSet<>();
            for (NamedCpu host : cpus) {
                FeatureSet own = calculator.expand(host);
                // the guest CPU runs on every host of its domain
                assertThat(own.containsAll(guest)).as(host.host()).isTrue();
                union.addAll(own);
                givenUp += own.minus(guest).size();
                vendors.add(vendorOf(host));
                // identical CPUs always share a domain
                Integer before = domainOfKind.putIfAbsent(own, i);
                assertThat(before == null || before == i)
                        .as("identical CPUs split: " + host.host())
                        .isTrue();
                boolean below = floor != null && !own.containsAll(floor);
                assertThat(g.hostsBelowMinimum().contains(host.host())).isEqualTo(below);
            }
            assertThat(vendors).as("vendors of one domain").hasSize(1);
            assertThat(d.featuresGivenUp())
                    .isEqualTo(CATALOG.featureNames(union.build().minus(guest)));
            assertThat(d.meetsMinimum()).isEqualTo(floor == null || guest.containsAll(floor));
            if (strategy == Strategy.MAX_FEATURES) {
                // nobody gives anything up: a domain is one kind
                assertThat(d.featuresGivenUp()).isEmpty();
            }
            // a domain of hosts meeting the minimum keeps it
            boolean allMeet = cpus.stream().noneMatch(h -> g.hostsBelowMinimum().contains(h.host()));
            if (allMeet) {
                assertThat(d.meetsMinimum()).isTrue();
            }
        }
        assertThat(g.cost().featuresGivenUp()).isEqualTo(givenUp);
        assertThat(g.cost().domains()).isEqualTo(g.domains().size());
        assertThat(g.cost().groupedHosts())
                .isEqualTo(hosts.size() - g.ungrouped().size());

        if (strategy == Strategy.MAX_FEATURES) {
            assertThat(g.cost().featuresGivenUp()).isZero();
            assertThat(g.domains()).hasSize(domainOfKind.size());
        } else {
            Grouping max = engine.group(hosts, Strategy.MAX_FEATURES, minimum);
            assertThat(g.domains().size()).isLessThanOrEqualTo(max.domains().size());
            assertThat(g.cost().featuresGivenUp())
                    .isGreaterThanOrEqualTo(max.cost().featuresGivenUp());
            // optimal: one domain per vendor and side of the minimum
            long classes = g.domains().stream()
                    .flatMap(d -> d.hosts().stream().limit(1))
                    .map(h -> vendorOf(byName.get(h)) + "/"
                            + g.hostsBelowMinimum().contains(h))
                    .distinct()
                    .count();
            assertThat(g.domains()).hasSize((int) classes);
        }
    }

    @Property(tries = 50)
    void hostOrderDoesNotChangeTheDomains(
            @ForAll("fleets") List<NamedCpu> hosts,
            @ForAll Strategy strategy,
            @ForAll("minimumModels") String minimum) {
        List<NamedCpu> reversed = new ArrayList<>(hosts);
        java.util.Collections.reverse(reversed);
        Set<Set<String>> a = engine.group(hosts, strategy, minimum).domains().stream()
                .map(d -> Set.copyOf(d.hosts()))
                .collect(Collectors.toSet());
        Set<Set<String>> b = engine.group(reversed, strategy, minimum).domains().stream()
                .map(d -> Set.copyOf(d.hosts()))
                .collect(Collectors.toSet());
        assertThat(a).isEqualTo(b);
    }

    private static String vendorOf(NamedCpu host) {
        return host.cpu().vendor() != null
                ? host.cpu().vendor()
                : CATALOG.model(host.cpu().model())
                        .map(m -> String.valueOf(m.vendor()))
                        .orElse("?");
    }

    @SuppressWarnings("unused")
    private static List<String> names(String... n) {
        return Arrays.asList(n);
    }
}
