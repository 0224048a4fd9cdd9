package io.fleetcpu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Edges an operator or an agent runs into, found by probing the running service. */
class EdgeCasesApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String COOPERLAKE = "libvirt-9.9.0/x86_64-cpuid-Cooperlake-host.xml";
    private static final String H1 = "00000000-0000-4000-8000-000000000001";
    private static final String H2 = "00000000-0000-4000-8000-000000000002";

    @Test
    void twoHostsWithOneHostnameAreBothGrouped() {
        assertThat(post("/hosts", registration(H1, "same-name", List.of("a"), HASWELL))
                        .status())
                .isEqualTo(201);
        Answer second = post(
                "/hosts",
                Map.of(
                        "uuid",
                        H2,
                        "hostname",
                        "same-name",
                        "aggregates",
                        List.of("a"),
                        "cpu",
                        Map.of("arch", "x86_64", "vendor", "Intel", "model", "SandyBridge", "features", List.of())));
        assertThat(second.status()).isEqualTo(201);
        JsonNode grouping = get("/groupings?strategy=min-domains").json();
        assertThat(grouping.get("ungrouped")).isEmpty();
        assertThat(grouping.get("domains")).hasSize(1);
        assertThat(grouping.get("domains").get(0).get("members").findValuesAsString("name"))
                .containsExactlyInAnyOrder("same-name (" + H1 + ")", "same-name (" + H2 + ")");
        assertThat(grouping.get("domains").get(0).get("model").asString()).isEqualTo("SandyBridge");
    }

    @Test
    void hostModeGuestsNeedTheirSourceHostAndEmptyCpusAreRefused() {
        assertThat(post("/hosts", registration(H1, "hsw-1", List.of("a"), HASWELL))
                        .status())
                .isEqualTo(201);
        Answer passthrough = post(
                "/migrations/check",
                Map.of(
                        "guest",
                        Map.of("cpuXml", "<cpu mode='host-passthrough'/>"),
                        "target",
                        Map.of("aggregate", "a")));
        assertProblem(passthrough, 422);
        assertThat(errorFields(passthrough)).containsExactly("guest.sourceHost");
        Answer withSource = post(
                "/migrations/check",
                Map.of(
                        "guest",
                        Map.of("cpuXml", "<cpu mode='host-passthrough'/>", "sourceHost", H1),
                        "target",
                        Map.of("host", H1)));
        assertThat(withSource.status()).as(withSource.body()).isEqualTo(200);
        assertThat(withSource.json().get("targets").get(0).get("result").asString())
                .isEqualTo("identical");
        Answer empty =
                post("/migrations/check", Map.of("guest", Map.of("cpuXml", "<cpu/>"), "target", Map.of("host", H1)));
        assertProblem(empty, 422);
        assertThat(errorFields(empty)).containsExactly("guest.cpuXml");
    }

    /**
     * A target reporting a feature its map cannot name is judged on the features it can (a guest cannot require what
     * its libvirt cannot name); a target whose model its map does not know, with nothing that says what the model
     * stands for, cannot be read: a conflict naming it.
     */
    @Test
    void aTargetIsJudgedOnWhatItsMapCanNameAndOneItCannotReadIsAConflictNamingIt() {
        assertThat(post("/hosts", registration(H1, "hsw-1", List.of("a"), HASWELL))
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", registration(H2, "cooper-1", List.of("b"), COOPERLAKE))
                        .status())
                .isEqualTo(201);
        Answer answer =
                post("/migrations/check", Map.of("guest", Map.of("aggregate", "a"), "target", Map.of("host", H2)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("compatible").asBoolean())
                .as(answer.body())
                .isTrue();
        // ... and operators can find such hosts by the feature the catalog does not know.
        List<String> found = new java.util.ArrayList<>();
        get("/hosts?feature=flush-l1d")
                .json()
                .get("items")
                .forEach(h -> found.add(h.get("hostname").asString()));
        assertThat(found).containsExactly("cooper-1");

        String genoa = "00000000-0000-4000-8000-0000000000e3";
        assertThat(post(
                                "/hosts",
                                registration(
                                        genoa,
                                        "genoa-1",
                                        List.of("c"),
                                        "libvirt-newer/x86_64-cpuid-EPYC-9334-32-Core-host.xml"))
                        .status())
                .isEqualTo(201);
        Answer unread =
                post("/migrations/check", Map.of("guest", Map.of("aggregate", "a"), "target", Map.of("host", genoa)));
        assertProblem(unread, 409);
        assertThat(unread.json().get("detail").asString()).contains("genoa-1").contains("EPYC-Genoa");
        assertThat(texts(unread.json().get("hosts"))).containsExactly("genoa-1");
    }

    @Test
    void descriptionsWithControlCharactersAreRefusedAndNothingIsWritten() {
        Answer nul = post("/aggregates", Map.of("id", "with-nul", "description", "x\u0000y"));
        assertProblem(nul, 422);
        assertThat(errorFields(nul)).containsExactly("description");
        Answer surrogate = post("/aggregates", "{\"id\": \"with-surrogate\", \"description\": \"\\ud800\"}");
        assertProblem(surrogate, 422);
        assertThat(get("/aggregates").json()).isEmpty();
    }

    @Test
    void aRepeatedFilterIsRefusedRatherThanSilentlyMatchingNothing() {
        Answer answer = get("/hosts?feature=avx2&feature=hle");
        assertProblem(answer, 400);
        assertThat(errorFields(answer)).containsExactly("feature");
        assertProblem(get("/hosts?vendor=Intel,AMD"), 400);
        assertThat(get("/hosts?feature=avx2").status()).isEqualTo(200);
    }

    @Test
    void eventsSinceOutOfRangeIs400() {
        Answer answer = get("/events?since=%2B999999999-12-31T23:59:59Z");
        assertProblem(answer, 400);
        assertThat(errorFields(answer)).containsExactly("since");
    }

    @Test
    void anAggregatesEtagChangesWithItsMembersAndItsRecommendationVariesByAccept() {
        assertThat(post("/aggregates", Map.of("id", "rack")).status()).isEqualTo(201);
        String etag = get("/aggregates/rack").header("ETag");
        assertThat(get("/aggregates/rack", "If-None-Match", etag).status()).isEqualTo(304);
        assertThat(post("/hosts", registration(H1, "hsw-1", List.of("rack"), HASWELL))
                        .status())
                .isEqualTo(201);
        Answer changed = get("/aggregates/rack", "If-None-Match", etag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertProblem(put("/aggregates/rack", Map.of("description", "x"), "If-Match", etag), 412);

        assertThat(get("/aggregates/rack/recommended-cpu").header("Vary")).contains("Accept");
        assertThat(get("/aggregates/rack/recommended-cpu", "Accept", "application/xml")
                        .header("Vary"))
                .contains("Accept");
    }
}
