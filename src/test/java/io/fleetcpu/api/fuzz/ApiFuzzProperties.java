package io.fleetcpu.api.fuzz;

import static io.fleetcpu.api.fuzz.JsonMutation.NODES;
import static io.fleetcpu.api.fuzz.JsonMutation.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.api.fuzz.FuzzCase.Valid;
import io.fleetcpu.api.fuzz.ServiceUnderFuzz.Answer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzes the four endpoints that take the richest input (registration, what-if, migration check, policy update) over
 * real HTTP against the whole service: valid bodies built from real CPUs, then mutated (fields dropped, duplicated,
 * retyped; nulls, huge and odd strings, NUL and lone surrogates, huge numbers, deep nesting; the libvirt documents
 * cut, extended with unknown elements, given DTDs and entities, namespaces, huge attributes), sent as JSON or with
 * the wrong Content-Type, broken, or as random bytes. For every answer:
 * <ol>
 * <li>never 5xx, and every 4xx is problem+json with its status;</li>
 * <li>a refused request wrote nothing (host, aggregate, aggregate_host, aggregate_kind and cpu_event tables as they
 * were; rows added to cpu_kind are counted and reported, not failed on: kinds are stored in their own
 * transaction before the host);</li>
 * <li>an accepted one is 2xx with the shape the API promises (what-if and migration check write nothing).</li>
 * </ol>
 * Seeded: a failure is reproduced by running this class again. Every try starts from the same known fleet.
 */
@PropertyDefaults(tries = 700, shrinking = ShrinkingMode.FULL, generation = GenerationMode.RANDOMIZED)
class ApiFuzzProperties {

    /** Change it to explore other cases; a failure names the seed it was found with. */
    private static final String SEED = "4711";

    /** fleetcpu.request.max-body-size, as configured. */
    private static final int MAX_BODY = 2 * 1024 * 1024;

    private static ServiceUnderFuzz service;
    /** Refused requests after which cpu_kind had more rows, as examples for the report. */
    private static final List<String> kindsWrittenByRefusals = new ArrayList<>();

    @BeforeContainer
    static void start() {
        service = ServiceUnderFuzz.start();
    }

    @AfterContainer
    static void stop() {
        if (!kindsWrittenByRefusals.isEmpty()) {
            System.out.println("[fuzz] cpu_kind gained rows on " + kindsWrittenByRefusals.size()
                    + " refused request(s) (kinds are stored before the host write); first: "
                    + kindsWrittenByRefusals.get(0));
        }
        ServiceUnderFuzz.stop();
    }

    // ---- properties ------------------------------------------------------------------------------------------------

    @Property(tries = 1200, seed = SEED)
    void registration(@ForAll("registrations") FuzzCase request) {
        check(request, ApiFuzzProperties::registered);
    }

    @Property(seed = SEED)
    void whatIf(@ForAll("whatIfs") FuzzCase request) {
        check(request, ApiFuzzProperties::previewed);
    }

    @Property(seed = SEED)
    void migrationCheck(@ForAll("migrationChecks") FuzzCase request) {
        check(request, ApiFuzzProperties::judged);
    }

    @Property(seed = SEED)
    void policyUpdate(@ForAll("policyUpdates") FuzzCase request) {
        check(request, ApiFuzzProperties::stored);
    }

    private static synchronized void check(FuzzCase request, BiConsumer<FuzzCase, Answer> acceptedShape) {
        service.restoreFleet();
        String before = service.lastFingerprint();
        long kindsBefore = service.cpuKinds();
        byte[] body = request.body();
        Answer answer;
        try {
            answer = service.send(
                    request.method(), request.path(), request.transport().contentType(), body, request.headers());
        } catch (java.io.UncheckedIOException e) {
            // A body over the limit may be refused (413) and the connection closed before the client has sent it all:
            // the client then sees the connection closed, not the answer. Allowed; nothing may have been written.
            assertThat(body.length)
                    .as("no answer to a request within the body limit")
                    .isGreaterThan(MAX_BODY);
            assertThat(service.fingerprint())
                    .as("a request over the body limit wrote nothing")
                    .isEqualTo(before);
            Statistics.label("status").collect("closed while sending a body over the limit");
            return;
        } finally {
            service.fingerprint();
        }
        Statistics.label("status").collect(answer.status());
        String said = answer.status() + " " + answer.contentType() + " " + Shown.text(answer.body());

        assertThat(answer.status())
                .as("no 5xx (503 included: one request at a time never waits for a turn): %s", said)
                .isLessThan(500);
        String after = service.lastFingerprint();
        if (answer.status() >= 400) {
            assertThat(answer.contentType())
                    .as("a refusal is problem+json: %s", said)
                    .startsWith("application/problem+json");
            JsonNode problem = answer.json();
            assertThat(problem.path("status").asInt())
                    .as("the problem's status: %s", said)
                    .isEqualTo(answer.status());
            assertThat(problem.path("detail").asString())
                    .as("the problem says what is wrong: %s", said)
                    .isNotBlank();
            assertThat(after).as("a refused request wrote nothing: %s", said).isEqualTo(before);
            if (service.cpuKinds() > kindsBefore) {
                Statistics.label("cpu_kind rows written by a refused request").collect(answer.status());
                kindsWrittenByRefusals.add(said + " for " + request);
            }
        } else {
            assertThat(answer.status()).as("accepted with 2xx: %s", said).isBetween(200, 299);
            assertThat(answer.contentType()).as(said).startsWith("application/json");
            acceptedShape.accept(request, answer);
            if (!request.method().equals("PUT") && !request.path().equals("/hosts")) {
                assertThat(after)
                        .as("what-if and migration checks write nothing")
                        .isEqualTo(before);
            }
        }
    }

    private static void registered(FuzzCase request, Answer answer) {
        assertThat(answer.status()).isIn(200, 201);
        JsonNode host = answer.json();
        String id = host.path("id").asString();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        if (answer.status() == 201) {
            assertThat(answer.header("Location")).isEqualTo("/hosts/" + id);
        }
        assertThat(host.path("hostname").asString()).isNotBlank();
        assertThat(host.path("aggregates").isArray()).isTrue();
        assertThat(host.path("cpu").path("arch").asString()).isNotBlank();
        assertThat(host.path("cpu").path("features").isArray()).isTrue();
        Answer stored = service.get("/hosts/" + id);
        assertThat(stored.status()).as("the registered host is stored").isEqualTo(200);
        assertThat(stored.json().path("hostname")).isEqualTo(host.path("hostname"));
        assertThat(stored.json().path("aggregates")).isEqualTo(host.path("aggregates"));
    }

    private static void previewed(FuzzCase request, Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        JsonNode whatIf = answer.json();
        for (String side : List.of("before", "after")) {
            assertThat(whatIf.path(side).path("hostCount").isInt()).as(side).isTrue();
            assertThat(whatIf.path(side).path("kinds").isArray()).as(side).isTrue();
        }
        for (String list : List.of("featuresGained", "featuresLost", "blockingHosts")) {
            assertThat(whatIf.path(list).isArray()).as(list).isTrue();
        }
    }

    private static void judged(FuzzCase request, Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        JsonNode check = answer.json();
        assertThat(check.path("guest").asString()).isNotBlank();
        JsonNode targets = check.path("targets");
        assertThat(targets.isArray() && !targets.isEmpty()).as("targets").isTrue();
        boolean all = true;
        for (JsonNode t : targets) {
            assertThat(t.path("result").asString()).isIn("identical", "superset", "incompatible");
            all &= t.path("compatible").asBoolean();
        }
        assertThat(check.path("compatible").asBoolean()).isEqualTo(all);
    }

    private static void stored(FuzzCase request, Answer answer) {
        assertThat(answer.status()).isIn(200, 201);
        // The servlet container reads ";..." in a path segment as path parameters, not as part of the id.
        String id = URLDecoder.decode(
                request.path().substring("/aggregates/".length()).replaceAll(";.*", ""), StandardCharsets.UTF_8);
        JsonNode aggregate = answer.json();
        assertThat(aggregate.path("id").asString()).isEqualTo(id);
        assertThat(aggregate.path("policy").path("goal").asString()).isIn("migration", "balanced", "performance");
        assertThat(answer.header("ETag")).isNotBlank();
        if (answer.status() == 201) {
            assertThat(answer.header("Location")).isEqualTo("/aggregates/" + id);
        }
        assertThat(service.get("/aggregates/" + id).json().path("policy")).isEqualTo(aggregate.path("policy"));
    }

    // ---- requests --------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<FuzzCase> registrations() {
        return Combinators.combine(validRegistrations(), mutations(), transports())
                .as((valid, mutations, transport) ->
                        new FuzzCase("POST", "/hosts", Map.of(), valid, mutations, transport));
    }

    @Provide
    Arbitrary<FuzzCase> whatIfs() {
        Arbitrary<List<String>> ids = hostIds().list().ofMaxSize(3);
        Arbitrary<List<Valid>> reports = validRegistrations().list().ofMaxSize(2);
        Arbitrary<Valid> valid = Combinators.combine(ids, reports, ids).as((add, inline, remove) -> {
            ObjectNode body = NODES.objectNode();
            body.set("addHosts", texts(add));
            ArrayNode addReports = body.putArray("addReports");
            inline.forEach(r -> addReports.add(r.body()));
            body.set("removeHosts", texts(remove));
            return new Valid("addHosts=" + add + " addReports=" + inline + " removeHosts=" + remove, body);
        });
        return Combinators.combine(aggregateIds(), valid, mutations(), transports())
                .as((id, v, mutations, transport) ->
                        new FuzzCase("POST", "/aggregates/" + id + "/what-if", Map.of(), v, mutations, transport));
    }

    @Provide
    Arbitrary<FuzzCase> migrationChecks() {
        Arbitrary<Tuple.Tuple2<String, String>> cpuXml = Combinators.combine(
                        Arbitraries.of(
                                "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-guest.xml",
                                "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-guest.xml",
                                "libvirt-9.9.0/x86_64-cpuid-EPYC-7502-32-Core-guest.xml",
                                "libvirt-9.9.0/x86_64-cpuid-Xeon-Platinum-8268-host.xml"),
                        hostIds().injectNull(0.6))
                .as(Tuple::of);
        Arbitrary<Valid> guest = Arbitraries.oneOf(
                cpuXml.map(t -> guest(
                        "cpuXml",
                        ServiceUnderFuzz.cpuData(t.get1()),
                        t.get2(),
                        "cpuXml " + t.get1() + " sourceHost=" + t.get2())),
                Combinators.combine(
                                Arbitraries.of("host-model", "host-passthrough", "maximum"),
                                hostIds().injectNull(0.3))
                        .as((mode, source) -> guest(
                                "cpuXml",
                                "<cpu mode='" + mode + "'/>",
                                source,
                                "cpuXml mode " + mode + " sourceHost=" + source)),
                aggregateIds().map(a -> guest("aggregate", a, null, "aggregate " + a)),
                hostIds().map(h -> guest("hostModelOf", h, null, "hostModelOf " + h)),
                hostIds().map(h -> guest("hostPassthroughOf", h, null, "hostPassthroughOf " + h)));
        Arbitrary<Valid> target = Arbitraries.oneOf(
                hostIds().map(h -> new Valid("host " + h, object("host", h))),
                aggregateIds().map(a -> new Valid("aggregate " + a, object("aggregate", a))));
        Arbitrary<Valid> valid = Combinators.combine(guest, target).as((g, t) -> {
            ObjectNode body = NODES.objectNode();
            body.set("guest", g.body());
            body.set("target", t.body());
            return new Valid("guest " + g + ", target " + t, body);
        });
        return Combinators.combine(valid, mutations(), transports())
                .as((v, mutations, transport) ->
                        new FuzzCase("POST", "/migrations/check", Map.of(), v, mutations, transport));
    }

    @Provide
    Arbitrary<FuzzCase> policyUpdates() {
        Arbitrary<ObjectNode> mitigations = Arbitraries.oneOf(
                Arbitraries.just(object("mode", "require")),
                Arbitraries.of("spec-ctrl", "ssbd", "md-clear", "stibp")
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(3)
                        .map(d -> {
                            ObjectNode m = object("mode", "disable");
                            m.set("disable", texts(d));
                            return m;
                        }));
        Arbitrary<ObjectNode> policy = Combinators.combine(
                        Arbitraries.of("migration", "balanced", "performance"),
                        Arbitraries.of("off", "allowed", "required"),
                        Arbitraries.of(true, false),
                        mitigations.injectNull(0.5),
                        Arbitraries.of("SandyBridge", "Nehalem", "Haswell-noTSX", "EPYC", "qemu64")
                                .injectNull(0.6),
                        Arbitraries.of("IvyBridge", "Haswell-noTSX", "EPYC-Rome", "kvm64")
                                .injectNull(0.7))
                .as((goal, nested, strict, mitigation, minimum, pinned) -> {
                    ObjectNode p = object("goal", goal);
                    p.put("nestedVirtualization", nested);
                    if (strict && nested.equals("required")) {
                        p.put("strict", true);
                    }
                    if (mitigation != null) {
                        p.set("mitigations", mitigation);
                    }
                    if (minimum != null) {
                        p.put("minimumModel", minimum);
                    }
                    if (pinned != null) {
                        p.put("pinnedModel", pinned);
                    }
                    return p;
                });
        Arbitrary<String> description = Arbitraries.of(
                "Haswell compute nodes in the east hall", "", "line\nbreak", "é ünïcödé 𝕏", "x".repeat(1000));
        Arbitrary<Map<String, String>> ifMatch = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Map.<String, String>of())),
                Tuple.of(
                        1,
                        Arbitraries.of("*", "\"0\"", "\"1\"", "W/\"0\"", "garbage", "\"", ",", "*, \"0\"")
                                .map(tag -> Map.of("If-Match", tag))));
        return Combinators.combine(
                        aggregateIds(),
                        Arbitraries.of(true, false),
                        description.injectNull(0.3),
                        policy.injectNull(0.2),
                        ifMatch,
                        mutations(),
                        transports())
                .as((id, withId, text, p, match, mutations, transport) -> {
                    ObjectNode body = NODES.objectNode();
                    if (withId) {
                        body.put("id", URLDecoder.decode(id, StandardCharsets.UTF_8));
                    }
                    if (text != null) {
                        body.put("description", text);
                    }
                    if (p != null) {
                        body.set("policy", p);
                    }
                    return new FuzzCase(
                            "PUT",
                            "/aggregates/" + id,
                            match,
                            new Valid("policy " + Shown.text(JsonMutation.write(body)), body),
                            mutations,
                            transport);
                });
    }

    // ---- valid bodies ----------------------------------------------------------------------------------------------

    private static final List<String> HOST_CPUS = List.of(
            ServiceUnderFuzz.HASWELL,
            ServiceUnderFuzz.IVY_BRIDGE,
            ServiceUnderFuzz.EPYC_ROME,
            "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml",
            "libvirt-9.9.0/x86_64-cpuid-Atom-D510-host.xml",
            "libvirt-9.9.0/x86_64-cpuid-Hygon-C86-7185-32-core-host.xml",
            "libvirt-5.6.0/x86_64-cpuid-Xeon-E7540-host.xml",
            "libvirt-newer/x86_64-cpuid-Xeon-6788P-host.xml",
            "libvirt-newer/x86_64-cpuid-Ryzen-9-9950X-16-Core-host.xml");

    /** Known hosts, new ones, and ids that are not UUIDs. */
    private static Arbitrary<String> hostIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(ServiceUnderFuzz.HOSTS)),
                Tuple.of(3, Arbitraries.integers().between(1, 99).map(ApiFuzzProperties::newHost)),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                "not-a-uuid",
                                "",
                                "00000000-0000-4000-8000-00000000000A",
                                "{00000000-0000-4000-8000-00000000000a}",
                                "0-0-0-0-0")));
    }

    private static String newHost(int n) {
        return String.format("00000000-0000-4000-8000-%012d", 1000 + n);
    }

    /** Aggregate ids as a path segment: known, new, and not valid (URL-encoded where a client must). */
    private static Arbitrary<String> aggregateIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(7, Arbitraries.of(ServiceUnderFuzz.AGGREGATES)),
                Tuple.of(2, Arbitraries.of("new-one", "a", "z".repeat(63), "fz-0")),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                "UPPER",
                                "a".repeat(64),
                                "-dash",
                                "dash-",
                                "caf%C3%A9",
                                "a%20b",
                                "a;b",
                                "..",
                                "%F0%9D%95%8F",
                                "a%0Ab",
                                "a%00b",
                                "a%2Fb",
                                "a%5Cb")));
    }

    private static Arbitrary<List<String>> aggregateLists() {
        Arbitrary<String> one = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(ServiceUnderFuzz.AGGREGATES)),
                Tuple.of(2, Arbitraries.of("new-one", "fz-1", "z".repeat(63))));
        return Arbitraries.frequencyOf(
                Tuple.of(12, one.list().ofMaxSize(3)),
                Tuple.of(
                        1,
                        Arbitraries.integers()
                                .between(100, 400)
                                .map(n -> IntStream.range(0, n)
                                        .mapToObj(i -> "many-" + i)
                                        .toList())));
    }

    private static Arbitrary<Valid> validRegistrations() {
        Arbitrary<String> uuids = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(ServiceUnderFuzz.HOSTS)),
                Tuple.of(3, Arbitraries.integers().between(1, 99).map(ApiFuzzProperties::newHost)));
        Arbitrary<String> hostnames = Arbitraries.of(
                "compute-1", "hsw-1", "a", "node-7.example.org", "h" + "x".repeat(251) + "z", "under_score");
        Arbitrary<Valid> libvirt = Combinators.combine(
                        uuids,
                        hostnames,
                        aggregateLists(),
                        Arbitraries.of(HOST_CPUS),
                        Arbitraries.of(true, false),
                        Arbitraries.of("4.2.0", "5.0.0", "6.2.0", "7.2.0", "8.2.0")
                                .injectNull(0.6),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as((uuid, hostname, aggregates, cpu, sendUuid, domcaps, expanded, facts) -> {
                    ObjectNode body = NODES.objectNode();
                    if (sendUuid) {
                        body.put("uuid", uuid);
                    }
                    body.put("hostname", hostname);
                    body.set("aggregates", texts(aggregates));
                    body.put("capabilitiesXml", ServiceUnderFuzz.capabilities(uuid, cpu));
                    if (domcaps != null) {
                        body.put(
                                "domainCapabilitiesXml",
                                ServiceUnderFuzz.cpuData("domcaps/qemu_" + domcaps + "-q35.x86_64.xml"));
                    }
                    if (expanded && cpu.startsWith("libvirt-9.9.0")) {
                        body.put("expandedCpuXml", ServiceUnderFuzz.cpuData(cpu.replace("-host.xml", "-guest.xml")));
                    }
                    if (facts) {
                        ObjectNode kernel = body.putObject("kernel");
                        kernel.put("release", "6.1.0-18-amd64");
                        kernel.put(
                                "kvmModule", cpu.contains("EPYC") || cpu.contains("Ryzen") ? "kvm_amd" : "kvm_intel");
                        kernel.put("nested", "enabled");
                        kernel.put("virtualizationFlag", cpu.contains("EPYC") || cpu.contains("Ryzen") ? "svm" : "vmx");
                        ObjectNode versions = body.putObject("versions");
                        versions.put("libvirt", "9.0.0");
                        versions.put("qemu", "7.2.0");
                        versions.put("agent", "0.1.0");
                    }
                    return new Valid(
                            "libvirt registration " + uuid + (sendUuid ? "" : " (uuid from capabilities)")
                                    + " " + hostname.length() + "-char hostname, "
                                    + (aggregates.size() > 3
                                            ? aggregates.size() + " aggregates"
                                            : "aggregates " + aggregates)
                                    + ", " + cpu + (domcaps == null ? "" : ", domcaps " + domcaps)
                                    + (body.has("expandedCpuXml") ? ", expandedCpuXml" : "")
                                    + (facts ? ", kernel+versions" : ""),
                            body);
                });
        Arbitrary<Valid> structured = Combinators.combine(
                        uuids,
                        hostnames,
                        aggregateLists(),
                        Arbitraries.of("x86_64", "aarch64", "ppc64le"),
                        Arbitraries.of("Intel", "AMD", "Hygon", "ARM"),
                        Arbitraries.of(
                                        "Haswell-noTSX",
                                        "IvyBridge",
                                        "EPYC-Rome",
                                        "Skylake-Server",
                                        "cortex-a72",
                                        "Future-Lake-9000")
                                .injectNull(0.1),
                        Arbitraries.of("avx2", "sse4.2", "vmx", "x2apic", "zz-unknown-feature", "avx10-future", "svm")
                                .list()
                                .uniqueElements()
                                .ofMaxSize(6))
                .as((uuid, hostname, aggregates, arch, vendor, model, features) -> {
                    ObjectNode body = NODES.objectNode();
                    body.put("uuid", uuid);
                    body.put("hostname", hostname);
                    body.set("aggregates", texts(aggregates));
                    ObjectNode cpu = body.putObject("cpu");
                    cpu.put("arch", arch);
                    cpu.put("vendor", vendor);
                    if (model != null) {
                        cpu.put("model", model);
                    }
                    cpu.set("features", texts(features));
                    return new Valid(
                            "structured registration " + uuid + " " + arch + " " + vendor + " " + model
                                    + " +" + features + ", aggregates "
                                    + (aggregates.size() > 3 ? aggregates.size() : aggregates),
                            body);
                });
        Arbitrary<Valid> expandedOnly = Combinators.combine(
                        uuids, Arbitraries.of(HOST_CPUS).filter(c -> c.startsWith("libvirt-9.9.0")))
                .as((uuid, cpu) -> {
                    ObjectNode body = object("uuid", uuid);
                    body.put("hostname", "expanded-1");
                    body.put("expandedCpuXml", ServiceUnderFuzz.cpuData(cpu.replace("-host.xml", "-guest.xml")));
                    return new Valid("expanded-only registration " + uuid + " " + cpu, body);
                });
        return Arbitraries.frequencyOf(Tuple.of(6, libvirt), Tuple.of(3, structured), Tuple.of(1, expandedOnly));
    }

    private static Valid guest(String field, String value, String sourceHost, String label) {
        ObjectNode guest = object(field, value);
        if (sourceHost != null) {
            guest.put("sourceHost", sourceHost);
        }
        return new Valid(label, guest);
    }

    // ---- mutations -------------------------------------------------------------------------------------------------

    private static Arbitrary<List<JsonMutation>> mutations() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 9999);
        Arbitrary<JsonMutation> one = Arbitraries.frequencyOf(
                Tuple.of(2, at.map(JsonMutation.Drop::new)),
                Tuple.of(1, Combinators.combine(at, oddValues()).as(JsonMutation.Duplicate::new)),
                Tuple.of(4, Combinators.combine(at, oddValues()).as(JsonMutation.Replace::new)),
                Tuple.of(
                        1,
                        Combinators.combine(
                                        at,
                                        Arbitraries.of(
                                                "unknown",
                                                "",
                                                "\u0000",
                                                "UUID",
                                                "hostName",
                                                "aggregates ",
                                                "cpu.arch",
                                                "$ref"),
                                        oddValues())
                                .as(JsonMutation.AddProperty::new)),
                Tuple.of(
                        2,
                        Combinators.combine(at, Arbitraries.integers().between(0, 9999), oddCharacters())
                                .as(JsonMutation.Insert::new)),
                Tuple.of(6, Combinators.combine(at, xmlMutations()).as(JsonMutation.Xml::new)));
        return one.list().ofMaxSize(3);
    }

    private static Arbitrary<String> oddCharacters() {
        return Arbitraries.of(
                "\u0000",
                "\u0001",
                "\u001b[2J",
                "\t",
                "\r\n",
                "\u007f",
                "\u0085",
                "\ud800",
                "\udfff",
                "\ud83d",
                "é",
                "𝕏",
                "\ufeff",
                "\u202e",
                "\u2028",
                "%00",
                "&#0;",
                "<",
                "]]>",
                "'",
                "\"",
                "\\",
                "${jndi:ldap://127.0.0.1/x}",
                "../../etc/passwd",
                " ");
    }

    private static Arbitrary<JsonNode> oddValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(
                        6,
                        Arbitraries.of(
                                NODES.nullNode(),
                                NODES.textNode(""),
                                NODES.textNode(" "),
                                NODES.booleanNode(true),
                                NODES.booleanNode(false),
                                NODES.numberNode(0),
                                NODES.numberNode(-1),
                                NODES.arrayNode(),
                                NODES.objectNode(),
                                NODES.arrayNode().addNull(),
                                NODES.arrayNode().add("a"),
                                object("a", "b"),
                                raw("1e400"),
                                raw("-1e400"),
                                raw("123456789012345678901234567890"),
                                raw("9223372036854775808"),
                                raw("1.5"),
                                raw("-0"),
                                raw("NaN"),
                                raw("Infinity"),
                                raw("0x10"),
                                raw("01"),
                                raw("+1"),
                                raw("undefined"),
                                raw("'single'"),
                                raw("\"unterminated"))),
                Tuple.of(3, oddCharacters().map(NODES::textNode)),
                Tuple.of(
                        2,
                        Arbitraries.of(
                                        "00000000-0000-4000-8000-00000000000A",
                                        "UPPER",
                                        "a".repeat(63),
                                        "a".repeat(64),
                                        "Future-Lake-9000",
                                        "x86_64",
                                        "zz-unknown-feature",
                                        ServiceUnderFuzz.IVY)
                                .map(NODES::textNode)),
                Tuple.of(
                        2,
                        Arbitraries.frequencyOf(
                                        Tuple.of(12, Arbitraries.just(300)),
                                        Tuple.of(4, Arbitraries.just(70_000)),
                                        Tuple.of(1, Arbitraries.just(2_200_000)))
                                .map(n -> NODES.textNode("A".repeat(n)))),
                Tuple.of(
                        1,
                        Arbitraries.of(40, 600, 1500, 50_000).map(depth -> raw("[".repeat(depth) + "]".repeat(depth)))),
                Tuple.of(
                        1,
                        Arbitraries.of(40, 600, 5000)
                                .map(depth -> raw("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)))));
    }

    private static Arbitrary<XmlMutation> xmlMutations() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 9999);
        Arbitrary<String> markup = Arbitraries.of(
                "<bogus/>",
                "<bogus a='1'>text</bogus>",
                "<arch>x86_64</arch>",
                "<arch>sparc99</arch>",
                "<model>Future-Lake-9000</model>",
                "<vendor>Cyrix</vendor>",
                "<feature name='zz-unknown-feature'/>",
                "<feature policy='require' name='avx10-future'/>",
                "<feature policy='bogus' name='sse'/>",
                "<feature/>",
                "<feature name=''/>",
                "<feature name='sse2'/>",
                "<feature name='" + "f".repeat(70) + "'/>",
                "<signature family='99999999999999999999' model='1'/>",
                "<signature family='6'/>",
                "<signature family='-1' model='2'/>",
                "<microcode version='99999999999999999999'/>",
                "<microcode version='1e3'/>",
                "<topology sockets='0' cores='0' threads='0'/>",
                "<topology sockets='2147483648' cores='1' threads='1'/>",
                "<uuid>not-a-uuid</uuid>",
                "<host/>",
                "<cpu/>",
                "<cpu><arch>x86_64</arch></cpu>",
                "<!-- c -->",
                "<![CDATA[<feature name='x'/>]]>",
                "<?pi data?>",
                "&amp;",
                "&lt;",
                "&undefined;",
                "&#0;",
                "&#1;",
                "&#xD800;",
                "\u0001",
                "\ud800",
                "<p:feature xmlns:p='urn:x' name='sse'/>",
                "<q:feature name='sse'/>",
                "<mode name='host-model' supported='yes'><model>X</model></mode>",
                "<mode name='custom' supported='yes'><model usable='yes'>" + "M".repeat(100) + "</model></mode>",
                "<xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='file:///etc/passwd'/>",
                "<model>" + "M".repeat(65) + "</model>",
                "<vendor>" + "V".repeat(33) + "</vendor>");
        Arbitrary<String> prolog = Arbitraries.of(
                "<?xml version='1.0'?>\n",
                "<?xml version='1.1'?>\n",
                "<?xml version='1.0' encoding='UTF-16'?>",
                "<?xml version='1.0' encoding='bogus'?>",
                "\ufeff",
                "  \n",
                "<!-- c -->",
                "junk",
                "<!DOCTYPE capabilities>",
                "<?xml version='1.0'?><?xml version='1.0'?>",
                "<!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
                        + "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>]>",
                "<!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>",
                "<!DOCTYPE r [<!ENTITY x SYSTEM 'http://127.0.0.1:1/x'>]>",
                "<!DOCTYPE r [<!ENTITY % p SYSTEM 'http://127.0.0.1:1/p'> %p;]>",
                "<!DOCTYPE r SYSTEM 'http://127.0.0.1:1/r.dtd'>");
        Arbitrary<String> text = Arbitraries.of(
                "Future-Lake-9000",
                "",
                "x86_64",
                "aarch64",
                "sparc99",
                "Intel",
                "AMD",
                "VIA",
                "M".repeat(65),
                "M".repeat(300),
                "9".repeat(30),
                "&amp;",
                "&lt;model&gt;",
                "&#1;",
                "&#0;",
                "&#xD800;",
                "&bogus;",
                "\u0001",
                "\ud800",
                "<![CDATA[x]]>",
                "  spaced  ",
                ServiceUnderFuzz.HSW_1,
                "not-a-uuid",
                "Haswell-noTSX",
                "EPYC",
                "A".repeat(100_000));
        Arbitrary<String> attribute = Arbitraries.of(
                "",
                " ",
                "A".repeat(100_000),
                "9".repeat(20),
                "99999999999",
                "2147483648",
                "-1",
                "0",
                "1e3",
                "0x10",
                "bogus",
                "require",
                "disable",
                "forbid",
                "optional",
                "force",
                "host-model",
                "host-passthrough",
                "maximum",
                "custom",
                "yes",
                "no",
                "&#1;",
                "zz-unknown-feature",
                "avx2",
                "a b",
                "&amp;",
                "f".repeat(70));
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().between(0, 999).map(XmlMutation.Truncate::new)),
                Tuple.of(4, Combinators.combine(at, markup).as(XmlMutation.InsertAfterTag::new)),
                Tuple.of(2, prolog.map(XmlMutation.Prolog::new)),
                Tuple.of(3, Combinators.combine(at, text).as(XmlMutation.ReplaceText::new)),
                Tuple.of(3, Combinators.combine(at, attribute).as(XmlMutation.ReplaceAttribute::new)),
                Tuple.of(
                        3,
                        Combinators.combine(
                                        Arbitraries.of("model", "vendor", "arch", "uuid", "machine", "domain", "path"),
                                        Arbitraries.integers().between(0, 99),
                                        text)
                                .as(XmlMutation.ReplaceNamed::new)),
                Tuple.of(1, Arbitraries.integers().between(0, 3).map(XmlMutation.Namespace::new)));
    }

    private static Arbitrary<Transport> transports() {
        return Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.just(new Transport.AsJson())),
                Tuple.of(
                        2,
                        Arbitraries.of(
                                        "text/plain",
                                        "application/xml",
                                        "application/x-www-form-urlencoded",
                                        "multipart/form-data",
                                        "application/json; charset=ISO-8859-1",
                                        "application/json; charset=UTF-16",
                                        "application/json;charset=bogus",
                                        "application/merge-patch+json",
                                        "application/problem+json",
                                        "*/*",
                                        "application/json/extra",
                                        "",
                                        "garbage",
                                        "application/*")
                                .injectNull(0.1)
                                .map(Transport.ContentType::new)),
                Tuple.of(1, Arbitraries.integers().between(0, 999).map(Transport.Cut::new)),
                Tuple.of(
                        1,
                        Arbitraries.of("}", "]", "garbage", "\u0000", " {}", ",", "\n\n")
                                .map(Transport.Append::new)),
                Tuple.of(
                        2,
                        Arbitraries.of(
                                        "",
                                        "{",
                                        "[",
                                        "}",
                                        "null",
                                        "[]",
                                        "\"text\"",
                                        "42",
                                        "{\"a\":}",
                                        "{'hostname':'x'}",
                                        "// comment\n{}",
                                        "/* c */{}",
                                        "{} {}",
                                        "NaN",
                                        "{\"hostname\":\"x\",}",
                                        "[1,]",
                                        "{\"uuid\":\"" + ServiceUnderFuzz.HSW_1 + "\"}")
                                .map(Transport.Instead::new)),
                Tuple.of(
                        1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(Transport.Bytes::new)),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                        new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                                        new byte[] {(byte) 0xc3, 0x28},
                                        new byte[] {(byte) 0xff, (byte) 0xfe},
                                        new byte[] {0})
                                .map(Transport.Prefix::new)),
                Tuple.of(1, Arbitraries.just(new Transport.Utf16())));
    }

    // ---- JSON building ---------------------------------------------------------------------------------------------

    private static ObjectNode object(String name, String value) {
        ObjectNode node = NODES.objectNode();
        node.put(name, value);
        return node;
    }

    private static ArrayNode texts(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }
}
