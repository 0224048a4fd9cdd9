package io.fleetcpu.policy.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contracts of real hosts: Debian 12's QEMU 7.2 (KVM and TCG) and QEMU 11.1 under libvirt 12.8, captured here. */
class MigrationContractTest {

    private static final MigrationFacts BROADWELL_QEMU_7 = CapturedPlatforms.BROADWELL_QEMU_7;
    private static final MigrationFacts EPYC_QEMU_7 = CapturedPlatforms.EPYC_QEMU_7;
    private static final MigrationFacts EPYC_QEMU_11 = CapturedPlatforms.EPYC_QEMU_11;

    @Test
    void oneHostIsPromisedItsNewestTypesItsBitsAndItsTsc() {
        MigrationContract contract =
                MigrationContract.of(List.of(new MigrationContract.Member("kvm", BROADWELL_QEMU_7)));

        assertThat(contract.machineType()).isEqualTo("pc-q35-7.2");
        assertThat(contract.machineTypes())
                .containsExactly(Map.entry("q35", "pc-q35-7.2"), Map.entry("i440fx", "pc-i440fx-7.2"));
        assertThat(contract.physAddrBits()).isEqualTo(46);
        assertThat(contract.tscFrequency()).isEqualTo(2_000_000_000L);
        assertThat(contract.notes()).isEmpty();
    }

    @Test
    void hostsOfOneQemuWithDifferentAddressBitsGetTheFewest() {
        MigrationContract contract = MigrationContract.of(List.of(
                new MigrationContract.Member("kvm", BROADWELL_QEMU_7),
                new MigrationContract.Member("tcg", EPYC_QEMU_7)));

        assertThat(contract.machineType()).isEqualTo("pc-q35-7.2");
        assertThat(contract.physAddrBits()).isEqualTo(46);
        // the emulated host reports no TSC counter: no frequency is promised
        assertThat(contract.tscFrequency()).isNull();
        assertThat(contract.notes())
                .containsExactly("physical address bits differ: 46 (kvm), 48 (tcg); guests get 46, the fewest, so "
                        + "that they can move to every host");
    }

    @Test
    void qemu7And11ShareOnlyTypesQemu11Deprecates() {
        MigrationContract contract = MigrationContract.of(List.of(
                new MigrationContract.Member("qemu-7", EPYC_QEMU_7),
                new MigrationContract.Member("qemu-11", EPYC_QEMU_11)));

        assertThat(contract.machineTypes())
                .containsExactly(Map.entry("q35", "pc-q35-7.2"), Map.entry("i440fx", "pc-i440fx-7.2"));
        assertThat(contract.physAddrBits()).isEqualTo(48);
        assertThat(contract.notes())
                .containsExactly(
                        "pc-q35-7.2 is the newest q35 machine type every host offers, and it is deprecated on qemu-11: a "
                                + "QEMU release will drop it; upgrade the older hosts' QEMU so that a newer one is shared",
                        "pc-i440fx-7.2 is the newest i440fx machine type every host offers, and it is deprecated on "
                                + "qemu-11: a QEMU release will drop it; upgrade the older hosts' QEMU so that a newer one is "
                                + "shared",
                        "hosts run different major versions of QEMU: QEMU 7 (qemu-7), QEMU 11 (qemu-11); releases change "
                                + "what a named CPU model and a machine type mean, so test migrations between them before "
                                + "relying on them",
                        "hosts run different major versions of libvirt: libvirt 9 (qemu-7), libvirt 12 (qemu-11); releases "
                                + "change what a named CPU model and a machine type mean, so test migrations between them "
                                + "before relying on them");
    }

    @Test
    void qemu4And11ShareNoMachineType() {
        MigrationContract contract = MigrationContract.of(List.of(
                new MigrationContract.Member("qemu-4", CapturedPlatforms.EPYC_QEMU_4),
                new MigrationContract.Member("qemu-11", EPYC_QEMU_11)));

        assertThat(contract.machineType()).isNull();
        assertThat(contract.machineTypes()).isEmpty();
        assertThat(contract.notes())
                .contains("no versioned q35 or i440fx machine type is offered by every host: guests cannot be started "
                        + "so that they can move between all of them");
    }

    @Test
    void aPinnedMachineTypeIsTheContractsAndTheHostsSayWhatTheyMakeOfIt() {
        List<MigrationContract.Member> members = List.of(
                new MigrationContract.Member("qemu-7", EPYC_QEMU_7),
                new MigrationContract.Member("qemu-11", EPYC_QEMU_11),
                new MigrationContract.Member("unreported", MigrationFacts.UNKNOWN));

        MigrationContract newest = MigrationContract.of(members, "pc-q35-11.1");
        MigrationContract deprecated = MigrationContract.of(members.subList(0, 2), "pc-q35-6.2");
        MigrationContract everywhere = MigrationContract.of(members.subList(0, 1), "pc-q35-6.2");

        assertThat(newest.machineType()).isEqualTo("pc-q35-11.1");
        assertThat(newest.notes())
                .contains(
                        "the machine type the policy pins, pc-q35-11.1, is not offered by qemu-7: guests started with "
                                + "it will not start or migrate there",
                        "the machine type the policy pins, pc-q35-11.1, cannot be checked on unreported: they reported "
                                + "no machine types");
        assertThat(deprecated.machineType()).isEqualTo("pc-q35-6.2");
        assertThat(deprecated.notes())
                .contains("the machine type the policy pins, pc-q35-6.2, is deprecated on qemu-11: a QEMU release will "
                        + "drop it");
        assertThat(everywhere.machineType()).isEqualTo("pc-q35-6.2");
        assertThat(everywhere.notes()).isEmpty();
    }

    @Test
    void aDeprecatedTypeIsSkippedWhenANewerOneIsShared() {
        MigrationFacts deprecating = new MigrationFacts(
                List.of("pc-q35-7.1", "pc-q35-7.2", "pc-q35-8.0"),
                List.of("pc-q35-8.0"),
                Map.of(),
                46,
                null,
                null,
                8,
                10);
        MigrationFacts plain =
                new MigrationFacts(List.of("pc-q35-7.2", "pc-q35-8.0"), List.of(), Map.of(), 46, null, null, 8, 10);

        MigrationContract contract = MigrationContract.of(
                List.of(new MigrationContract.Member("a", deprecating), new MigrationContract.Member("b", plain)));

        assertThat(contract.machineType()).isEqualTo("pc-q35-7.2");
        assertThat(contract.machineTypes()).containsOnlyKeys("q35");
        assertThat(contract.notes()).containsExactly("pc-q35-8.0 skipped: deprecated on a");
    }

    @Test
    void versionsAreComparedAsNumbers() {
        MigrationFacts newer = new MigrationFacts(
                List.of("pc-q35-9.2", "pc-q35-10.0", "pc-q35-10.1"), List.of(), Map.of(), 46, null, null, 10, 11);

        assertThat(MigrationContract.of(List.of(new MigrationContract.Member("a", newer)))
                        .machineType())
                .isEqualTo("pc-q35-10.1");
    }

    @Test
    void whatOneMemberDidNotReportIsPromisedToNone() {
        MigrationContract contract = MigrationContract.of(List.of(
                new MigrationContract.Member("kvm", BROADWELL_QEMU_7),
                new MigrationContract.Member("old", MigrationFacts.UNKNOWN)));

        assertThat(contract.machineType()).isNull();
        assertThat(contract.machineTypes()).isEmpty();
        assertThat(contract.physAddrBits()).isNull();
        assertThat(contract.tscFrequency()).isNull();
        assertThat(contract.notes())
                .containsExactly(
                        "no machine type is promised: old reported none (their capabilities list no machine types for "
                                + "their arch)",
                        "no physical address bits are promised: unknown for old");
    }

    @Test
    void differentTscFrequenciesAreNamed() {
        MigrationFacts other = new MigrationFacts(
                BROADWELL_QEMU_7.machineTypes(),
                BROADWELL_QEMU_7.deprecatedMachineTypes(),
                BROADWELL_QEMU_7.machineTypeAliases(),
                46,
                2_400_000_000L,
                false,
                7,
                9);

        MigrationContract contract = MigrationContract.of(
                List.of(new MigrationContract.Member("a", BROADWELL_QEMU_7), new MigrationContract.Member("b", other)));

        assertThat(contract.tscFrequency()).isNull();
        assertThat(contract.notes())
                .containsExactly("TSC frequencies differ: 2000000000 Hz (a), 2400000000 Hz (b); guests given invtsc "
                        + "cannot move between them");
        assertThat(contract.machineType()).isEqualTo("pc-q35-7.2");
    }

    @Test
    void noCommonTypeIsSaid() {
        MigrationFacts old = new MigrationFacts(List.of("pc-q35-2.4"), List.of(), Map.of(), 40, null, null, 2, 3);
        MigrationFacts newer = new MigrationFacts(List.of("pc-q35-9.2"), List.of(), Map.of(), 40, null, null, 9, 10);

        MigrationContract contract = MigrationContract.of(
                List.of(new MigrationContract.Member("old", old), new MigrationContract.Member("new", newer)));

        assertThat(contract.machineType()).isNull();
        assertThat(contract.notes())
                .startsWith(
                        "no versioned q35 or i440fx machine type is offered by every host: guests cannot be started "
                                + "so that they can move between all of them");
    }
}
