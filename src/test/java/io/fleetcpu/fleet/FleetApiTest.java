package io.fleetcpu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.testing.ApiAssertions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Migration-safe groupings of the fleet and migration checks, over HTTP on real CPUs. */
class FleetApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String BROADWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v4-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final String EPYC = "libvirt-9.9.0/x86_64-cpuid-EPYC-7601-32-Core-host.xml";
    private static final String HASWELL_TSX = "libvirt-9.9.0/x86_64-cpuid-Xeon-E7-8890-v3-host.xml";

    private static String uuid(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    private void register(int n, String hostname, String aggregate, String file) {
        Answer answer = post("/hosts", registration(uuid(n), hostname, List.of(aggregate), file));
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
    }

    private void mixedFleet() {
        register(1, "hsw-1", "east", HASWELL);
        register(2, "hsw-2", "east", HASWELL);
        register(3, "bdw-1", "east", BROADWELL);
        register(4, "ivy-1", "west", IVY_BRIDGE);
        register(5, "epyc-1", "west", EPYC);
    }

    private static Map<String, List<String>> domainsByModel(JsonNode grouping) {
        Map<String, List<String>> domains = new LinkedHashMap<>();
        // Few hosts here: each kind of CPU names all of its hosts among its examples.
        grouping.get("domains")
                .forEach(d -> domains.put(
                        d.get("model").asString(),
                        d.get("members").findValues("exampleHosts").stream()
                                .flatMap(names -> texts(names).stream())
                                .toList()));
        return domains;
    }

    @Test
    void maxFeaturesKeepsEveryKindApartAndMinDomainsMergesPerVendor() {
        mixedFleet();
        JsonNode maxFeatures = get("/groupings?strategy=max-features").json();
        Map<String, List<String>> kinds = domainsByModel(maxFeatures);
        assertThat(kinds).hasSize(4);
        assertThat(kinds.values()).anySatisfy(hosts -> assertThat(hosts).containsExactlyInAnyOrder("hsw-1", "hsw-2"));
        assertThat(maxFeatures.get("cost").get("featuresGivenUp").asLong()).isZero();

        JsonNode minDomains = get("/groupings?strategy=min-domains").json();
        Map<String, List<String>> merged = domainsByModel(minDomains);
        assertThat(merged).hasSize(2);
        assertThat(merged.get("IvyBridge")).containsExactlyInAnyOrder("hsw-1", "hsw-2", "bdw-1", "ivy-1");
        assertThat(merged.values()).anySatisfy(hosts -> assertThat(hosts).containsExactly("epyc-1"));
        assertThat(minDomains.get("cost").get("featuresGivenUp").asLong()).isPositive();

        // A domain's CPU is computed from what guests can get on its hosts (they sent no hypervisor view, so their
        // physical CPUs without what KVM never gives guests): it runs on every host of the domain, as libvirt's
        // compareCPU judges it, and asks for none of the host-only features libvirt's plain baseline keeps.
        for (JsonNode domain : minDomains.get("domains")) {
            String id = "dom-" + domain.get("model").asString().toLowerCase();
            assertThat(post("/aggregates", Map.of("id", id)).status()).isEqualTo(201);
            // Every host of the domain: each kind's hostsPath lists them.
            for (JsonNode kind : domain.get("members")) {
                JsonNode page =
                        get(kind.get("hostsPath").asString() + "&size=500").json();
                assertThat(page.get("totalItems").asInt())
                        .isEqualTo(kind.get("hosts").asInt());
                for (JsonNode host : page.get("items")) {
                    assertThat(put(
                                            "/aggregates/" + id + "/hosts/"
                                                    + host.get("id").asString(),
                                            "")
                                    .status())
                            .isIn(201, 204);
                }
            }
            CpuDefinition cpu = CpuDefinition.parse(domain.get("libvirtXml").asString());
            assertThat(cpu.requiredFeatureNames())
                    .doesNotContainAnyElementsOf(HostOnlyFeatures.bundled().names());
            Answer check = post(
                    "/migrations/check",
                    Map.of(
                            "guest",
                            Map.of("cpuXml", domain.get("libvirtXml").asString()),
                            "target",
                            Map.of("aggregate", id)));
            assertThat(check.status()).as(check.body()).isEqualTo(200);
            assertThat(check.json().get("compatible").asBoolean())
                    .as(check.body())
                    .isTrue();
            CpuDefinition baseline =
                    CpuDefinition.parse(get("/aggregates/" + id + "/baseline?driver=test", "Accept", "application/xml")
                            .body());
            assertThat(baseline.model()).isEqualTo(cpu.model());
        }
    }

    @Test
    void minimumModelKeepsOlderHostsOutAndFiltersApply() {
        mixedFleet();
        JsonNode grouping = get("/groupings?strategy=min-domains&minimumModel=Haswell-noTSX")
                .json();
        assertThat(domainsByModel(grouping).get("Haswell-noTSX")).containsExactlyInAnyOrder("hsw-1", "hsw-2", "bdw-1");
        assertThat(texts(grouping.get("hostsBelowMinimum"))).contains("ivy-1");

        assertThat(domainsByModel(get("/groupings?aggregate=west").json()).values().stream()
                        .flatMap(List::stream))
                .containsExactlyInAnyOrder("ivy-1", "epyc-1");
        assertThat(domainsByModel(get("/groupings?vendor=AMD").json()).values().stream()
                        .flatMap(List::stream))
                .containsExactly("epyc-1");

        assertProblem(get("/groupings?strategy=fewest"), 400);
        assertProblem(get("/groupings?minimumModel=Pentium9"), 400);
        assertProblem(get("/groupings?format=csv"), 400);
        assertProblem(get("/groupings?aggregate=nowhere"), 404);
    }

    @Test
    void minimumLevelKeepsHostsBelowItApart() {
        // Levels from the fixtures: the Haswell and Broadwell Xeons (models plus f16c, abm) and EPYC reach
        // x86-64-v3, the Ivy Bridge x86-64-v2 (no avx2, bmi1, bmi2, fma, movbe, abm).
        mixedFleet();
        JsonNode plain = get("/groupings?strategy=min-domains").json();
        assertThat(domainLevels(plain).get("ivy-1")).isEqualTo("x86-64-v2");
        assertThat(domainLevels(plain).get("hsw-1"))
                .as("merged with the Ivy Bridge")
                .isEqualTo("x86-64-v2");

        JsonNode grouping =
                get("/groupings?strategy=min-domains&minimumLevel=x86-64-v3").json();
        assertThat(grouping.path("minimumLevel").asString()).isEqualTo("x86-64-v3");
        assertThat(texts(grouping.get("hostsBelowMinimum"))).containsExactly("ivy-1");
        assertThat(domainLevels(grouping))
                .containsEntry("hsw-1", "x86-64-v3")
                .containsEntry("hsw-2", "x86-64-v3")
                .containsEntry("bdw-1", "x86-64-v3")
                .containsEntry("epyc-1", "x86-64-v3")
                .containsEntry("ivy-1", "x86-64-v2");
        grouping.get("domains")
                .forEach(d -> assertThat(d.path("meetsMinimum").asBoolean())
                        .isEqualTo(!d.path("level").asString().equals("x86-64-v2")));
        assertThat(grouping.get("domains").findValuesAsString("level")).doesNotContainNull();

        assertThat(texts(get("/groupings?strategy=min-domains&minimumLevel=x86-64-v2")
                        .json()
                        .get("hostsBelowMinimum")))
                .isEmpty();
        assertThat(get("/groupings?strategy=min-domains&minimumLevel=x86-64-v3&format=openstack")
                        .body())
                .contains("minimum level x86-64-v3")
                .contains("BELOW the minimum level x86-64-v3");
        JsonNode problem = assertProblem(get("/groupings?minimumLevel=x86-64-v5"), 400);
        assertThat(problem.path("detail").asString()).contains("x86-64-v5").contains("x86-64-v2");
    }

    /** Each host's domain's level. */
    private static Map<String, String> domainLevels(JsonNode grouping) {
        Map<String, String> levels = new LinkedHashMap<>();
        grouping.get("domains")
                .forEach(d -> d.get("members")
                        .findValues("exampleHosts")
                        .forEach(names -> texts(names)
                                .forEach(h -> levels.put(h, d.path("level").asString()))));
        return levels;
    }

    @Test
    void openstackCommandsPutEveryHostInExactlyOneAggregate() {
        mixedFleet();
        Answer answer = get("/groupings?strategy=min-domains&format=openstack");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/plain");
        Map<String, Integer> placements = new HashMap<>();
        for (String line : answer.body().split("\n")) {
            List<String> words = List.of(line.strip().split("\\s+"));
            if (words.size() >= 6 && words.subList(0, 4).equals(List.of("openstack", "aggregate", "add", "host"))) {
                placements.merge(words.get(5).replace("'", "").replace("\"", ""), 1, Integer::sum);
            }
        }
        assertThat(placements).containsOnlyKeys("hsw-1", "hsw-2", "bdw-1", "ivy-1", "epyc-1");
        assertThat(placements.values()).containsOnly(1);
        // Flavor commands are templates for the operator's flavors, and the script names the filter they need.
        assertThat(answer.body()).contains("# needs nova's AggregateInstanceExtraSpecsFilter");
        List<String> flavorLines = answer.body()
                .lines()
                .filter(l -> l.startsWith("openstack flavor set"))
                .toList();
        assertThat(flavorLines)
                .isNotEmpty()
                .allMatch(l ->
                        l.endsWith(" FLAVOR") && l.contains(" --property aggregate_instance_extra_specs:cpu_model="));
    }

    @Test
    void theTsxStoryAsMigrationChecks() {
        register(1, "tsx-1", "haswell", HASWELL_TSX);
        register(2, "tsx-2", "haswell", HASWELL_TSX);
        String noTsx = cpuData(HASWELL_TSX).replace("<model>Haswell</model>", "<model>Haswell-noTSX</model>");
        Map<String, Object> updated = new LinkedHashMap<>();
        updated.put("hostname", "notsx-1");
        updated.put("aggregates", List.of("spare"));
        updated.put(
                "capabilitiesXml",
                "<capabilities><host><uuid>" + uuid(3) + "</uuid>" + noTsx + "</host></capabilities>");
        assertThat(post("/hosts", updated).status()).isEqualTo(201);

        // Guests on the haswell aggregate's CPU can go to its hosts, not to the host without TSX.
        JsonNode toAggregate = post(
                        "/migrations/check",
                        Map.of("guest", Map.of("aggregate", "haswell"), "target", Map.of("aggregate", "haswell")))
                .json();
        assertThat(toAggregate.get("compatible").asBoolean()).isTrue();
        JsonNode toNoTsx = post(
                        "/migrations/check",
                        Map.of("guest", Map.of("aggregate", "haswell"), "target", Map.of("host", uuid(3))))
                .json();
        assertThat(toNoTsx.get("compatible").asBoolean()).isFalse();
        JsonNode verdict = toNoTsx.get("targets").get(0);
        assertThat(verdict.get("result").asString()).isEqualTo("incompatible");
        assertThat(texts(verdict.get("missingFeatures"))).containsExactlyInAnyOrder("hle", "rtm");

        // host-passthrough: identical CPUs only.
        JsonNode passthrough = post(
                        "/migrations/check",
                        Map.of("guest", Map.of("hostPassthroughOf", uuid(1)), "target", Map.of("host", uuid(2))))
                .json();
        assertThat(passthrough.get("targets").get(0).get("result").asString()).isEqualTo("identical");
        assertThat(post(
                                "/migrations/check",
                                Map.of(
                                        "guest",
                                        Map.of("hostPassthroughOf", uuid(1)),
                                        "target",
                                        Map.of("host", uuid(3))))
                        .json()
                        .get("compatible")
                        .asBoolean())
                .isFalse();

        // A <cpu> from a domain XML: Haswell-noTSX runs everywhere here.
        JsonNode xml = post(
                        "/migrations/check",
                        Map.of(
                                "guest",
                                Map.of(
                                        "cpuXml",
                                        "<cpu mode='custom' match='exact'><model fallback='forbid'>Haswell-noTSX</model></cpu>"),
                                "target",
                                Map.of("host", uuid(3))))
                .json();
        assertThat(xml.get("compatible").asBoolean()).isTrue();
        assertThat(xml.get("targets").get(0).get("result").asString()).isEqualTo("superset");
    }

    @Test
    void badMigrationChecksNameTheField() {
        register(1, "hsw-1", "east", HASWELL);
        List<Map<String, Object>> bodies = new ArrayList<>();
        bodies.add(Map.of("target", Map.of("host", uuid(1))));
        bodies.add(Map.of(
                "guest", Map.of("aggregate", "east", "hostModelOf", uuid(1)), "target", Map.of("host", uuid(1))));
        bodies.add(Map.of("guest", Map.of("aggregate", "east"), "target", Map.of("host", uuid(9))));
        bodies.add(Map.of("guest", Map.of("cpuXml", "<cpu><model>Haswell"), "target", Map.of("host", uuid(1))));
        bodies.add(Map.of(
                "guest",
                Map.of("cpuXml", "<cpu mode='custom'><model>NoSuchModel</model></cpu>"),
                "target",
                Map.of("host", uuid(1))));
        List<String> fields = List.of("guest", "guest", "target.host", "guest.cpuXml", "guest.cpuXml");
        for (int i = 0; i < bodies.size(); i++) {
            Answer answer = post("/migrations/check", bodies.get(i));
            assertProblem(answer, 422);
            assertThat(errorFields(answer)).as(answer.body()).containsExactly(fields.get(i));
        }
    }
}
