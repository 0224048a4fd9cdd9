package io.fleetcpu.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.CpuPolicy.Goal;
import io.fleetcpu.policy.CpuPolicy.MitigationMode;
import io.fleetcpu.policy.CpuPolicy.Nested;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.GuestFeatures;
import io.fleetcpu.policy.guest.GuestVisibility;
import io.fleetcpu.policy.migration.MigrationCheck;
import io.fleetcpu.policy.migration.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The product's promise on generated aggregates of real CPUs, with and without hypervisor views (the host-model
 * CPUs of five real QEMU versions' domain capabilities, and this project's own machine's): every recommendation
 * runs on every member, as libvirt's compareCPU (MigrationCheck, verified against libvirt) judges it against the
 * member's guest-visible CPU, and never requires a feature outside it.
 */
class RecommendationRunsEverywhereProperties {

    private static final CpuCatalog CATALOG = CpuCatalog.bundled();
    private static final GuestVisibility VISIBILITY = new GuestVisibility(CATALOG, HostOnlyFeatures.bundled());
    private static final Set<String> OBSOLETE = Set.copyOf(PolicyRecommender.OBSOLETE_MODELS);
    private static final List<CpuDescription> PHYSICAL = CpuFixtures.accepted().stream()
            .filter(f -> f.kind().equals("host"))
            .map(CpuFixtures.Fixture::cpu)
            .toList();
    private static final List<CpuDescription> HYPERVISOR_VIEWS = hypervisorViews();

    private final PolicyRecommender recommender = new PolicyRecommender(CATALOG, VISIBILITY, OBSOLETE);
    private final BaselineCalculator calculator = new BaselineCalculator(CATALOG);
    private final MigrationCheck check = new MigrationCheck(CATALOG);

    private static List<CpuDescription> hypervisorViews() {
        List<CpuDescription> views = new ArrayList<>();
        for (String v : List.of("4.2.0", "5.0.0", "6.2.0", "7.2.0", "8.2.0")) {
            CpuDefinition cpu = DomainCapabilities.parse(read("cpudata/domcaps/qemu_" + v + "-q35.x86_64.xml"))
                    .hostModel();
            // QEMU 8.2 names a few features newer than the bundled catalog; a host sending them is refused whole,
            // which other tests cover. Here they are left out so that the view still counts.
            views.add(new CpuDescription(
                    "x86_64",
                    cpu.vendor(),
                    cpu.model(),
                    known(cpu.requiredFeatureNames()),
                    known(cpu.disabledFeatureNames())));
        }
        views.add(PolicyHosts.hypervisorView("hostdata/hypervisor-cpu-kvm64.xml"));
        return List.copyOf(views);
    }

    @Provide
    Arbitrary<PolicyHost> hosts() {
        Arbitrary<CpuDescription> physical = Arbitraries.of(PHYSICAL);
        // About half the hosts sent their hypervisor's view; it belongs to a machine of the same vendor.
        return Combinators.combine(
                        physical,
                        Arbitraries.of(HYPERVISOR_VIEWS).injectNull(0.5),
                        Arbitraries.of(NestedState.class),
                        Arbitraries.integers().between(0, 99999))
                .as((cpu, view, nested, n) -> new PolicyHost(
                        "host-" + n,
                        cpu,
                        view != null && vendorOf(view).equals(vendorOf(cpu)) ? view : null,
                        null,
                        null,
                        nested,
                        null,
                        null,
                        List.of()));
    }

    @Provide
    Arbitrary<CpuPolicy> policies() {
        return Combinators.combine(
                        Arbitraries.of(Goal.class),
                        Arbitraries.of(Nested.OFF, Nested.ALLOWED),
                        Arbitraries.of(true, false))
                .as((goal, nested, disable) -> new CpuPolicy(
                        goal,
                        nested,
                        false,
                        disable ? MitigationMode.DISABLE : MitigationMode.REQUIRE,
                        disable ? List.of("spec-ctrl") : List.of(),
                        null,
                        null));
    }

    @Property(tries = 400, seed = "8080")
    void everyRecommendationRunsOnEveryMember(
            @ForAll("aggregates") List<PolicyHost> hosts, @ForAll("policies") CpuPolicy policy) {
        PolicyRecommendation answer;
        try {
            answer = recommender.recommend(hosts, policy, false);
        } catch (BaselineRefusedException e) {
            Statistics.collect("refused: " + e.reason());
            return;
        }
        GuestCpu cpu = answer.cpu();
        Statistics.collect(cpu.mode().libvirtName());
        for (PolicyHost host : hosts) {
            CpuDescription visible =
                    VISIBILITY.of(host.cpu(), host.hypervisorCpu()).cpu();
            FeatureSet given = calculator.expand(visible);
            if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
                Verdict verdict = check.check(cpu, visible);
                assertThat(verdict.compatible())
                        .as("%s on %s: %s", GuestFeatures.describe(cpu), host.name(), verdict.reason())
                        .isTrue();
                FeatureSet guest = GuestFeatures.of(cpu, CATALOG).orElseThrow();
                assertThat(CATALOG.featureNames(guest.minus(given)))
                        .as("features %s cannot give", host.name())
                        .isEmpty();
                assertThat(cpu.featureNames(FeaturePolicy.REQUIRE)).doesNotContain("invtsc");
            }
            Set<String> required = new TreeSet<>(cpu.featureNames(FeaturePolicy.REQUIRE));
            required.removeAll(CATALOG.featureNames(given));
            assertThat(required)
                    .as("required features %s cannot give", host.name())
                    .isEmpty();
        }
    }

    @Provide
    Arbitrary<List<PolicyHost>> aggregates() {
        // Same-vendor aggregates, as operators build them, of 1 to 8 hosts with repeats.
        return Arbitraries.of("Intel", "AMD")
                .flatMap(vendor -> hosts().filter(h -> vendorOf(h.cpu()).equals(vendor))
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(8)
                        .map(list -> {
                            List<PolicyHost> named = new ArrayList<>();
                            for (int i = 0; i < list.size(); i++) {
                                PolicyHost h = list.get(i);
                                named.add(new PolicyHost(
                                        "node-" + i,
                                        h.cpu(),
                                        h.hypervisorCpu(),
                                        h.microcode(),
                                        h.signature(),
                                        h.nested(),
                                        h.usableModels(),
                                        h.supportedModes(),
                                        h.deprecatedModels()));
                            }
                            return named;
                        }));
    }

    private static List<String> known(List<String> features) {
        return features.stream().filter(f -> CATALOG.feature(f).isPresent()).toList();
    }

    private static String vendorOf(CpuDescription cpu) {
        return cpu.vendor() != null
                ? cpu.vendor()
                : CATALOG.model(cpu.model())
                        .map(io.fleetcpu.catalog.CpuModel::vendor)
                        .orElse("unknown");
    }

    private static String read(String resource) {
        try (InputStream in =
                RecommendationRunsEverywhereProperties.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
