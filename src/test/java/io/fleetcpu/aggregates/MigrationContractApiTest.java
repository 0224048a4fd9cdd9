package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * recommended-cpu carries the aggregate's migration contract: the machine type, address bits and TSC frequency every
 * member can give, from what the members' registrations reported (real capabilities of QEMU 7.2 and 11.1).
 */
class MigrationContractApiTest extends ApiAssertions {

    @Test
    void oneKvmHostIsPromisedItsNewestMachineTypeItsBitsAndItsTsc() {
        // its hypervisor runs only obsolete named models: host-passthrough (goal performance) is what it can answer
        assertThat(put("/aggregates/contract-kvm", Map.of("policy", Map.of("goal", "performance")))
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", agentRegistration("contract-kvm")).status()).isEqualTo(201);

        Answer answer = get("/aggregates/contract-kvm/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode contract = answer.json().get("migrationContract");

        assertThat(contract.get("machineType").asString()).isEqualTo("pc-q35-7.2");
        assertThat(JSON.convertValue(contract.get("machineTypes"), Map.class))
                .isEqualTo(Map.of("q35", "pc-q35-7.2", "i440fx", "pc-i440fx-7.2"));
        assertThat(contract.get("physAddrBits").asInt()).isEqualTo(46);
        assertThat(contract.get("tscFrequency").asLong()).isEqualTo(2_000_000_000L);
        assertThat(contract.get("notes").isEmpty()).isTrue();
    }

    @Test
    void hostsOfQemu7And11ShareOnlyMachineTypesQemu11Deprecates() {
        assertThat(post("/hosts", emulatedEpycAgentRegistration("contract-qemus"))
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", emulatedEpycQemu11Registration("contract-qemus"))
                        .status())
                .isEqualTo(201);

        JsonNode answer = get("/aggregates/contract-qemus/recommended-cpu").json();
        JsonNode contract = answer.get("migrationContract");

        assertThat(answer.get("kinds").size()).isEqualTo(2);
        assertThat(contract.get("machineType").asString()).isEqualTo("pc-q35-7.2");
        assertThat(contract.get("physAddrBits").asInt()).isEqualTo(48);
        assertThat(contract.has("tscFrequency"))
                .as("neither emulated host reports a TSC")
                .isFalse();
        List<String> notes = texts(contract.get("notes"));
        assertThat(notes).hasSize(4);
        assertThat(notes.get(0))
                .startsWith("pc-q35-7.2 is the newest q35 machine type every host offers, and it is deprecated on "
                        + "build-3");
        assertThat(notes.get(2))
                .startsWith("hosts run different major versions of QEMU: QEMU 7 (build-2), QEMU 11 " + "(build-3)");
        assertThat(notes.get(3))
                .startsWith("hosts run different major versions of libvirt: libvirt 9 (build-2), "
                        + "libvirt 12 (build-3)");

        // every format that can say a machine type says this one
        assertThat(get("/aggregates/contract-qemus/recommended-cpu?format=nova-conf")
                        .body())
                .contains("\nhw_machine_type = x86_64=pc-q35-7.2\n");
        assertThat(get("/aggregates/contract-qemus/recommended-cpu?format=kubevirt")
                        .body())
                .contains("    machine:\n      type: \"pc-q35-7.2\"\n");
        // and a grouping of these hosts says what recommended-cpu says
        JsonNode domain = get("/groupings?aggregate=contract-qemus&strategy=min-domains")
                .json()
                .path("domains")
                .get(0);
        assertThat(domain.path("hostCount").asInt()).isEqualTo(2);
        assertThat(domain.get("migrationContract")).isEqualTo(contract);
    }

    @Test
    void aMachineTypeThePolicyPinsIsTheContractsAndHostsWithoutItAreNamed() {
        assertThat(put("/aggregates/contract-pinned", Map.of("policy", Map.of("machineType", "pc-q35-11.1")))
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", emulatedEpycAgentRegistration("contract-pinned"))
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", emulatedEpycQemu11Registration("contract-pinned"))
                        .status())
                .isEqualTo(201);

        JsonNode answer = get("/aggregates/contract-pinned/recommended-cpu").json();
        JsonNode contract = answer.get("migrationContract");

        assertThat(answer.get("policy").get("machineType").asString()).isEqualTo("pc-q35-11.1");
        assertThat(contract.get("machineType").asString()).isEqualTo("pc-q35-11.1");
        assertThat(JSON.convertValue(contract.get("machineTypes"), Map.class))
                .as("what the hosts share is still said")
                .isEqualTo(Map.of("q35", "pc-q35-7.2", "i440fx", "pc-i440fx-7.2"));
        assertThat(texts(contract.get("notes")))
                .contains("the machine type the policy pins, pc-q35-11.1, is not offered by build-2: guests started "
                        + "with it will not start or migrate there");
        assertThat(get("/aggregates/contract-pinned/recommended-cpu?format=nova-conf")
                        .body())
                .contains("\nhw_machine_type = x86_64=pc-q35-11.1\n");
        assertThat(get("/aggregates/contract-pinned/recommended-cpu?format=qemu")
                        .body())
                .startsWith("-machine pc-q35-11.1 -cpu ");

        // a guest of the aggregate runs with the pinned type, which the QEMU 7.2 host cannot start
        JsonNode check = post(
                        "/migrations/check",
                        Map.of(
                                "guest",
                                Map.of("aggregate", "contract-pinned"),
                                "target",
                                Map.of("aggregate", "contract-pinned")))
                .json();
        assertThat(check.get("compatible").asBoolean()).isFalse();
        assertThat(texts(check.get("targets").get(0).get("blockers")))
                .singleElement()
                .satisfies(b -> assertThat(b).startsWith("host build-2 does not offer machine type pc-q35-11.1"));
    }

    @Test
    void aHostThatReportedNoCapabilitiesIsPromisedNothing() {
        assertThat(post("/hosts", agentRegistration("contract-unknown")).status())
                .isEqualTo(201);
        assertThat(post(
                                "/hosts",
                                structured(
                                        "00000000-0000-4000-8000-000000000301",
                                        "no-libvirt",
                                        List.of("contract-unknown"),
                                        cpu("x86_64", "Intel", "Haswell", List.of())))
                        .status())
                .isEqualTo(201);

        JsonNode contract =
                get("/aggregates/contract-unknown/recommended-cpu").json().get("migrationContract");

        assertThat(contract.has("machineType")).isFalse();
        assertThat(contract.get("machineTypes").isEmpty()).isTrue();
        assertThat(contract.has("physAddrBits")).isFalse();
        assertThat(texts(contract.get("notes")))
                .containsExactly(
                        "no machine type is promised: no-libvirt reported none (their capabilities list no machine "
                                + "types for their arch)",
                        "no physical address bits are promised: unknown for no-libvirt");
    }
}
