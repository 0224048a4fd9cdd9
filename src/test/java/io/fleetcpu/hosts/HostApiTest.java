package io.fleetcpu.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Registration and inventory of hosts, as agents, operators and dashboards use them. */
class HostApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";
    private static final String SKYLAKE = "libvirt-9.9.0/x86_64-cpuid-Core-i5-6600-host.xml";
    private static final String EPYC_ROME = "libvirt-9.9.0/x86_64-cpuid-EPYC-7502-32-Core-host.xml";
    private static final String RYZEN_ROME = "libvirt-9.9.0/x86_64-cpuid-Ryzen-9-3900X-12-Core-host.xml";

    /**
     * What {@code virsh -c test:///default cpu-baseline --features} (libvirt 9.0) prints for the Core i5-4670T
     * fixture: the expanded CPU, with no {@code <arch>}.
     */
    private static final String EXPANDED_HASWELL_FEATURES = "abm acpi aes apic arat avx avx2 bmi1 bmi2 clflush cmov "
            + "cx16 cx8 de ds ds_cpl dtes64 erms est f16c fma fpu fsgsbase fxsr ht invpcid invtsc lahf_lm lm mca mce "
            + "mmx monitor movbe msr mtrr nx osxsave pae pat pbe pcid pclmuldq pdcm pdpe1gb pge pni popcnt pse pse36 "
            + "rdrand rdtscp sep smep smx ss sse sse2 sse4.1 sse4.2 ssse3 syscall tm tm2 tsc tsc-deadline tsc_adjust "
            + "vme vmx x2apic xsave xtpr";

    private static String expandedHaswell() {
        StringBuilder xml = new StringBuilder("<cpu mode='custom' match='exact'>\n"
                + "  <model fallback='forbid'>Haswell-noTSX</model>\n  <vendor>Intel</vendor>\n");
        for (String f : EXPANDED_HASWELL_FEATURES.split(" ")) {
            xml.append("  <feature policy='require' name='").append(f).append("'/>\n");
        }
        return xml.append("</cpu>\n").toString();
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    private Answer register(String id, String hostname, List<String> aggregates, String file) {
        Answer answer = post("/hosts", registration(id, hostname, aggregates, file));
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
        return answer;
    }

    @Test
    void registerAnswers201WithLocationAndTheHost() {
        String id = uuid();
        Answer answer = post("/hosts", registration(id, "compute-1", List.of("haswell"), HASWELL));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.header("Location")).endsWith("/hosts/" + id);
        JsonNode host = answer.json();
        assertThat(host.path("id").asString()).isEqualTo(id);
        assertThat(host.path("hostname").asString()).isEqualTo("compute-1");
        assertThat(texts(host.path("aggregates"))).containsExactly("haswell");
        JsonNode cpu = host.path("cpu");
        assertThat(cpu.path("arch").asString()).isEqualTo("x86_64");
        assertThat(cpu.path("vendor").asString()).isEqualTo("Intel");
        assertThat(cpu.path("model").asString()).isEqualTo("Haswell-noTSX");
        assertThat(cpu.path("modelKnown").asBoolean()).isTrue();
        assertThat(cpu.path("source").asString()).isEqualTo("capabilitiesXml");
        assertThat(cpu.path("signature").path("family").asInt()).isEqualTo(6);
        assertThat(cpu.path("signature").path("model").asInt()).isEqualTo(60);
        assertThat(cpu.path("signature").path("stepping").asInt()).isEqualTo(3);
        assertThat(texts(cpu.path("listedFeatures"))).contains("vmx", "invtsc");
        assertThat(texts(cpu.path("features")))
                .contains("avx2", "vmx", "invtsc", "sse4.2")
                .doesNotContain("hle", "rtm");
        assertThat(cpu.path("features").size()).isEqualTo(72);
        assertThat(texts(cpu.path("unknownFeatures"))).isEmpty();
        assertThat(host.path("documents").path("capabilities").asString())
                .isEqualTo("/hosts/" + id + "/documents/capabilities");
        assertThat(host.path("registeredAt").asString()).isNotBlank();
        assertThat(host.path("updatedAt").asString())
                .isEqualTo(host.path("registeredAt").asString());
        // the aggregate it named exists now
        assertThat(get("/aggregates/haswell").status()).isEqualTo(200);
    }

    @Test
    void registeringTheSameAgainIsIdempotent() {
        String id = uuid();
        Answer first = register(id, "compute-1", List.of("haswell", "east"), HASWELL);
        assertThat(first.status()).isEqualTo(201);
        Answer second = post("/hosts", registration(id, "compute-1", List.of("haswell", "east"), HASWELL));
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.header("Location")).isNull();
        // Nothing changed but when the agent was last seen.
        assertThat(withoutLastSeen(second.json())).as("second answer").isEqualTo(withoutLastSeen(first.json()));
        assertThat(second.json().path("updatedAt")).isEqualTo(first.json().path("updatedAt"));
        assertThat(Instant.parse(second.json().path("lastSeenAt").asString()))
                .isAfter(Instant.parse(first.json().path("lastSeenAt").asString()));
        assertThat(second.json().path("registration"))
                .as("what the second changed")
                .isEqualTo(JSON.readTree("""
                {"joined": [], "left": [], "createdAggregates": [], "factsChanged": false, "cpuChanged": false,
                 "guestsChanged": false}
                """));
        JsonNode stored = get("/hosts/" + id).json();
        assertThat(stored.has("registration"))
                .as("only a registration's answer says what it changed")
                .isFalse();
        assertThat(withoutLastSeen(stored)).as("stored host").isEqualTo(withoutLastSeen(second.json()));
        assertThat(stored.path("lastSeenAt")).isEqualTo(second.json().path("lastSeenAt"));
        assertThat(get("/hosts").json().path("totalItems").asLong()).isEqualTo(1);
    }

    @Test
    void registeringTheSameAgainKeepsUpdatedAt() {
        String id = uuid();
        Answer first = register(id, "compute-1", List.of("haswell"), HASWELL);
        Answer second = register(id, "compute-1", List.of("haswell"), HASWELL);
        assertThat(second.status()).isEqualTo(200);
        // compared as instants within PostgreSQL's microsecond, so only a real change of time counts
        assertSameInstant(second.json().path("updatedAt"), first.json().path("updatedAt"));
        assertSameInstant(second.json().path("registeredAt"), first.json().path("registeredAt"));
    }

    @Test
    void changingTheCpuUpdatesTheHost() throws Exception {
        String id = uuid();
        Answer first = register(id, "compute-1", List.of("haswell"), HASWELL);
        Thread.sleep(5);
        Answer changed = post("/hosts", registration(id, "compute-1", List.of("haswell"), SKYLAKE));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        JsonNode cpu = changed.json().path("cpu");
        assertThat(cpu.path("model").asString()).isEqualTo("Skylake-Client");
        assertThat(texts(cpu.path("features"))).contains("hle", "rtm", "avx2");
        assertThat(cpu.path("signature").path("model").asInt()).isEqualTo(94);
        assertSameInstant(changed.json().path("registeredAt"), first.json().path("registeredAt"));
        assertThat(Instant.parse(changed.json().path("updatedAt").asString()))
                .isAfter(Instant.parse(first.json().path("updatedAt").asString()));
        JsonNode stored = get("/hosts/" + id).json();
        assertThat(stored.path("cpu").path("model").asString()).isEqualTo("Skylake-Client");
        assertThat(texts(stored.path("cpu").path("features"))).contains("hle");
        assertThat(get("/hosts/" + id + "/documents/capabilities").body()).isEqualTo(capabilities(id, SKYLAKE));
        assertThat(get("/hosts").json().path("totalItems").asLong()).isEqualTo(1);
    }

    @Test
    void changingHostnameAndAggregatesUpdatesThem() {
        String id = uuid();
        register(id, "compute-1", List.of("haswell"), HASWELL);
        Answer changed = post("/hosts", registration(id, "compute-1b", List.of("east"), HASWELL));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("hostname").asString()).isEqualTo("compute-1b");
        assertThat(texts(changed.json().path("aggregates"))).containsExactly("east");
        assertThat(memberIds("haswell")).isEmpty();
        assertThat(memberIds("east")).containsExactly(id);
    }

    @Test
    void getOneHost() {
        String id = uuid();
        register(id, "compute-1", List.of("haswell"), HASWELL);
        Answer answer = get("/hosts/" + id);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.json().path("id").asString()).isEqualTo(id);
        assertThat(answer.json().path("hostname").asString()).isEqualTo("compute-1");
        assertThat(answer.json().path("cpu").path("model").asString()).isEqualTo("Haswell-noTSX");
        // upper-case UUIDs name the same host
        assertThat(get("/hosts/" + id.toUpperCase()).status()).isEqualTo(200);
    }

    @Test
    void capabilitiesDocumentIsReturnedAsSent() {
        String id = uuid();
        Map<String, Object> body = registration(id, "compute-1", List.of(), HASWELL);
        register(id, "compute-1", List.of(), HASWELL);
        Answer answer = get("/hosts/" + id + "/documents/capabilities");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/xml");
        assertThat(answer.body()).isEqualTo(body.get("capabilitiesXml"));
    }

    @Test
    void unknownHostIs404() {
        Answer answer = get("/hosts/" + uuid());
        JsonNode problem = assertProblem(answer, 404);
        assertThat(problem.path("detail").asString()).contains("no host");
        assertProblem(get("/hosts/" + uuid() + "/documents/capabilities"), 404);
        assertProblem(delete("/hosts/" + uuid()), 404);
    }

    @Test
    void unknownDocumentIs404() {
        String id = uuid();
        register(id, "compute-1", List.of(), HASWELL);
        JsonNode problem = assertProblem(get("/hosts/" + id + "/documents/passwd"), 404);
        assertThat(problem.path("detail").asString()).contains("passwd");
        // a kind of document this host did not send
        problem = assertProblem(get("/hosts/" + id + "/documents/domain-capabilities"), 404);
        assertThat(problem.path("detail").asString()).contains("did not send");
    }

    @Test
    void malformedUuidInPathIs400() {
        Answer answer = get("/hosts/not-a-uuid");
        JsonNode problem = assertProblem(answer, 400);
        assertThat(problem.path("detail").asString()).contains("not-a-uuid");
        assertThat(errorFields(answer)).containsExactly("id");
        assertProblem(get("/hosts/not-a-uuid/documents/capabilities"), 400);
        assertProblem(delete("/hosts/not-a-uuid"), 400);
    }

    @Test
    void deleteForgetsTheHost() {
        String id = uuid();
        register(id, "compute-1", List.of("haswell"), HASWELL);
        Answer deleted = delete("/hosts/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertProblem(get("/hosts/" + id), 404);
        assertProblem(delete("/hosts/" + id), 404);
        assertThat(get("/aggregates/haswell").json().path("hosts").size()).isZero();
        assertNoHosts();
    }

    private void registerThree(String haswell, String skylake, String rome) {
        register(haswell, "a-haswell", List.of("east"), HASWELL);
        register(skylake, "b-skylake", List.of("east", "west"), SKYLAKE);
        register(rome, "c-rome", List.of("west"), EPYC_ROME);
    }

    private List<String> hostnames(String query) {
        Answer answer = get("/hosts" + query);
        assertThat(answer.status()).as(query + ": " + answer.body()).isEqualTo(200);
        return texts(answer.json().path("items").findValues("hostname").stream()
                .collect(JSON.getNodeFactory()::arrayNode, (a, n) -> a.add(n), (a, b) -> a.addAll(b)));
    }

    @Test
    void listFiltersByAggregateVendorModelAndFeature() {
        registerThree(uuid(), uuid(), uuid());
        assertThat(hostnames("")).containsExactly("a-haswell", "b-skylake", "c-rome");
        assertThat(hostnames("?aggregate=east")).containsExactly("a-haswell", "b-skylake");
        assertThat(hostnames("?aggregate=west")).containsExactly("b-skylake", "c-rome");
        assertThat(hostnames("?aggregate=nowhere")).isEmpty();
        assertThat(hostnames("?vendor=AMD")).containsExactly("c-rome");
        assertThat(hostnames("?vendor=intel")).containsExactly("a-haswell", "b-skylake");
        assertThat(hostnames("?model=Haswell-noTSX")).containsExactly("a-haswell");
        assertThat(hostnames("?model=EPYC-Rome")).containsExactly("c-rome");
        assertThat(hostnames("?feature=svm")).containsExactly("c-rome");
        assertThat(hostnames("?feature=hle")).containsExactly("b-skylake");
        assertThat(hostnames("?feature=vmx")).containsExactly("a-haswell", "b-skylake");
        assertThat(hostnames("?feature=avx2")).containsExactly("a-haswell", "b-skylake", "c-rome");
        assertThat(hostnames("?aggregate=east&feature=hle")).containsExactly("b-skylake");
        assertThat(hostnames("?vendor=Intel&model=Skylake-Client&aggregate=west"))
                .containsExactly("b-skylake");
    }

    @Test
    void listPages() {
        registerThree(uuid(), uuid(), uuid());
        JsonNode first = get("/hosts?size=2").json();
        assertThat(first.path("page").asInt()).isZero();
        assertThat(first.path("size").asInt()).isEqualTo(2);
        assertThat(first.path("totalItems").asLong()).isEqualTo(3);
        assertThat(first.path("totalPages").asInt()).isEqualTo(2);
        assertThat(first.path("items").size()).isEqualTo(2);
        assertThat(hostnames("?size=2&page=0")).containsExactly("a-haswell", "b-skylake");
        JsonNode second = get("/hosts?size=2&page=1").json();
        assertThat(second.path("page").asInt()).isEqualTo(1);
        assertThat(second.path("items").size()).isEqualTo(1);
        assertThat(second.path("items").path(0).path("hostname").asString()).isEqualTo("c-rome");
        JsonNode beyond = get("/hosts?size=2&page=5").json();
        assertThat(beyond.path("items").size()).isZero();
        assertThat(beyond.path("totalItems").asLong()).isEqualTo(3);
        JsonNode filtered = get("/hosts?size=1&vendor=Intel").json();
        assertThat(filtered.path("totalItems").asLong()).isEqualTo(2);
        assertThat(filtered.path("totalPages").asInt()).isEqualTo(2);
        JsonNode defaults = get("/hosts").json();
        assertThat(defaults.path("size").asInt()).isEqualTo(50);
        assertThat(defaults.path("totalPages").asInt()).isEqualTo(1);
    }

    @Test
    void badPagingIs400Problem() {
        for (String query : List.of("size=0", "size=1000", "size=501")) {
            Answer answer = get("/hosts?" + query);
            assertProblem(answer, 400);
            assertThat(errorFields(answer)).as(query).containsExactly("size");
        }
        Answer negative = get("/hosts?page=-1");
        assertProblem(negative, 400);
        assertThat(errorFields(negative)).containsExactly("page");
        Answer notNumber = get("/hosts?size=ten");
        assertProblem(notNumber, 400);
        assertThat(errorFields(notNumber)).containsExactly("size");
    }

    @Test
    void structuredCpuIsExpandedThroughTheCatalog() {
        String id = uuid();
        Answer answer = post(
                "/hosts",
                structured(
                        id, "arm-less-1", List.of("haswell"), cpu("x86_64", "Intel", "Haswell-noTSX", List.of("vmx"))));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode cpu = answer.json().path("cpu");
        assertThat(cpu.path("source").asString()).isEqualTo("cpu");
        assertThat(cpu.path("modelKnown").asBoolean()).isTrue();
        assertThat(texts(cpu.path("features")))
                .contains("avx2", "sse4.2", "fma", "vmx")
                .doesNotContain("hle", "rtm");
        JsonNode model = get("/cpu-models/Haswell-noTSX").json();
        assertThat(texts(cpu.path("features"))).containsAll(texts(model.path("features")));
        assertThat(cpu.path("features").size()).isEqualTo(model.path("features").size() + 1);
        assertThat(answer.json().path("documents").size()).isZero();
        assertThat(hostnames("?feature=avx2")).containsExactly("arm-less-1");
    }

    @Test
    void structuredCpuWithDisabledFeatures() {
        Map<String, Object> cpu = cpu("x86_64", "Intel", "Haswell-noTSX", List.of());
        cpu.put("disabledFeatures", List.of("avx2"));
        Answer answer = post("/hosts", structured(uuid(), "compute-noavx2", List.of(), cpu));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(texts(answer.json().path("cpu").path("features")))
                .contains("avx", "fma")
                .doesNotContain("avx2");
        assertThat(texts(answer.json().path("cpu").path("disabledFeatures"))).containsExactly("avx2");
    }

    @Test
    void expandedCpuXmlAloneRegistersTheHost() {
        // What an agent gets from 'virsh cpu-baseline --features': the expanded CPU, without <arch>.
        String id = uuid();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("uuid", id);
        body.put("hostname", "compute-expanded");
        body.put("aggregates", List.of("haswell"));
        body.put("expandedCpuXml", expandedHaswell());
        Answer answer = post("/hosts", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode cpu = answer.json().path("cpu");
        assertThat(cpu.path("source").asString()).isEqualTo("expandedCpuXml");
        assertThat(cpu.path("model").asString()).isEqualTo("Haswell-noTSX");
        assertThat(texts(cpu.path("features"))).contains("avx2", "vmx").hasSize(72);
        assertThat(get("/hosts/" + id + "/documents/expanded-cpu").body()).isEqualTo(expandedHaswell());
    }

    @Test
    void expandedCpuXmlWithArchRegistersTheHost() {
        String id = uuid();
        String xml = expandedHaswell()
                .replace(
                        "<cpu mode='custom' match='exact'>\n",
                        "<cpu mode='custom' match='exact'>\n  <arch>x86_64</arch>\n");
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("uuid", id);
        body.put("hostname", "compute-expanded");
        body.put("aggregates", List.of("haswell"));
        body.put("expandedCpuXml", xml);
        Answer answer = post("/hosts", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode cpu = answer.json().path("cpu");
        assertThat(cpu.path("source").asString()).isEqualTo("expandedCpuXml");
        assertThat(texts(cpu.path("features"))).contains("avx2", "vmx").hasSize(72);
        assertThat(answer.json().path("documents").path("expanded-cpu").asString())
                .isEqualTo("/hosts/" + id + "/documents/expanded-cpu");
        assertThat(get("/hosts/" + id + "/documents/expanded-cpu").body()).isEqualTo(xml);
    }

    @Test
    void inventoryCountsTheFleet() {
        register(uuid(), "a-haswell", List.of("east"), HASWELL);
        register(uuid(), "b-skylake", List.of("east", "west"), SKYLAKE);
        register(uuid(), "c-rome", List.of("west"), EPYC_ROME);
        register(uuid(), "d-ryzen", List.of(), RYZEN_ROME);
        Answer answer = get("/inventory");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode inventory = answer.json();
        assertThat(inventory.path("hosts").asLong()).isEqualTo(4);
        assertThat(counts(inventory.path("byArch"))).isEqualTo(Map.of("x86_64", 4L));
        assertThat(counts(inventory.path("byVendor"))).isEqualTo(Map.of("Intel", 2L, "AMD", 2L));
        assertThat(counts(inventory.path("byModel")))
                .isEqualTo(Map.of("Haswell-noTSX", 1L, "Skylake-Client", 1L, "EPYC-Rome", 2L));
        assertThat(counts(inventory.path("byAggregate"))).isEqualTo(Map.of("east", 2L, "west", 2L));
        assertThat(inventory.path("hostsInNoAggregate").asLong()).isEqualTo(1);
        assertThat(texts(inventory.path("unknownFeatures"))).isEmpty();
    }

    @Test
    void inventoryCountsHostsByLevelAndEachHostShowsItsLevel() {
        // Levels worked out from the fixtures and the psABI (see MicroarchitectureLevelTest): Penryn lacks popcnt
        // and sse4.2; Ivy Bridge lacks avx2 and more; Haswell-noTSX with f16c and abm is v3; Skylake-Server is v4.
        String penryn = register(uuid(), "penryn", List.of(), "libvirt-9.9.0/x86_64-cpuid-Core2-Q9500-host.xml")
                .json()
                .path("id")
                .asString();
        String ivy = register(uuid(), "ivy-1", List.of(), "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml")
                .json()
                .path("id")
                .asString();
        register(uuid(), "ivy-2", List.of(), "libvirt-9.9.0/x86_64-cpuid-Core-i7-3740QM-host.xml");
        String haswell = register(uuid(), "haswell", List.of(), HASWELL)
                .json()
                .path("id")
                .asString();
        String skylake = register(uuid(), "skylake-sp", List.of(), "libvirt-9.9.0/x86_64-cpuid-Xeon-Gold-6148-host.xml")
                .json()
                .path("id")
                .asString();

        assertThat(counts(get("/inventory").json().path("byLevel")))
                .isEqualTo(Map.of("x86-64-baseline", 1L, "x86-64-v2", 2L, "x86-64-v3", 1L, "x86-64-v4", 1L));
        assertThat(get("/hosts/" + penryn).json().path("level").asString()).isEqualTo("x86-64-baseline");
        assertThat(get("/hosts/" + ivy).json().path("level").asString()).isEqualTo("x86-64-v2");
        assertThat(get("/hosts/" + haswell).json().path("level").asString()).isEqualTo("x86-64-v3");
        assertThat(get("/hosts/" + skylake).json().path("level").asString()).isEqualTo("x86-64-v4");
        assertThat(get("/hosts?size=10").json().findValuesAsString("level"))
                .containsExactlyInAnyOrder("x86-64-baseline", "x86-64-v2", "x86-64-v2", "x86-64-v3", "x86-64-v4");
    }

    @Test
    void inventoryOfAnEmptyFleet() {
        JsonNode inventory = get("/inventory").json();
        assertThat(inventory.path("hosts").asLong()).isZero();
        assertThat(inventory.path("byVendor").size()).isZero();
        assertThat(inventory.path("hostsInNoAggregate").asLong()).isZero();
    }

    private static void assertSameInstant(JsonNode actual, JsonNode expected) {
        assertThat(Instant.parse(actual.asString()))
                .isCloseTo(
                        Instant.parse(expected.asString()),
                        org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MICROS));
    }

    private static Map<String, Long> counts(JsonNode object) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            counts.put(e.getKey(), e.getValue().asLong());
        }
        return counts;
    }

    private static JsonNode withoutLastSeen(JsonNode host) {
        tools.jackson.databind.node.ObjectNode copy = (tools.jackson.databind.node.ObjectNode) host.deepCopy();
        copy.remove("lastSeenAt");
        copy.remove("registration"); // what each registration changed
        return copy;
    }
}
