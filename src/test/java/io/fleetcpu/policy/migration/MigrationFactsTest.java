package io.fleetcpu.policy.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.libvirtxml.MachineType;
import io.fleetcpu.libvirtxml.TscCounter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationFactsTest {

    @Test
    void machineTypesAreSplitIntoVersionedDeprecatedAndAliases() {
        MigrationFacts facts = MigrationFacts.of(
                List.of(
                        new MachineType("pc-i440fx-7.2", null, false),
                        new MachineType("pc", "pc-i440fx-7.2", false),
                        new MachineType("pc-q35-7.2", null, false),
                        new MachineType("q35", "pc-q35-7.2", false),
                        new MachineType("pc-i440fx-1.5", null, true),
                        new MachineType("pc-q35-7.2", null, false)),
                46,
                new TscCounter(2_000_000_000L, true),
                "7.2.22",
                "9.0.0");

        assertThat(facts.machineTypes()).containsExactly("pc-i440fx-7.2", "pc-q35-7.2", "pc-i440fx-1.5");
        assertThat(facts.deprecatedMachineTypes()).containsExactly("pc-i440fx-1.5");
        assertThat(facts.machineTypeAliases())
                .containsExactly(Map.entry("pc", "pc-i440fx-7.2"), Map.entry("q35", "pc-q35-7.2"));
        assertThat(facts.physAddrBits()).isEqualTo(46);
        assertThat(facts.tscFrequency()).isEqualTo(2_000_000_000L);
        assertThat(facts.tscScaling()).isTrue();
        assertThat(facts.qemuMajor()).isEqualTo(7);
        assertThat(facts.libvirtMajor()).isEqualTo(9);
        assertThat(facts.unknown()).isFalse();
    }

    @Test
    void whatIsNotSaidStaysUnknown() {
        MigrationFacts nothing = MigrationFacts.of(List.of(), null, null, null, null);

        assertThat(nothing).isEqualTo(MigrationFacts.UNKNOWN);
        assertThat(nothing.unknown()).isTrue();
        assertThat(nothing.machineTypes())
                .as("no machine listed is not 'offers none'")
                .isNull();
        assertThat(MigrationFacts.of(List.of(), null, null, "7.2.0", null).unknown())
                .isFalse();
    }

    @Test
    void aMajorVersionIsTheNumberBeforeTheFirstDot() {
        assertThat(MigrationFacts.major("7.2.22")).isEqualTo(7);
        assertThat(MigrationFacts.major("11.1.3")).isEqualTo(11);
        assertThat(MigrationFacts.major("12")).isEqualTo(12);
        assertThat(MigrationFacts.major("10.0.0-rc1")).isEqualTo(10);
        assertThat(MigrationFacts.major("Debian 1:7.2+dfsg")).isNull();
        assertThat(MigrationFacts.major("")).isNull();
        assertThat(MigrationFacts.major(null)).isNull();
        assertThat(MigrationFacts.major("99999999999.0"))
                .as("too long to be a release")
                .isNull();
    }
}
