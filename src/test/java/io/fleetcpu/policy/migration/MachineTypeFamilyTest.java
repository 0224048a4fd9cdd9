package io.fleetcpu.policy.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Machine types as QEMU names them upstream and on RHEL, and the aliases that are none. */
class MachineTypeFamilyTest {

    @Test
    void upstreamAndRhelTypesAreVersionedAliasesAndOthersAreNot() {
        assertThat(MachineTypeFamily.of("pc-q35-7.2")).contains(MachineTypeFamily.Q35);
        assertThat(MachineTypeFamily.of("pc-q35-4.0.1")).contains(MachineTypeFamily.Q35);
        assertThat(MachineTypeFamily.of("pc-q35-rhel9.6.0")).contains(MachineTypeFamily.Q35);
        assertThat(MachineTypeFamily.of("pc-i440fx-rhel7.6.0")).contains(MachineTypeFamily.I440FX);
        assertThat(MachineTypeFamily.of("q35")).isEmpty();
        assertThat(MachineTypeFamily.of("pc")).isEmpty();
        assertThat(MachineTypeFamily.of("pc-1.3")).isEmpty();
        assertThat(MachineTypeFamily.of("microvm")).isEmpty();

        assertThat(MachineTypeFamily.whyNotVersioned("pc-q35-rhel9.6.0")).isEmpty();
        assertThat(MachineTypeFamily.whyNotVersioned("virt-9.2")).isEmpty();
        assertThat(MachineTypeFamily.whyNotVersioned("q35")).isPresent();
        assertThat(MachineTypeFamily.whyNotVersioned("pc-q35-7.2 ")).isPresent();
    }

    @Test
    void newestFirstComparesVersionsAsNumbers() {
        assertThat(List.of("pc-q35-4.0", "pc-q35-10.1", "pc-q35-4.0.1", "pc-q35-9.2", "pc-q35-4.1").stream()
                        .sorted(MachineTypeFamily.Q35.newestFirst())
                        .toList())
                .containsExactly("pc-q35-10.1", "pc-q35-9.2", "pc-q35-4.1", "pc-q35-4.0.1", "pc-q35-4.0");
        assertThat(List.of("pc-q35-rhel8.6.0", "pc-q35-rhel9.6.0", "pc-q35-rhel9.4.0").stream()
                        .sorted(MachineTypeFamily.Q35.newestFirst())
                        .toList())
                .containsExactly("pc-q35-rhel9.6.0", "pc-q35-rhel9.4.0", "pc-q35-rhel8.6.0");
    }

    @Test
    void rhelHostsGetARhelContract() {
        MigrationFacts rhel9 = new MigrationFacts(
                List.of("pc-q35-rhel9.6.0", "pc-q35-rhel9.4.0", "pc-i440fx-rhel7.6.0"),
                List.of(),
                java.util.Map.of("q35", "pc-q35-rhel9.6.0"),
                46,
                null,
                null,
                9,
                10);
        MigrationFacts rhel94 = new MigrationFacts(
                List.of("pc-q35-rhel9.4.0", "pc-i440fx-rhel7.6.0"),
                List.of(),
                java.util.Map.of(),
                46,
                null,
                null,
                8,
                9);

        MigrationContract contract = MigrationContract.of(
                List.of(new MigrationContract.Member("a", rhel9), new MigrationContract.Member("b", rhel94)));

        assertThat(contract.machineType()).isEqualTo("pc-q35-rhel9.4.0");
        assertThat(contract.machineTypes())
                .containsEntry("q35", "pc-q35-rhel9.4.0")
                .containsEntry("i440fx", "pc-i440fx-rhel7.6.0");
    }
}
