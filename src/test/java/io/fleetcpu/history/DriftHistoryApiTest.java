package io.fleetcpu.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * CPU drift over HTTP, with the classic case: a microcode update removes TSX (hle, rtm) from one of two Haswell
 * hosts; the aggregate's model drops from Haswell to Haswell-noTSX, and guests running the old model can no longer
 * migrate to that host.
 */
class DriftHistoryApiTest extends ApiAssertions {

    private static final String HASWELL_TSX = "libvirt-9.9.0/x86_64-cpuid-Xeon-E7-8890-v3-host.xml";
    private static final String HOST_1 = "00000000-0000-4000-8000-000000000001";
    private static final String HOST_2 = "00000000-0000-4000-8000-000000000002";

    /** The same CPU as libvirt describes it after a microcode update: Haswell-noTSX is Haswell without hle, rtm. */
    private static Map<String, Object> host(String uuid, String hostname, String microcode, boolean tsx) {
        String cpu = cpuData(HASWELL_TSX)
                .replace("<model>Haswell</model>", tsx ? "<model>Haswell</model>" : "<model>Haswell-noTSX</model>")
                .replace(
                        "<vendor>Intel</vendor>", "<vendor>Intel</vendor>\n  <microcode version='" + microcode + "'/>");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", hostname);
        body.put("aggregates", List.of("haswell"));
        body.put("capabilitiesXml", "<capabilities><host><uuid>" + uuid + "</uuid>" + cpu + "</host></capabilities>");
        return body;
    }

    @Test
    void microcodeRemovingTsxIsRecordedWithWhatItDoesToTheAggregate() {
        Instant start = Instant.now().minusSeconds(1);
        assertThat(post("/hosts", host(HOST_1, "hsw-1", "29", true)).status()).isEqualTo(201);
        assertThat(post("/hosts", host(HOST_2, "hsw-2", "29", true)).status()).isEqualTo(201);
        assertThat(get("/aggregates/haswell/recommended-cpu")
                        .json()
                        .get("model")
                        .asString())
                .isEqualTo("Haswell");

        // The same report again is no drift.
        assertThat(post("/hosts", host(HOST_1, "hsw-1", "29", true)).status()).isEqualTo(200);
        assertThat(get("/hosts/" + HOST_1 + "/history").json()).hasSize(1);

        Answer update = post("/hosts", host(HOST_1, "hsw-1", "34", false));
        assertThat(update.status()).as(update.body()).isEqualTo(200);
        assertThat(get("/aggregates/haswell/recommended-cpu")
                        .json()
                        .get("model")
                        .asString())
                .isEqualTo("Haswell-noTSX");

        JsonNode history = get("/hosts/" + HOST_1 + "/history").json();
        assertThat(history).hasSize(2);
        JsonNode drift = history.get(0);
        assertThat(drift.get("kind").asString()).isEqualTo("cpu-changed");
        assertThat(texts(drift.get("removed"))).containsExactlyInAnyOrder("hle", "rtm");
        assertThat(drift.get("added")).isEmpty();
        Map<String, String> changes = new LinkedHashMap<>();
        drift.get("changes")
                .forEach(c -> changes.put(
                        c.get("fact").asString(),
                        c.get("before").asString() + " -> " + c.get("after").asString()));
        assertThat(changes).containsEntry("model", "Haswell -> Haswell-noTSX").containsEntry("microcode", "29 -> 34");

        JsonNode effect = drift.get("aggregates").get(0);
        assertThat(effect.get("aggregateId").asString()).isEqualTo("haswell");
        assertThat(effect.get("cpuBefore").asString()).startsWith("custom Haswell ");
        assertThat(effect.get("cpuAfter").asString()).startsWith("custom Haswell-noTSX ");
        assertThat(effect.get("hostRunsPrevious").asBoolean()).isFalse();
        assertThat(texts(effect.get("missingFeatures"))).containsExactlyInAnyOrder("hle", "rtm");
        assertThat(history.get(1).get("kind").asString()).isEqualTo("registered");

        JsonNode aggregateHistory = get("/aggregates/haswell/history").json();
        assertThat(aggregateHistory).hasSize(1);
        assertThat(aggregateHistory.get(0).get("id")).isEqualTo(drift.get("id"));

        JsonNode fleet = get("/events?since=" + start).json();
        assertThat(fleet).hasSize(3);
        List<String> kinds = new ArrayList<>();
        fleet.forEach(e -> kinds.add(e.get("kind").asString()));
        assertThat(kinds).containsExactly("registered", "registered", "cpu-changed");
        assertThat(get("/events?since=" + Instant.now().plusSeconds(60)).json()).isEmpty();
    }

    @Test
    void switchingToTheHypervisorsViewIsAViewChangeNotALossOfFeatures() {
        String xeon = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
        Map<String, Object> physical = registration(HOST_1, "xeon-1", List.of("haswell"), xeon);
        assertThat(post("/hosts", physical).status()).isEqualTo(201);
        Map<String, Object> hypervisor = new LinkedHashMap<>(physical);
        hypervisor.put("hypervisorCpuXml", cpuData("libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-guest.xml"));
        Answer switched = post("/hosts", hypervisor);
        assertThat(switched.status()).as(switched.body()).isEqualTo(200);
        assertThat(switched.json().path("cpuView").asString()).isEqualTo("hypervisor");
        assertThat(switched.json().path("registration").path("cpuChanged").asBoolean())
                .isTrue();

        JsonNode event = get("/hosts/" + HOST_1 + "/history").json().get(0);
        assertThat(event.get("kind").asString()).isEqualTo("cpu-view-changed");
        // The physical CPU is the same: nothing was lost.
        assertThat(event.get("removed")).isEmpty();
        assertThat(event.get("added")).isEmpty();
        Map<String, String> changes = new LinkedHashMap<>();
        event.get("changes")
                .forEach(c -> changes.put(
                        c.get("fact").asString(),
                        c.path("before").asString() + " -> " + c.path("after").asString()));
        assertThat(changes).containsEntry("cpuView", "host -> hypervisor").doesNotContainKey("features");

        // And back: the host stops sending the hypervisor's view.
        assertThat(post("/hosts", physical).status()).isEqualTo(200);
        JsonNode back = get("/hosts/" + HOST_1 + "/history").json().get(0);
        assertThat(back.get("kind").asString()).isEqualTo("cpu-view-changed");
        assertThat(back.get("removed")).isEmpty();
    }

    @Test
    void historyOfUnknownThingsAndBadQueries() {
        assertProblem(get("/hosts/00000000-0000-4000-8000-0000000000ff/history"), 404);
        assertProblem(get("/aggregates/nothing-here/history"), 404);
        Answer bad = get("/events?since=yesterday");
        assertProblem(bad, 400);
        assertThat(errorFields(bad)).containsExactly("since");
        assertProblem(get("/events?limit=0"), 400);
    }

    @Test
    void historyOutlivesTheHost() {
        assertThat(post("/hosts", host(HOST_1, "hsw-1", "29", true)).status()).isEqualTo(201);
        assertThat(post("/hosts", host(HOST_1, "hsw-1", "34", false)).status()).isEqualTo(200);
        assertThat(delete("/hosts/" + HOST_1).status()).isEqualTo(204);
        assertThat(get("/hosts/" + HOST_1 + "/history").json()).hasSize(2);
    }
}
