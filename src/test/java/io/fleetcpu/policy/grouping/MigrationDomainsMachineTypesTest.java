package io.fleetcpu.policy.grouping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.baseline.NamedCpu;
import io.fleetcpu.policy.migration.CapturedPlatforms;
import io.fleetcpu.policy.migration.MigrationFacts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Groupings of hosts whose QEMU offers different machine types, from real capabilities: QEMU 4.2 (pc-q35-2.4 to 4.2),
 * QEMU 7.2 (pc-q35-2.4 to 7.2) and QEMU 11.1 (pc-q35-5.2 to 11.1).
 */
class MigrationDomainsMachineTypesTest {

    private final MigrationDomains domains = new MigrationDomains(CpuCatalog.bundled());

    private static NamedCpu haswell(String name) {
        return new NamedCpu(
                name,
                CpuFixtures.get("libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml")
                        .cpu());
    }

    private static NamedCpu ivy(String name) {
        return new NamedCpu(
                name,
                CpuFixtures.get("libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml")
                        .cpu());
    }

    private Grouping group(List<NamedCpu> hosts, Strategy strategy, List<MigrationFacts> platforms) {
        return domains.group(hosts, null, strategy, null, null, platforms);
    }

    @Test
    void hostsWithoutACommonMachineTypeAreNeverInOneDomainEvenWithOneCpu() {
        Grouping g = group(
                List.of(haswell("qemu-4"), haswell("qemu-7"), haswell("qemu-11")),
                Strategy.MIN_DOMAINS,
                List.of(CapturedPlatforms.EPYC_QEMU_4, CapturedPlatforms.EPYC_QEMU_7, CapturedPlatforms.EPYC_QEMU_11));

        // QEMU 7.2 shares types with both; QEMU 4.2 and 11.1 share none, so one of them stays apart
        assertThat(g.domains())
                .extracting(MigrationDomain::hosts)
                .containsExactly(List.of("qemu-4", "qemu-7"), List.of("qemu-11"));
        assertThat(g.domains()).allSatisfy(d -> assertThat(d.featuresGivenUp()).isEmpty());
        assertThat(g.notes())
                .containsExactly("domains 1 and 2 share no versioned machine type, so no guest can be started to move "
                        + "between them: the types the hosts of domain 1 (qemu-4, qemu-7) share run from pc-q35-2.4 to "
                        + "pc-q35-4.2 and from pc-i440fx-1.4 to pc-i440fx-4.2, those of domain 2 (qemu-11) from "
                        + "pc-q35-5.2 to pc-q35-11.1 and from pc-i440fx-5.2 to pc-i440fx-11.1");
    }

    @Test
    void withoutMachineTypesTheSameHostsAreOneDomain() {
        List<NamedCpu> hosts = List.of(haswell("qemu-4"), haswell("qemu-7"), haswell("qemu-11"));

        Grouping g = domains.group(hosts, null, Strategy.MIN_DOMAINS, null, null);

        assertThat(g.domains())
                .singleElement()
                .satisfies(d -> assertThat(d.hosts()).hasSize(3));
        assertThat(g.notes()).isEmpty();
    }

    @Test
    void aHostWhoseMachineTypesAreUnknownGoesWithAny() {
        Grouping g = group(
                List.of(haswell("qemu-4"), haswell("unknown"), haswell("qemu-11")),
                Strategy.MIN_DOMAINS,
                List.of(CapturedPlatforms.EPYC_QEMU_4, MigrationFacts.UNKNOWN, CapturedPlatforms.EPYC_QEMU_11));

        assertThat(g.domains()).hasSize(2);
        assertThat(g.domains())
                .flatExtracting(MigrationDomain::hosts)
                .containsExactlyInAnyOrder("qemu-4", "unknown", "qemu-11");
        assertThat(g.domains()).noneSatisfy(d -> assertThat(d.hosts()).contains("qemu-4", "qemu-11"));
    }

    @Test
    void aMergeThatWouldLoseFeaturesStillNeedsACommonMachineType() {
        // the Ivy Bridge would join either Haswell at the same cost; only QEMU 7.2's Haswell shares its types
        Grouping g = group(
                List.of(haswell("haswell-qemu-11"), ivy("ivy-qemu-7"), haswell("haswell-qemu-4")),
                Strategy.MIN_DOMAINS,
                List.of(CapturedPlatforms.EPYC_QEMU_11, CapturedPlatforms.EPYC_QEMU_7, CapturedPlatforms.EPYC_QEMU_4));

        assertThat(g.domains())
                .extracting(MigrationDomain::hosts)
                .noneSatisfy(hosts -> assertThat(hosts).contains("haswell-qemu-11", "haswell-qemu-4"));
        assertThat(g.notes()).isNotEmpty();
        assertThat(g.notes()).allSatisfy(note -> assertThat(note).contains("share no versioned machine type"));
    }

    @Test
    void maxFeaturesKeepsKindsApartAnywaySoItHasNoNotes() {
        Grouping g = group(
                List.of(haswell("qemu-4"), haswell("qemu-11")),
                Strategy.MAX_FEATURES,
                List.of(CapturedPlatforms.EPYC_QEMU_4, CapturedPlatforms.EPYC_QEMU_11));

        assertThat(g.domains()).hasSize(2);
        assertThat(g.notes()).isEmpty();
    }

    @Test
    void oneSetOfFactsPerHost() {
        assertThatThrownBy(() -> group(
                        List.of(haswell("a"), haswell("b")),
                        Strategy.MIN_DOMAINS,
                        List.of(CapturedPlatforms.EPYC_QEMU_4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one set of migration facts per entry");
    }
}
