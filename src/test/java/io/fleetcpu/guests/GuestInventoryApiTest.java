package io.fleetcpu.guests;

import static io.fleetcpu.testing.GuestReports.cpuOf;
import static io.fleetcpu.testing.GuestReports.domain;
import static io.fleetcpu.testing.GuestReports.epycGuests;
import static io.fleetcpu.testing.GuestReports.qemu64Guest;
import static io.fleetcpu.testing.GuestReports.withGuests;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import io.fleetcpu.testing.GuestReports;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The guests the agents report with their hosts, and an aggregate's inventory of them: configurations, the rollout of
 * the recommended CPU, and the guests that could not live-migrate to a member. Real hosts: the Intel Broadwell KVM
 * host (build-1) and the emulated AMD EPYC one (build-2), in one aggregate.
 */
class GuestInventoryApiTest extends ApiAssertions {

    private static final String EPYC_GUEST = GuestReports.EPYC_GUEST;
    private static final String QEMU64_GUEST = GuestReports.QEMU64_GUEST;
    private static final String SHUT_OFF = GuestReports.SHUT_OFF;

    @Test
    void theInventorySaysWhatRunsWhereAndWhichGuestCannotMigrateAndWhy() {
        registerBoth();

        JsonNode inventory = inventory("mixed");

        JsonNode summary = inventory.get("summary");
        assertThat(summary.get("hostsReporting").asInt()).isEqualTo(2);
        assertThat(summary.get("guests").asInt()).isEqualTo(3);
        assertThat(summary.get("running").asInt()).isEqualTo(2);
        assertThat(summary.get("omitted").asInt())
                .as("build-2 has one domain more than it sent")
                .isEqualTo(1);
        assertThat(summary.get("cannotMigrate").asInt()).isEqualTo(1);
        JsonNode epyc = guest(inventory, "tenant-epyc");
        assertThat(epyc.get("hostname").asString()).isEqualTo("build-2");
        JsonNode stuck = epyc.get("cannotMigrateTo");
        assertThat(stuck.size()).isEqualTo(1);
        assertThat(texts(stuck.get(0).get("hosts"))).containsExactly("build-1");
        assertThat(texts(stuck.get(0).get("missingFeatures")))
                .as("the Intel host's KVM guests get no AMD-only features")
                .contains("sse4a");
        assertThat(stuck.get(0).get("reason").asString()).contains("sse4a");
        assertThat(guest(inventory, "tenant-qemu64").get("cannotMigrateTo").isEmpty())
                .as("qemu64 runs everywhere")
                .isTrue();
        JsonNode shutOff = guest(inventory, "tenant-stopped");
        assertThat(shutOff.get("running").asBoolean()).isFalse();
        JsonNode defaultCpu =
                configuration(inventory, shutOff.get("configuration").asInt());
        assertThat(defaultCpu.has("mode")).as("no <cpu>: QEMU's default").isFalse();
        assertThat(defaultCpu.get("cpu").asString()).isEqualTo("no <cpu> (QEMU's default model)");
        assertThat(defaultCpu.get("notChecked").asString())
                .startsWith("the domain has no <cpu>: QEMU gives it its default model");
        assertThat(summary.get("notChecked").asInt()).isEqualTo(1);

        JsonNode epycConfiguration =
                configuration(inventory, epyc.get("configuration").asInt());
        assertThat(epycConfiguration.get("model").asString()).isEqualTo("EPYC");
        assertThat(epycConfiguration.get("machineType").asString()).isEqualTo("pc-q35-7.2");
        assertThat(epycConfiguration.get("features").get("x2apic").asString()).isEqualTo("disable");
        assertThat(epycConfiguration.get("cannotMigrate").asInt()).isEqualTo(1);
    }

    @Test
    void guestsConfiguredWithTheRecommendationCountAsRolledOut() {
        // the emulated EPYC host twice: through Debian's libvirt 9.0 (build-2) and through libvirt 12.8 (build-3)
        assertThat(post("/hosts", withGuests(emulatedEpycAgentRegistration("epyc"), epycGuests(), 2))
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", withGuests(emulatedEpycQemu11Registration("epyc"), List.of(), 0))
                        .status())
                .isEqualTo(201);
        Answer answer = get("/aggregates/epyc/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode recommended = answer.json();
        assertThat(inventory("epyc").get("summary").get("onRecommendation").asInt())
                .as("none is on it yet")
                .isZero();

        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("mode", recommended.get("mode").asString());
        if (recommended.has("model")) {
            cpu.put("model", recommended.get("model").asString());
            cpu.put("match", "exact");
        }
        Map<String, String> features = new LinkedHashMap<>();
        recommended
                .get("features")
                .forEach(f ->
                        features.put(f.get("name").asString(), f.get("policy").asString()));
        cpu.put("features", features);
        Map<String, Object> build3 = withGuests(
                emulatedEpycQemu11Registration("epyc"),
                List.of(
                        qemu64Guest(),
                        domain("6a1b0c2d-0000-4000-8000-000000000004", "tenant-new", true, "pc-q35-7.2", cpu)),
                2);
        Answer registered = post("/hosts", build3);
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.json().get("registration").get("guestsChanged").asBoolean())
                .isTrue();

        JsonNode inventory = inventory("epyc");
        assertThat(inventory.get("recommendedCpu").asString()).isNotBlank();
        assertThat(guest(inventory, "tenant-new").get("onRecommendation").asBoolean())
                .isTrue();
        assertThat(guest(inventory, "tenant-qemu64").get("onRecommendation").asBoolean())
                .isFalse();
        JsonNode summary = inventory.get("summary");
        assertThat(summary.get("onRecommendation").asInt()).isEqualTo(1);
        assertThat(summary.get("notOnRecommendation").asInt()).isEqualTo(3);
    }

    @Test
    void everyReportReplacesTheSetAndAReportWithoutGuestsForgetsThem() {
        registerBoth();
        Map<String, Object> again = build2(List.of());
        Answer same = post("/hosts", build2(epycGuests()));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().get("registration").get("guestsChanged").asBoolean())
                .as("the same guests again change nothing")
                .isFalse();

        Answer emptiedAnswer = post("/hosts", again);
        assertThat(emptiedAnswer.status()).isEqualTo(200);
        assertThat(emptiedAnswer.json().get("registration").get("guestsChanged").asBoolean())
                .isTrue();
        JsonNode emptied = inventory("mixed");
        assertThat(emptied.get("summary").get("guests").asInt()).isEqualTo(1);
        assertThat(emptied.get("summary").get("hostsReporting").asInt()).isEqualTo(2);

        Map<String, Object> without = emulatedEpycAgentRegistration("mixed");
        assertThat(post("/hosts", without).status()).isEqualTo(200);
        JsonNode forgotten = inventory("mixed");
        assertThat(forgotten.get("summary").get("hostsReporting").asInt()).isEqualTo(1);
        assertThat(forgotten.get("summary").get("hostsNotReporting").asInt()).isEqualTo(1);
        assertThat(forgotten.get("guests").findValues("name").stream().map(JsonNode::asString))
                .containsExactly("tenant-qemu64");
    }

    @Test
    void guestNamesNeedAViewerOrOperatorEvenWhileReadsAreOpen() {
        registerBoth();

        assertProblem(get("/aggregates/mixed/guests"), 401);
        assertProblem(get("/aggregates/mixed/guests", "Authorization", "Bearer " + AGENT_TOKEN), 403);
        assertThat(get("/aggregates/mixed/guests", "Authorization", "Bearer " + VIEWER_TOKEN)
                        .status())
                .isEqualTo(200);
        assertProblem(get("/aggregates/no-such/guests", "Authorization", "Bearer " + VIEWER_TOKEN), 404);
        assertThat(get("/aggregates/mixed").status())
                .as("other reads stay open")
                .isEqualTo(200);
    }

    @Test
    void wrongGuestsAreRefusedNamingEachFieldAndNothingIsWritten() {
        Map<String, Object> badCpu = cpuOf("custom", "EPYC", Map.of("x2apic", "maybe"));
        badCpu.put("mode", "guess");
        Map<String, Object> body = build2(List.of(
                domain("not-a-uuid", "a", true, "pc-q35-7.2", null),
                domain(EPYC_GUEST, "", true, "pc-q35-7.2", null),
                domain(SHUT_OFF, "b", true, null, badCpu),
                domain(SHUT_OFF, "c", true, null, null)));

        Answer refused = post("/hosts", body);

        assertProblem(refused, 422);
        assertThat(errorFields(refused))
                .contains(
                        "guests.domains[0].uuid",
                        "guests.domains[1].name",
                        "guests.domains[2].cpu.mode",
                        "guests.domains[2].cpu.features.x2apic",
                        "guests.domains[3].uuid");
        assertThat(errorFor(refused, "guests.domains[3].uuid")).contains("listed twice");
        assertNoHosts();

        Map<String, Object> fewer = build2(epycGuests());
        ((Map<String, Object>) fewer.get("guests")).put("total", 1);
        assertThat(errorFor(post("/hosts", fewer), "guests.total")).contains("fewer than the 2 domains listed");

        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(domain(String.format("6a1b0c2d-0000-4000-8000-%012d", i + 10), "vm-" + i, false, null, null));
        }
        Answer capped = post("/hosts", build2(tooMany));
        assertThat(errorFor(capped, "guests.domains")).contains("1000");
        assertNoHosts();
    }

    @Test
    void aDeletedHostTakesItsGuestsAlong() {
        registerBoth();
        String build2 = GuestReports.hostIdOf(get("/hosts?aggregate=mixed").json(), "build-2");

        assertThat(delete("/hosts/" + build2).status()).isEqualTo(204);

        assertThat(inventory("mixed").get("summary").get("guests").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from guest", Long.class))
                .as("no row of build-2's guests is left")
                .isEqualTo(1L);
    }

    @Test
    void whatIfListsTheGuestsAChangeWouldStrandNamingThemOnlyToAViewer() {
        assertThat(post("/hosts", withGuests(agentRegistration("intel"), List.of(qemu64Guest()), 1))
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", withGuests(emulatedEpycAgentRegistration("amd"), epycGuests(), 2))
                        .status())
                .isEqualTo(201);
        String intelHost = memberIds("intel").get(0);
        Map<String, Object> addIntel = Map.of("addHosts", List.of(intelHost));

        JsonNode named = post("/aggregates/amd/what-if", addIntel, "Authorization", "Bearer " + VIEWER_TOKEN)
                .json()
                .get("strandedGuests");
        JsonNode anonymous = send(builder("/aggregates/amd/what-if")
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(addIntel))))
                .json()
                .get("strandedGuests");

        assertThat(named.get("count").asInt())
                .as("the EPYC guest could not move to the Intel host; the shut-off one has no <cpu> to check")
                .isEqualTo(1);
        assertThat(named.get("namesWithheld").asBoolean()).isFalse();
        JsonNode epyc = named.get("guests").get(0);
        assertThat(epyc.get("name").asString()).isEqualTo("tenant-epyc");
        assertThat(epyc.get("hostname").asString()).isEqualTo("build-2");
        assertThat(epyc.get("why").asString())
                .startsWith("cannot move to added host build-1: ")
                .contains("sse4a");
        assertThat(anonymous.get("count").asInt()).isEqualTo(1);
        assertThat(anonymous.get("namesWithheld").asBoolean()).isTrue();
        assertThat(anonymous.get("guests").get(0).has("name")).isFalse();
        assertThat(anonymous.get("guests").get(0).has("uuid")).isFalse();
        assertThat(anonymous.get("guests").get(0).get("why").asString())
                .isEqualTo(epyc.get("why").asString());
    }

    @Test
    void aHostTakenOutStrandsTheGuestsNoHostLeftCanTake() {
        registerBoth();
        String epycHost = GuestReports.hostIdOf(get("/hosts?aggregate=mixed").json(), "build-2");

        JsonNode stranded = post("/aggregates/mixed/what-if", Map.of("removeHosts", List.of(epycHost)))
                .json()
                .get("strandedGuests");

        assertThat(stranded.get("guests").findValues("name").stream().map(JsonNode::asString))
                .as("the shut-off guest has no <cpu> to check: %s", stranded)
                .containsExactly("tenant-epyc");
        assertThat(stranded.get("guests").get(0).get("why").asString())
                .startsWith("its host leaves and no host left can take it (build-1: ");
    }

    // ---- the hosts and their guests ----------------------------------------------------------------------------

    private void registerBoth() {
        assertThat(post(
                                "/hosts",
                                withGuests(
                                        agentRegistration("mixed"),
                                        List.of(domain(
                                                QEMU64_GUEST,
                                                "tenant-qemu64",
                                                true,
                                                "pc-q35-7.2",
                                                cpuOf("custom", "qemu64", Map.of()))),
                                        1))
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", build2(epycGuests())).status()).isEqualTo(201);
    }

    private static Map<String, Object> build2(List<Map<String, Object>> domains) {
        return withGuests(emulatedEpycAgentRegistration("mixed"), domains, domains.size() + 1);
    }

    private JsonNode inventory(String aggregate) {
        Answer answer = get("/aggregates/" + aggregate + "/guests", "Authorization", "Bearer " + VIEWER_TOKEN);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static JsonNode guest(JsonNode inventory, String name) {
        for (JsonNode guest : inventory.get("guests")) {
            if (guest.get("name").asString().equals(name)) {
                return guest;
            }
        }
        throw new AssertionError("no guest " + name + " in " + inventory);
    }

    private static JsonNode configuration(JsonNode inventory, int id) {
        for (JsonNode c : inventory.get("configurations")) {
            if (c.get("id").asInt() == id) {
                return c;
            }
        }
        throw new AssertionError("no configuration " + id + " in " + inventory);
    }
}
