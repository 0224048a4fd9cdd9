package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A host that registers into an aggregate whose other hosts run more than it can is admitted but flagged
 * (belowBaseline), and what-if previews a change of hosts without writing anything.
 */
class AdmissionAndWhatIfApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final String HSW_1 = "00000000-0000-4000-8000-000000000001";
    private static final String HSW_2 = "00000000-0000-4000-8000-000000000002";
    private static final String IVY = "00000000-0000-4000-8000-000000000003";

    private void twoHaswells() {
        assertThat(post("/hosts", registration(HSW_1, "hsw-1", List.of("east"), HASWELL))
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", registration(HSW_2, "hsw-2", List.of("east"), HASWELL))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void anOlderHostIsAdmittedButFlaggedEverywhere() {
        twoHaswells();
        Answer answer = post("/hosts", registration(IVY, "ivy-1", List.of("east"), IVY_BRIDGE));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode flag = answer.json().get("belowBaseline").get(0);
        assertThat(flag.get("aggregate").asString()).isEqualTo("east");
        assertThat(flag.get("guestCpu").asString()).startsWith("custom Haswell-noTSX");
        assertThat(texts(flag.get("missingFeatures")))
                .contains("avx2", "fma", "movbe")
                .doesNotContain("sse2");

        assertThat(get("/hosts/" + IVY).json().get("belowBaseline"))
                .isEqualTo(answer.json().get("belowBaseline"));
        assertThat(get("/hosts/" + HSW_1).json().get("belowBaseline")).isEmpty();

        JsonNode cpu = get("/aggregates/east/recommended-cpu").json();
        assertThat(cpu.get("model").asString()).isEqualTo("IvyBridge");
        JsonNode below = cpu.get("belowBaseline");
        assertThat(below).hasSize(1);
        assertThat(below.get(0).get("host").asString()).isEqualTo("ivy-1");
        assertThat(texts(below.get(0).get("missingFeatures"))).contains("avx2");
    }

    @Test
    void aHostThatCannotGiveTheOthersMachineTypeIsFlaggedAndWhatIfSaysSoFirst() {
        // the aggregate's one host runs QEMU 11.1: its guests start with pc-q35-11.1
        assertThat(post("/hosts", emulatedEpycQemu11Registration("qemus")).status())
                .isEqualTo(201);
        JsonNode contractNow = get("/aggregates/qemus/recommended-cpu").json().get("migrationContract");
        Map<String, Object> qemu7 = emulatedEpycAgentRegistration("qemus");
        String machineTypeBlocker = "host build-2 does not offer machine type pc-q35-11.1 (its QEMU 7 offers at "
                + "newest pc-q35-7.2 and pc-i440fx-7.2): QEMU cannot start the guest's device model there";

        // what-if, nothing written: the QEMU 7.2 host lowers the contract
        JsonNode whatIf = post("/aggregates/qemus/what-if", Map.of("addReports", List.of(qemu7)))
                .json();

        assertThat(whatIf.get("before").get("migrationContract"))
                .as("today's contract, as recommended-cpu says it")
                .isEqualTo(contractNow);
        assertThat(whatIf.get("after")
                        .get("migrationContract")
                        .get("machineType")
                        .asString())
                .isEqualTo("pc-q35-7.2");
        assertThat(whatIf.get("blockingHosts")).as("its CPU is the same").isEmpty();
        JsonNode platform = whatIf.get("platformBlockingHosts");
        assertThat(platform).hasSize(1);
        assertThat(platform.get(0).get("host").asString()).isEqualTo("build-2");
        assertThat(texts(platform.get(0).get("blockers"))).containsExactly(machineTypeBlocker);
        assertThat(get("/aggregates/qemus/recommended-cpu").json().get("migrationContract"))
                .isEqualTo(contractNow);

        // it registers all the same, and its answer says what it cannot give
        Answer admitted = post("/hosts", qemu7);
        assertThat(admitted.status()).isEqualTo(201);
        JsonNode flag = admitted.json().get("belowBaseline").get(0);
        assertThat(flag.get("aggregate").asString()).isEqualTo("qemus");
        assertThat(flag.get("missingFeatures")).isEmpty();
        assertThat(texts(flag.get("blockers"))).containsExactly(machineTypeBlocker);
        assertThat(get("/aggregates/qemus/recommended-cpu")
                        .json()
                        .get("migrationContract")
                        .get("machineType")
                        .asString())
                .isEqualTo("pc-q35-7.2");
    }

    @Test
    void whatIfShowsTheCostOfAddingAHostAndWritesNothing() {
        twoHaswells();
        Map<String, Object> ivy = registration(IVY, "ivy-1", List.of("east"), IVY_BRIDGE);
        Answer answer = post("/aggregates/east/what-if", Map.of("addReports", List.of(ivy)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode whatIf = answer.json();
        assertThat(whatIf.get("before").get("model").asString()).isEqualTo("Haswell-noTSX");
        // The two Haswells are one kind of CPU, named by the first.
        assertThat(whatIf.get("before").get("hostCount").asInt()).isEqualTo(2);
        assertThat(whatIf.get("before").get("kinds").findValuesAsString("name")).containsExactly("hsw-1 (+1 alike)");
        assertThat(whatIf.get("after").get("model").asString()).isEqualTo("IvyBridge");
        assertThat(whatIf.get("after").get("hostCount").asInt()).isEqualTo(3);
        assertThat(whatIf.get("after").get("kinds").findValuesAsString("name"))
                .containsExactlyInAnyOrder("hsw-1 (+1 alike)", "ivy-1");
        assertThat(texts(whatIf.get("featuresLost"))).contains("avx2", "fma");
        assertThat(whatIf.get("featuresGained")).isEmpty();
        assertThat(whatIf.get("blockingHosts")).hasSize(1);
        assertThat(whatIf.get("blockingHosts").get(0).get("host").asString()).isEqualTo("ivy-1");

        // Nothing was written.
        assertThat(get("/hosts").json().get("totalItems").asInt()).isEqualTo(2);
        assertThat(get("/aggregates/east").json().get("hostCount").asInt()).isEqualTo(2);
        assertThat(get("/hosts/" + IVY).status()).isEqualTo(404);
        assertThat(get("/events").json()).hasSize(2);
    }

    @Test
    void whatIfTakingTheOlderHostOutGainsItsFeatures() {
        twoHaswells();
        assertThat(post("/hosts", registration(IVY, "ivy-1", List.of("east"), IVY_BRIDGE))
                        .status())
                .isEqualTo(201);
        JsonNode whatIf = post("/aggregates/east/what-if", Map.of("removeHosts", List.of(IVY)))
                .json();
        assertThat(whatIf.get("before").get("model").asString()).isEqualTo("IvyBridge");
        assertThat(whatIf.get("after").get("model").asString()).isEqualTo("Haswell-noTSX");
        assertThat(texts(whatIf.get("featuresGained"))).contains("avx2");
        assertThat(whatIf.get("blockingHosts")).isEmpty();
        assertThat(get("/aggregates/east").json().get("hostCount").asInt()).isEqualTo(3);
    }

    @Test
    void whatIfNamesEveryWrongEntry() {
        twoHaswells();
        Answer answer = post(
                "/aggregates/east/what-if",
                Map.of(
                        "addHosts", List.of("00000000-0000-4000-8000-0000000000aa", "not-a-uuid"),
                        "addReports", List.of(Map.of("uuid", IVY, "hostname", "x", "cpu", Map.of("arch", "sparc99"))),
                        "removeHosts", List.of(IVY)));
        assertProblem(answer, 422);
        assertThat(errorFields(answer))
                .containsExactlyInAnyOrder("addHosts[0]", "addHosts[1]", "addReports[0].cpu.arch", "removeHosts[0]");
        assertProblem(post("/aggregates/nowhere/what-if", Map.of()), 404);
    }
}
