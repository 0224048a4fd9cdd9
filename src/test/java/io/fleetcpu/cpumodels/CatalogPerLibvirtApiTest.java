package io.fleetcpu.cpumodels;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.aggregates.OutputFormat;
import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureDefinition;
import io.fleetcpu.testing.ApiAssertions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each host is read with the cpu_map of its own libvirt (the agent's {@code versions.libvirt}): 9.x with libvirt
 * 9.0's, 10 and 11 with libvirt 11.3's, 12 and later with 12.8's; an aggregate's answers use only what every member's
 * libvirt knows, and what a member reports beyond that is left out with a warning, never a refusal. Real fixture CPUs
 * throughout.
 */
class CatalogPerLibvirtApiTest extends ApiAssertions {

    private static final CpuCatalog V9 = CpuCatalog.bundled(BundledMap.LIBVIRT_9_0);
    private static final CpuCatalog V11 = CpuCatalog.bundled(BundledMap.LIBVIRT_11_3);

    /** Names libvirt 11.3's map has and libvirt 9.0's has not: none may appear in an answer a 9.x host must run. */
    private static final Set<String> ONLY_11_3 = new TreeSet<>();

    static {
        V11.features().stream()
                .map(FeatureDefinition::name)
                .filter(f -> V9.feature(f).isEmpty())
                .forEach(ONLY_11_3::add);
        V11.models().stream()
                .map(CpuModel::name)
                .filter(m -> V9.model(m).isEmpty())
                .forEach(ONLY_11_3::add);
    }

    private static final String COOPERLAKE = "libvirt-9.9.0/x86_64-cpuid-Cooperlake-host.xml";
    /** Skylake-Server, read in full by libvirt 9.0. */
    private static final String SKYLAKE = "libvirt-9.9.0/x86_64-cpuid-Xeon-Gold-6148-host.xml";

    private static Map<String, Object> reportedBy(
            String libvirtVersion, String uuid, String hostname, List<String> aggregates, String file) {
        Map<String, Object> body = new LinkedHashMap<>(registration(uuid, hostname, aggregates, file));
        body.put("versions", Map.of("libvirt", libvirtVersion, "qemu", "8.2.0"));
        return body;
    }

    private static String uuid(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    /** Every host CPU of the fixtures. */
    private static List<String> fixtureHosts() throws IOException, URISyntaxException {
        List<String> all = new ArrayList<>();
        for (String folder : List.of("libvirt-9.9.0", "libvirt-5.6.0", "libvirt-newer")) {
            Path dir = Path.of(CatalogPerLibvirtApiTest.class
                    .getResource("/cpudata/" + folder)
                    .toURI());
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith("-host.xml"))
                        .sorted()
                        .forEach(f -> all.add(folder + "/" + f));
            }
        }
        return all;
    }

    private static List<String> hostsWithFlushL1d() throws IOException, URISyntaxException {
        Path dir = Path.of(CatalogPerLibvirtApiTest.class
                .getResource("/cpudata/libvirt-9.9.0")
                .toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-host.xml"))
                    .filter(f -> {
                        try {
                            return Files.readString(f).contains("<feature name='flush-l1d'/>");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(f -> "libvirt-9.9.0/" + f.getFileName())
                    .sorted()
                    .toList();
        }
    }

    private static boolean readInFull(JsonNode host) {
        return host.path("cpu").path("modelKnown").asBoolean()
                && host.path("cpu").path("unknownFeatures").isEmpty();
    }

    /**
     * Every fixture CPU registered as a host of libvirt 9.0, 11.3 and 12.8, each alone in an aggregate. libvirt 12.8's
     * map reads every one in full. Under an older map, a CPU reporting features that map does not know still gets an
     * answer, which leaves them out and says so; one naming a model that map does not know, registered with its
     * capabilities alone (its model plus the few features on top of it), cannot be read, and the refusal says what
     * to do.
     */
    @Test
    void everyFixtureCpuIsReadInFullWithLibvirt128sMapAndNoUnknownFeatureRefusesAnAggregate() throws Exception {
        List<String> onlyUnder113 = new ArrayList<>();
        List<String> onlyUnder128 = new ArrayList<>();
        int n = 0;
        for (String file : fixtureHosts()) {
            n++;
            Map<String, JsonNode> hosts = new LinkedHashMap<>();
            for (String version : List.of("9.0.0", "11.3.0", "12.8.0")) {
                String name = "v" + version.substring(0, version.indexOf('.')) + "-" + n;
                Answer registered =
                        post("/hosts", reportedBy(version, uuid(3 * n + hosts.size()), name, List.of(name), file));
                assertThat(registered.status()).as(file + " " + version).isEqualTo(201);
                hosts.put(name, registered.json());
            }
            List<JsonNode> read = List.copyOf(hosts.values());
            assertThat(read.get(2).path("catalog").asString()).isEqualTo("libvirt 12.8");
            assertThat(readInFull(read.get(2)))
                    .as(file + " read with libvirt 12.8's map")
                    .isTrue();
            if (!readInFull(read.get(1))) {
                onlyUnder128.add(file);
            } else if (!readInFull(read.get(0))) {
                onlyUnder113.add(file);
            }
            for (Map.Entry<String, JsonNode> host : hosts.entrySet()) {
                if (!readInFull(host.getValue())) {
                    assertAnsweredLeavingOutWhatItsMapDoesNotKnow(file, host.getKey(), host.getValue());
                }
            }
        }
        System.out.println("Fixture CPUs read in full only with libvirt 11.3's map or newer: " + onlyUnder113.size()
                + " " + onlyUnder113);
        System.out.println(
                "Fixture CPUs read in full only with libvirt 12.8's map: " + onlyUnder128.size() + " " + onlyUnder128);
        // the 12 libvirt 9.9.0 CPUs with flush-l1d (cpudata/README.md), and the 3 of libvirt-newer that name a
        // versioned model libvirt 11.3's map has (Skylake-Client-v1, Skylake-Server-v2, Cascadelake-Server-v3)
        assertThat(onlyUnder113.stream()
                        .filter(f -> f.startsWith("libvirt-9.9.0/"))
                        .toList())
                .isEqualTo(hostsWithFlushL1d());
        assertThat(onlyUnder113.stream()
                        .filter(f -> f.startsWith("libvirt-newer/"))
                        .toList())
                .containsExactly(
                        "libvirt-newer/x86_64-cpuid-Xeon-E3-1270-v5-host.xml",
                        "libvirt-newer/x86_64-cpuid-Xeon-Gold-6152-host.xml",
                        "libvirt-newer/x86_64-cpuid-Xeon-Silver-4214R-host.xml");
        assertThat(onlyUnder113).hasSize(15);
        // the other 11 of libvirt-newer name a model (EPYC-Genoa-v2, Skylake-Client-v3, …) or features (cet-ss, …)
        // that only libvirt 12.8's map has
        assertThat(onlyUnder128).hasSize(11).allMatch(f -> f.startsWith("libvirt-newer/"));
    }

    /**
     * A host its map does not read in full, alone in its aggregate: an answer that leaves out the features the map does
     * not know and names them with the host; or, for a model the map does not know with only its capabilities to go
     * by, a 409 that names the host and the remedy.
     */
    private void assertAnsweredLeavingOutWhatItsMapDoesNotKnow(String file, String aggregate, JsonNode host) {
        Answer answer = get("/aggregates/" + aggregate + "/recommended-cpu");
        String what = file + " as " + aggregate + ": " + answer.body();
        if (!host.path("cpu").path("modelKnown").asBoolean()) {
            JsonNode problem = assertProblem(answer, 409);
            assertThat(problem.path("detail").asString())
                    .as(what)
                    .contains(host.path("cpu").path("model").asString(), "agent", "expandedCpuXml");
            assertThat(texts(problem.path("hosts"))).as(what).containsExactly(aggregate);
            return;
        }
        assertThat(answer.status()).as(what).isEqualTo(200);
        String warnings = answer.json().path("warnings").toString();
        for (String unknown : texts(host.path("cpu").path("unknownFeatures"))) {
            assertThat(warnings).as(what).contains(unknown + " (hosts " + aggregate + ")");
            for (String format : List.of("libvirt", "qemu", "nova-conf", "kubevirt")) {
                assertThat(get("/aggregates/" + aggregate + "/recommended-cpu?format=" + format)
                                .body())
                        .as(format + " of " + what)
                        .doesNotContainPattern("[^A-Za-z0-9_.-]" + Pattern.quote(unknown) + "([^A-Za-z0-9_.-]|$)");
            }
        }
    }

    @Test
    void anAggregateOfA9xAndAn11xHostIsAnsweredWithWhatLibvirt90KnowsInEveryForm() {
        post("/hosts", reportedBy("9.0.0", uuid(1), "skylake-9", List.of("mixed"), SKYLAKE));
        post("/hosts", reportedBy("11.3.0", uuid(2), "cooper-11", List.of("mixed"), COOPERLAKE));

        Answer answer = get("/aggregates/mixed/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        System.out.println(
                "Mixed aggregate (9.0.0 + 11.3.0): " + json.path("model").asString() + " " + json.path("features")
                        + " level " + json.path("level") + " catalog " + json.path("catalog"));
        assertThat(json.path("catalog").path("name").asString()).isEqualTo("libvirt 9.0");
        assertThat(json.path("catalog").path("verifiedAgainstLibvirt").asBoolean())
                .isTrue();
        List<String> kindCatalogs = new ArrayList<>();
        json.path("kinds").forEach(k -> kindCatalogs.add(k.path("catalog").asString()));
        assertThat(kindCatalogs).containsExactlyInAnyOrder("libvirt 9.0", "libvirt 11.3");
        assertThat(V9.model(json.path("model").asString())).isPresent();
        assertNothingOnly113(withoutWarnings(json), "json");
        // Every rendering but the JSON answer, checked above.
        for (String format : Arrays.stream(OutputFormat.values())
                .filter(f -> f != OutputFormat.JSON)
                .map(OutputFormat::wireName)
                .toList()) {
            Answer rendered = get("/aggregates/mixed/recommended-cpu?format=" + format);
            assertThat(rendered.status()).as(format + ": " + rendered.body()).isEqualTo(200);
            assertNothingOnly113(rendered.body(), format);
        }
        Answer baseline = get("/aggregates/mixed/baseline");
        assertThat(baseline.status()).as(baseline.body()).isEqualTo(200);
        assertThat(baseline.json().path("catalog").path("name").asString()).isEqualTo("libvirt 9.0");
        assertNothingOnly113(baseline.body(), "baseline");

        // One domain of both hosts: its CPU is the aggregate's. (Split by max-features, the Cooper Lake's own domain
        // is answered as an aggregate of it alone would be: with libvirt 11.3's map.)
        Answer groupings = get("/groupings?aggregate=mixed&strategy=min-domains");
        assertThat(groupings.status()).as(groupings.body()).isEqualTo(200);
        assertThat(groupings.json().path("catalog").path("name").asString()).isEqualTo("libvirt 9.0");
        assertThat(groupings.json().path("domains")).hasSize(1);
        assertThat(groupings.json().path("domains").path(0).path("model").asString())
                .isEqualTo(json.path("model").asString());
        assertNothingOnly113(withoutWarnings(groupings.json()), "groupings");

        Answer check = post(
                "/migrations/check",
                Map.of("guest", Map.of("aggregate", "mixed"), "target", Map.of("aggregate", "mixed")));
        assertThat(check.status()).as(check.body()).isEqualTo(200);
        assertThat(check.json().path("compatible").asBoolean()).as(check.body()).isTrue();

        Answer whatIf = post("/aggregates/mixed/what-if", Map.of("removeHosts", List.of(uuid(1))));
        assertThat(whatIf.status()).as(whatIf.body()).isEqualTo(200);
        // without the 9.x host, the aggregate is answered with libvirt 11.3's map, which knows flush-l1d
        assertThat(texts(whatIf.json().path("featuresGained")))
                .as(whatIf.body())
                .contains("flush-l1d");

        // the same two CPUs, both under 9.x: the Cooperlake reports flush-l1d, which its own libvirt's map does not
        // know; the answer leaves it out and says so
        post("/hosts", reportedBy("9.0.0", uuid(3), "skylake-9b", List.of("both-9"), SKYLAKE));
        post("/hosts", reportedBy("9.0.0", uuid(4), "cooper-9", List.of("both-9"), COOPERLAKE));
        Answer nine = get("/aggregates/both-9/recommended-cpu");
        assertThat(nine.status()).as(nine.body()).isEqualTo(200);
        assertThat(nine.json().path("warnings").toString()).contains("flush-l1d (hosts cooper-9)");
        assertNothingOnly113(withoutWarnings(nine.json()), "json of both-9");

        // ... and both under 10 or later: libvirt 11.3's map, which offers flush-l1d where both have it
        post("/hosts", reportedBy("11.3.0", uuid(5), "skylake-11", List.of("both-11"), SKYLAKE));
        post("/hosts", reportedBy("11.3.0", uuid(6), "cooper-11b", List.of("both-11"), COOPERLAKE));
        Answer eleven = get("/aggregates/both-11/recommended-cpu");
        assertThat(eleven.status()).as(eleven.body()).isEqualTo(200);
        System.out.println("The same CPUs, both 11.3.0: "
                + eleven.json().path("model").asString() + " "
                + eleven.json().path("features") + " level " + eleven.json().path("level") + " catalog "
                + eleven.json().path("catalog").path("name"));
        assertThat(eleven.json().path("catalog").path("name").asString()).isEqualTo("libvirt 11.3");

        // Groupings split the fleet with one map, the common part of every host they consider (docs/catalogs.md):
        // the whole fleet has 9.x hosts, so libvirt 9.0's. Each domain's CPU is then what recommended-cpu answers for
        // an aggregate of exactly its hosts: a domain with a 9.x host names nothing only 11.3 knows.
        Answer fleet = get("/groupings");
        assertThat(fleet.status()).as(fleet.body()).isEqualTo(200);
        assertThat(fleet.json().path("catalog").path("name").asString()).isEqualTo("libvirt 9.0");
        // every host is grouped, the 9.x Cooperlake too: its flush-l1d is left out as its own libvirt does not know it
        assertThat(fleet.json().path("ungrouped").toString()).doesNotContain("cooper-9", "cooper-11");
        assertThat(fleet.json().path("domains").size()).isPositive();
        int withNine = 0;
        for (JsonNode domain : fleet.json().path("domains")) {
            boolean hasNine = false;
            for (JsonNode member : domain.path("members")) {
                hasNine |= member.path("catalog").asString().equals("libvirt 9.0");
            }
            if (hasNine) {
                withNine++;
                assertNothingOnly113(withoutWarnings(domain), "a domain of the fleet with a 9.x host");
            }
        }
        assertThat(withNine).isPositive();
        Answer onlyEleven = get("/groupings?aggregate=both-11");
        assertThat(onlyEleven.status()).as(onlyEleven.body()).isEqualTo(200);
        assertThat(onlyEleven.json().path("catalog").path("name").asString()).isEqualTo("libvirt 11.3");
        assertThat(onlyEleven.body()).contains("flush-l1d");
    }

    /**
     * KubeVirt's labels describe each node as its own libvirt reports it (a 11.x node has a flush-l1d label), while
     * the VM the aggregate's answer gives asks only for what every member's libvirt knows.
     */
    @Test
    void kubevirtLabelsDescribeEachNodeWithItsOwnCatalogAndTheVmAsksForTheCommonPart() {
        Map<String, Object> skylake = reportedBy("9.0.0", uuid(1), "skylake-9", List.of("labels"), SKYLAKE);
        skylake.put("hypervisorCpuXml", cpuData("libvirt-9.9.0/x86_64-cpuid-Xeon-Gold-6148-guest.xml"));
        Map<String, Object> cooper = reportedBy("11.3.0", uuid(2), "cooper-11", List.of("labels"), COOPERLAKE);
        cooper.put("hypervisorCpuXml", cpuData("libvirt-9.9.0/x86_64-cpuid-Cooperlake-guest.xml"));
        assertThat(post("/hosts", skylake).status()).isEqualTo(201);
        assertThat(post("/hosts", cooper).status()).isEqualTo(201);

        String labels =
                get("/aggregates/labels/recommended-cpu?format=kubevirt-labels").body();
        int cooperAt = labels.indexOf("name: \"cooper-11\"");
        int skylakeAt = labels.indexOf("name: \"skylake-9\"");
        String cooperPart = labels.substring(cooperAt, skylakeAt > cooperAt ? skylakeAt : labels.length());
        String skylakePart = labels.substring(skylakeAt, cooperAt > skylakeAt ? cooperAt : labels.length());
        assertThat(cooperPart).contains("cpu-feature.node.kubevirt.io/flush-l1d");
        assertThat(skylakePart).contains("cpu-feature.node.kubevirt.io/").doesNotContain("flush-l1d");
        Answer vm = get("/aggregates/labels/recommended-cpu?format=kubevirt");
        assertThat(vm.status()).as(vm.body()).isEqualTo(200);
        assertNothingOnly113(vm.body(), "kubevirt");
        assertThat(get("/aggregates/labels/recommended-cpu")
                        .json()
                        .path("catalog")
                        .path("name")
                        .asString())
                .isEqualTo("libvirt 9.0");
    }

    private static final Pattern NAME_CHAR = Pattern.compile("[A-Za-z0-9_.\\-]");

    /** The answer without its warnings, which name what was left out. */
    /** The answer without its warnings, at any depth (a grouping's domains have theirs). */
    private static String withoutWarnings(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        dropWarnings(copy);
        return copy.toString();
    }

    private static void dropWarnings(JsonNode node) {
        if (node instanceof tools.jackson.databind.node.ObjectNode object) {
            object.remove("warnings");
        }
        node.forEach(CatalogPerLibvirtApiTest::dropWarnings);
    }

    /**
     * No model or feature only libvirt 11.3 knows, as a whole word. KubeVirt's obsoleteCPUModels is a list of what
     * never to use (KubeVirt's own default names the -v1 spellings too), not an offer, and is passed over.
     */
    private static void assertNothingOnly113(String text, String what) {
        text = text.lines()
                .filter(l -> !l.strip().startsWith("obsoleteCPUModels") && !l.matches("\\s*\"[^\"]*\": true"))
                .collect(java.util.stream.Collectors.joining("\n"));
        List<String> found = new ArrayList<>();
        for (String name : ONLY_11_3) {
            int at = text.indexOf(name);
            while (at >= 0) {
                boolean before = at > 0
                        && NAME_CHAR
                                .matcher(String.valueOf(text.charAt(at - 1)))
                                .matches();
                int end = at + name.length();
                boolean after = end < text.length()
                        && NAME_CHAR.matcher(String.valueOf(text.charAt(end))).matches();
                if (!before && !after) {
                    found.add(name);
                    break;
                }
                at = text.indexOf(name, at + 1);
            }
        }
        assertThat(found)
                .as(what + " names what only libvirt 11.3 knows:\n" + text)
                .isEmpty();
    }

    /** A Xeon Silver 4214R: libvirt's newer map names it Cascadelake-Server-v3, which 11.3's map has and 9.0's not. */
    private static final String SILVER_4214R = "libvirt-newer/x86_64-cpuid-Xeon-Silver-4214R-host.xml";

    /**
     * libvirt 11.3's versioned models ({@code <decode guest='off'/>} in its map) are never a baseline's choice, as
     * with libvirt itself; they reach answers in nova's cpu_models list and through a pinned model. Every consumer
     * spells them as libvirt's map does: QEMU names its versioned models {@code <model>-v<n>} (target/i386/cpu.c,
     * x86_cpu_versioned_model_name), libvirt's cpu_map copies those names, nova's cpu_models takes libvirt's names
     * (checked against virConnectGetCPUModelNames), and KubeVirt's labels carry the domain capabilities' model names.
     */
    @Test
    void anAggregateOfHostsOnLibvirt10OrLaterMayGetAVersionedModelSpelledAlikeForEveryConsumer() {
        post("/hosts", reportedBy("11.3.0", uuid(1), "silver-a", List.of("eleven"), SILVER_4214R));
        post("/hosts", reportedBy("10.0.0", uuid(2), "silver-b", List.of("eleven"), SILVER_4214R));
        Answer plain = get("/aggregates/eleven/recommended-cpu");
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(plain.json().path("catalog").path("name").asString()).isEqualTo("libvirt 11.3");
        String nova = get("/aggregates/eleven/recommended-cpu?format=nova-conf").body();
        assertThat(nova).containsPattern("(?m)^cpu_models = .*\\bCascadelake-Server-v3\\b");

        Answer pinned = put("/aggregates/eleven", Map.of("policy", Map.of("pinnedModel", "Cascadelake-Server-v3")));
        assertThat(pinned.status()).as(pinned.body()).isEqualTo(200);
        Answer answer = get("/aggregates/eleven/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("model").asString()).isEqualTo("Cascadelake-Server-v3");
        assertThat(get("/aggregates/eleven/recommended-cpu?format=libvirt").body())
                .contains(">Cascadelake-Server-v3</model>");
        assertThat(get("/aggregates/eleven/recommended-cpu?format=qemu").body())
                .contains("-cpu Cascadelake-Server-v3,");
        assertThat(get("/aggregates/eleven/recommended-cpu?format=nova-conf").body())
                .containsPattern("(?m)^cpu_models = .*\\bCascadelake-Server-v3\\b");
        assertThat(get("/aggregates/eleven/recommended-cpu?format=kubevirt").body())
                .contains("model: \"Cascadelake-Server-v3\"");
        assertThat(get("/aggregates/eleven/recommended-cpu?format=kubevirt-cluster")
                        .body())
                .contains("cpuModel: \"Cascadelake-Server-v3\"");
        assertThat(get("/aggregates/eleven/recommended-cpu?format=cpu-map").body())
                .contains("<!-- Cascadelake-Server-v3 with ")
                .contains("<model name='Cascadelake-Server-v3-eleven'>");

        // a member whose agent says libvirt 9.0: its libvirt does not know the pinned model
        post("/hosts", reportedBy("9.0.0", uuid(3), "silver-nine", List.of("eleven"), SKYLAKE));
        Answer refused = get("/aggregates/eleven/recommended-cpu");
        assertProblem(refused, 409);
        assertThat(refused.json().path("detail").asString())
                .contains("Cascadelake-Server-v3")
                .contains("libvirt 9.0");
        assertThat(texts(refused.json().path("hosts"))).containsExactly("silver-nine");
    }

    @Test
    void aHostReRegisteringWithANewerLibvirtMovesToLibvirt113sMap() {
        Map<String, Object> before = reportedBy("9.0.0", uuid(1), "cooper", List.of("upgrade"), COOPERLAKE);
        assertThat(post("/hosts", before).json().path("catalog").asString()).isEqualTo("libvirt 9.0");
        Answer leftOut = get("/aggregates/upgrade/recommended-cpu");
        assertThat(leftOut.status()).as(leftOut.body()).isEqualTo(200);
        assertThat(leftOut.json().path("warnings").toString()).contains("flush-l1d (hosts cooper)");
        post("/hosts", reportedBy("9.0.0", uuid(2), "skylake", List.of("upgrade-2"), SKYLAKE));
        Answer cached = get("/aggregates/upgrade-2/recommended-cpu");
        assertThat(cached.json().path("catalog").path("name").asString()).isEqualTo("libvirt 9.0");
        String kindBefore = get("/hosts/" + uuid(1)).json().path("kind").asString();

        Answer upgraded = post("/hosts", reportedBy("11.3.0", uuid(1), "cooper", List.of("upgrade"), COOPERLAKE));
        assertThat(upgraded.status()).as(upgraded.body()).isEqualTo(200);
        JsonNode host = get("/hosts/" + uuid(1)).json();
        assertThat(host.path("catalog").asString()).isEqualTo("libvirt 11.3");
        assertThat(host.path("kind").asString()).isNotEqualTo(kindBefore);
        assertThat(texts(host.path("cpu").path("unknownFeatures"))).isEmpty();

        Answer answer = get("/aggregates/upgrade/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("catalog").path("name").asString()).isEqualTo("libvirt 11.3");
        assertThat(answer.json().path("kinds").get(0).path("catalog").asString())
                .isEqualTo("libvirt 11.3");
        assertThat(answer.json().path("warnings").toString()).doesNotContain("flush-l1d");

        // a kept answer is not served once a member moved to another catalog: the client's copy is stale
        post("/hosts", reportedBy("11.3.0", uuid(2), "skylake", List.of("upgrade-2"), SKYLAKE));
        Answer after = get("/aggregates/upgrade-2/recommended-cpu", "If-None-Match", cached.header("ETag"));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.header("ETag")).isNotEqualTo(cached.header("ETag"));
        assertThat(after.json().path("catalog").path("name").asString()).isEqualTo("libvirt 11.3");
    }

    @Test
    void hostsThatDoNotSayTheirLibvirtAreReadWithTheConfiguredCatalog() {
        Answer registered = post("/hosts", registration(uuid(1), "cooper", List.of("quiet"), COOPERLAKE));
        assertThat(registered.json().path("catalog").asString()).isEqualTo("libvirt 9.0");
        assertThat(texts(registered.json().path("cpu").path("unknownFeatures"))).contains("flush-l1d");
        Answer old = post("/hosts", reportedBy("8.0.0", uuid(2), "old", List.of("quiet"), SKYLAKE));
        assertThat(old.json().path("catalog").asString()).isEqualTo("libvirt 9.0");
    }
}
