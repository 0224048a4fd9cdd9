package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.agent.libvirt.LibvirtConnection;
import io.fleetcpu.agent.libvirt.LibvirtException;
import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.testing.ApiAssertions;
import io.fleetcpu.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The aggregate's recommended CPU, over HTTP, against libvirt's own baseline of the same hosts. */
class RecommendedCpuApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";
    private static final String HASWELL_XEON = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final String EPYC = "libvirt-9.9.0/x86_64-cpuid-EPYC-7601-32-Core-host.xml";

    private void register(String uuid, String hostname, String aggregate, String file) {
        Answer answer = post("/hosts", registration(uuid, hostname, List.of(aggregate), file));
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
    }

    private static final String QEMU_URI = System.getProperty("fleetcpu.libvirt.qemu.uri", "qemu:///system");

    /** libvirt's own answer for the same host CPUs, on the in-process test driver. */
    private static CpuDefinition libvirtBaseline(List<String> files) {
        return libvirtBaseline(files, false);
    }

    private static CpuDefinition libvirtBaseline(List<String> files, boolean expand) {
        return libvirtBaseline("test:///default", files, expand, false);
    }

    /** libvirt's own answer at a connection; skipped, not failed, when libvirt cannot be reached there. */
    private static CpuDefinition libvirtBaseline(String uri, List<String> files, boolean expand, boolean migratable) {
        List<String> xml = files.stream().map(ApiTest::cpuData).toList();
        LibvirtConnection libvirt;
        try {
            libvirt = LibvirtConnection.open(uri);
        } catch (LibvirtException e) {
            assumeTrue(false, "libvirt not available at " + uri + ": " + e.getMessage());
            throw e;
        }
        try (libvirt) {
            return CpuDefinition.parse(libvirt.baselineCpu(xml, expand, migratable));
        }
    }

    private static List<String> features(JsonNode answer) {
        List<String> features = new ArrayList<>();
        answer.get("features")
                .forEach(f -> features.add(
                        f.get("policy").asString() + ":" + f.get("name").asString()));
        return features;
    }

    private static List<String> features(CpuDefinition cpu) {
        return cpu.features().stream().map(RecommendedCpuApiTest::policyAndName).toList();
    }

    private static String policyAndName(CpuFeature f) {
        return f.policy().libvirtName() + ":" + f.name();
    }

    @Test
    void baselineIsLibvirtsAndTheRecommendationExplainsItself() {
        register("00000000-0000-4000-8000-000000000001", "node1", "east", HASWELL);
        register("00000000-0000-4000-8000-000000000002", "node2", "east", HASWELL_XEON);
        register("00000000-0000-4000-8000-000000000003", "node3", "east", IVY_BRIDGE);
        CpuDefinition libvirt = libvirtBaseline(List.of(HASWELL, HASWELL_XEON, IVY_BRIDGE));

        JsonNode baseline = get("/aggregates/east/baseline?driver=test").json();
        assertThat(baseline.get("model").asString()).isEqualTo(libvirt.model()).isEqualTo("IvyBridge");
        assertThat(baseline.get("vendor").asString()).isEqualTo(libvirt.vendor());
        assertThat(baseline.get("fallback").asString()).isEqualTo(libvirt.modelFallback());
        assertThat(features(baseline)).isEqualTo(features(libvirt));
        assertThat(CpuDefinition.parse(baseline.get("libvirtXml").asString())).isEqualTo(libvirt);
        assertThat(CpuDefinition.parse(get("/aggregates/east/baseline?driver=test", "Accept", "application/xml")
                        .body()))
                .isEqualTo(libvirt);

        Answer answer = get("/aggregates/east/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode cpu = answer.json();
        assertThat(cpu.get("mode").asString()).isEqualTo("custom");
        assertThat(cpu.get("model").asString()).isEqualTo("IvyBridge");
        // The default policy keeps nested virtualisation off and guests migratable: libvirt's baseline, less the
        // features KVM never gives guests (the hosts sent no hypervisor view) and invtsc, with vmx taken away.
        List<String> expected = new ArrayList<>(features(libvirt));
        assertThat(expected.remove("require:vmx")).isTrue();
        assertThat(expected.remove("require:invtsc")).isTrue();
        expected.removeIf(f -> HostOnlyFeatures.bundled().names().contains(f.substring(f.indexOf(':') + 1)));
        expected.add("disable:vmx");
        assertThat(cpu.get("warnings").toString())
                .contains("sent no hypervisor view")
                .contains("ds, acpi");
        assertThat(features(cpu)).isEqualTo(expected);
        assertThat(cpu.get("policy").get("goal").asString()).isEqualTo("migration");
        assertThat(cpu.get("explanations").toString()).contains("nested virtualisation off");
        assertThat(cpu.get("novaConf").asString())
                .startsWith("[libvirt]\n")
                .contains("\ncpu_mode = custom\n")
                // every model all three run, oldest first (libvirt's index.xml order), IvyBridge the newest of them
                .contains("\ncpu_models = kvm64, Conroe, Penryn, Nehalem, Westmere, SandyBridge, IvyBridge\n")
                .contains(", -vmx\n");
        assertThat(cpu.get("qemuCpu").asString()).startsWith("IvyBridge,").contains(",-vmx");

        JsonNode reasons = cpu.get("reasons");
        assertThat(reasons.get("hostsConsidered").asInt()).isEqualTo(3);
        // Without the Ivy Bridge, the two Haswells would share Haswell-noTSX and its AVX2.
        JsonNode ivy = null;
        for (JsonNode limiting : reasons.get("limitingHosts")) {
            if (limiting.get("host").asString().equals("node3")) {
                ivy = limiting;
            }
        }
        assertThat(ivy).as("node3 holds the aggregate down").isNotNull();
        assertThat(ivy.get("modelWithoutHost").asString()).isEqualTo("Haswell-noTSX");
        assertThat(ivy.get("featuresOthersShare").toString()).contains("\"avx2\"");
        JsonNode avx2 = null;
        for (JsonNode leftOut : reasons.get("featuresLeftOut")) {
            if (leftOut.get("feature").asString().equals("avx2")) {
                avx2 = leftOut;
            }
        }
        assertThat(avx2).isNotNull();
        assertThat(avx2.get("hostsWithout").toString()).isEqualTo("[\"node3\"]");
        assertThat(cpu.get("catalog").get("libvirtVersion").asString()).isEqualTo("9.0.0");
        assertThat(cpu.get("catalog").get("verifiedAgainstLibvirt").asBoolean()).isTrue();
        assertThat(cpu.get("catalog").get("verification").asString()).startsWith("verified against libvirt 9.0.0");
    }

    @Test
    void baselineIsWhatLibvirtdsQemuDriverSaysUnlessTheTestDriverIsAskedFor() {
        // Xeons with Intel RDT monitoring (cmt) and the OS bit of XSAVE (osxsave), which the QEMU driver leaves out.
        register("00000000-0000-4000-8000-000000000001", "xeon-1", "xeons", HASWELL_XEON);
        register("00000000-0000-4000-8000-000000000002", "xeon-2", "xeons", HASWELL_XEON);
        List<String> files = List.of(HASWELL_XEON, HASWELL_XEON);
        for (String form : List.of("", "expand=true", "migratable=true", "expand=true&migratable=true")) {
            CpuDefinition libvirtd =
                    libvirtBaseline(QEMU_URI, files, form.contains("expand"), form.contains("migratable"));
            JsonNode answer = get("/aggregates/xeons/baseline?" + form).json();
            assertThat(answer.get("driver").asString()).isEqualTo("qemu");
            assertThat(features(answer)).as(form).isEqualTo(features(libvirtd));
            assertThat(CpuDefinition.parse(answer.get("libvirtXml").asString())).isEqualTo(libvirtd);
            assertThat(CpuDefinition.parse(
                            get("/aggregates/xeons/baseline?driver=qemu&" + form, "Accept", "application/xml")
                                    .body()))
                    .as(form)
                    .isEqualTo(libvirtd);
        }

        JsonNode qemu = get("/aggregates/xeons/baseline").json();
        JsonNode test = get("/aggregates/xeons/baseline?driver=test").json();
        assertThat(test.get("driver").asString()).isEqualTo("test");
        assertThat(features(test)).isEqualTo(features(libvirtBaseline(files)));
        assertThat(test.get("model").asString())
                .isEqualTo(qemu.get("model").asString())
                .isEqualTo("Haswell-noTSX");
        List<String> dropped = new ArrayList<>(features(test));
        dropped.removeAll(features(qemu));
        assertThat(dropped).containsExactly("require:osxsave", "require:cmt");
        assertThat(get("/aggregates/xeons/baseline?driver=test").header("ETag"))
                .isNotEqualTo(get("/aggregates/xeons/baseline").header("ETag"));
    }

    @Test
    void anUnknownDriverOrAFormTheDriverRefusesIs400NamingTheParameter() {
        register("00000000-0000-4000-8000-000000000001", "xeon-1", "xeons", HASWELL_XEON);
        for (String accept : List.of("application/json", "application/xml")) {
            Answer xen = get("/aggregates/xeons/baseline?driver=xen", "Accept", accept);
            assertThat(assertProblem(xen, 400).path("detail").asString())
                    .contains("xen")
                    .contains("qemu")
                    .contains("test");
            assertThat(errorFields(xen)).containsExactly("driver");
            Answer twice = get("/aggregates/xeons/baseline?driver=qemu&driver=test", "Accept", accept);
            assertProblem(twice, 400);
            assertThat(errorFields(twice)).containsExactly("driver");
            // libvirt's test driver answers "unsupported flags" to VIR_CONNECT_BASELINE_CPU_MIGRATABLE
            Answer migratable = get("/aggregates/xeons/baseline?driver=test&migratable=true", "Accept", accept);
            assertThat(assertProblem(migratable, 400).path("detail").asString()).contains("driver=qemu");
            assertThat(errorFields(migratable)).containsExactly("migratable");
        }
        assertThat(get("/aggregates/xeons/baseline?driver=QEMU").status()).isEqualTo(400);
    }

    @Test
    void expandedFormIsLibvirtsExpandedForm() {
        register("00000000-0000-4000-8000-000000000001", "node1", "east", HASWELL);
        register("00000000-0000-4000-8000-000000000002", "node2", "east", IVY_BRIDGE);
        CpuDefinition libvirt = libvirtBaseline(List.of(HASWELL, IVY_BRIDGE), true);

        JsonNode cpu = get("/aggregates/east/baseline?expand=true&driver=test").json();
        assertThat(cpu.get("expanded").asBoolean()).isTrue();
        assertThat(cpu.get("model").asString()).isEqualTo(libvirt.model());
        assertThat(features(cpu)).isEqualTo(features(libvirt)).hasSizeGreaterThan(50);
        Answer xml = get("/aggregates/east/baseline?expand=true&driver=test", "Accept", "application/xml");
        assertThat(CpuDefinition.parse(xml.body())).isEqualTo(libvirt);
        assertThat(xml.header("ETag"))
                .isNotEqualTo(get("/aggregates/east/baseline?driver=test", "Accept", "application/xml")
                        .header("ETag"));
        // The recommendation's expanded form: the same guest as libvirt's, less what no guest gets on KVM and what
        // blocks migration, vmx taken away (nested off).
        Set<String> expected = new TreeSet<>(libvirt.requiredFeatureNames());
        expected.removeAll(HostOnlyFeatures.bundled().names());
        expected.removeAll(List.of("invtsc", "vmx"));
        JsonNode recommended =
                get("/aggregates/east/recommended-cpu?expand=true").json();
        Set<String> required = new TreeSet<>();
        recommended.get("features").forEach(f -> {
            if (f.get("policy").asString().equals("require")) {
                required.add(f.get("name").asString());
            }
        });
        assertThat(required).isEqualTo(expected).hasSizeGreaterThan(40);
    }

    @Test
    void xmlIsTheCpuElementAloneAndEtagsValidate() {
        register("00000000-0000-4000-8000-000000000001", "node1", "east", HASWELL);
        register("00000000-0000-4000-8000-000000000002", "node2", "east", HASWELL_XEON);

        Answer xml = get("/aggregates/east/recommended-cpu", "Accept", "application/xml");
        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.contentType()).startsWith("application/xml");
        assertThat(xml.body()).startsWith("<cpu mode='custom' match='exact'>");
        CpuDefinition recommended = CpuDefinition.parse(xml.body());
        assertThat(recommended.model())
                .isEqualTo(libvirtBaseline(List.of(HASWELL, HASWELL_XEON)).model());
        assertThat(xml.body())
                .isEqualTo(get("/aggregates/east/recommended-cpu")
                        .json()
                        .get("libvirtXml")
                        .asString());

        Answer json = get("/aggregates/east/recommended-cpu");
        String etag = json.header("ETag");
        assertThat(etag).isNotBlank().isNotEqualTo(xml.header("ETag"));
        assertThat(get("/aggregates/east/recommended-cpu", "If-None-Match", etag)
                        .status())
                .isEqualTo(304);
        assertThat(get(
                                "/aggregates/east/recommended-cpu",
                                "Accept",
                                "application/xml",
                                "If-None-Match",
                                xml.header("ETag"))
                        .status())
                .isEqualTo(304);

        register("00000000-0000-4000-8000-000000000003", "node3", "east", IVY_BRIDGE);
        Answer changed = get("/aggregates/east/recommended-cpu", "If-None-Match", etag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void identicalHostsKeepTheirOwnModel() {
        register("00000000-0000-4000-8000-000000000001", "node1", "twins", HASWELL);
        register("00000000-0000-4000-8000-000000000002", "node2", "twins", HASWELL);
        JsonNode baseline = get("/aggregates/twins/baseline?driver=test").json();
        assertThat(baseline.get("model").asString()).isEqualTo("Haswell-noTSX");
        assertThat(baseline.get("fallback").asString()).isEqualTo("forbid");
        assertThat(features(baseline)).isEqualTo(features(libvirtBaseline(List.of(HASWELL, HASWELL))));
        JsonNode cpu = get("/aggregates/twins/recommended-cpu").json();
        assertThat(cpu.get("model").asString()).isEqualTo("Haswell-noTSX");
        assertThat(cpu.get("reasons").get("limitingHosts")).isEmpty();
        assertThat(cpu.get("reasons").get("featuresLeftOut")).isEmpty();
    }

    @Test
    void emptyAggregateIsAConflict() {
        assertThat(post("/aggregates", Map.of("id", "empty")).status()).isEqualTo(201);
        Answer answer = get("/aggregates/empty/recommended-cpu");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("detail").asString()).contains("no hosts");
    }

    @Test
    void intelAndAmdShareNoModel() {
        register("00000000-0000-4000-8000-000000000001", "intel-1", "mixed", HASWELL);
        register("00000000-0000-4000-8000-000000000002", "amd-1", "mixed", EPYC);
        Answer answer = get("/aggregates/mixed/recommended-cpu");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("detail").asString()).contains("vendor");
        assertThat(answer.json().get("hosts").toString()).contains("intel-1").contains("amd-1");

        Answer xml = get("/aggregates/mixed/recommended-cpu", "Accept", "application/xml");
        assertThat(xml.status()).isEqualTo(409);
    }

    @Test
    void mixedArchitecturesShareNoModel() {
        register("00000000-0000-4000-8000-000000000001", "x86-1", "mixed-arch", HASWELL);
        Answer arm = post(
                "/hosts",
                Map.of(
                        "uuid",
                        "00000000-0000-4000-8000-000000000002",
                        "hostname",
                        "arm-1",
                        "aggregates",
                        List.of("mixed-arch"),
                        "cpu",
                        Map.of(
                                "arch",
                                "aarch64",
                                "vendor",
                                "ARM",
                                "model",
                                "Neoverse-N1",
                                "features",
                                List.of("sve"))));
        assertThat(arm.status()).as(arm.body()).isEqualTo(201);
        Answer answer = get("/aggregates/mixed-arch/recommended-cpu");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().get("detail").asString()).contains("aarch64").contains("x86_64");
        assertThat(answer.json().get("hosts").toString()).contains("arm-1");
    }

    /**
     * A feature the catalog does not know refuses nothing: no guest can be given what its libvirt cannot name, so the
     * answer leaves it out and says which hosts reported it.
     */
    @Test
    void anUnknownFeatureIsLeftOutOfTheAnswerWithAWarningNamingItsHosts() {
        register(
                "00000000-0000-4000-8000-000000000001",
                "cooper",
                "new",
                "libvirt-9.9.0/x86_64-cpuid-Cooperlake-host.xml");
        register(
                "00000000-0000-4000-8000-000000000002",
                "skylake",
                "new",
                "libvirt-9.9.0/x86_64-cpuid-Xeon-Gold-6148-host.xml");
        Answer answer = get("/aggregates/new/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> leftOut = new ArrayList<>();
        answer.json().get("warnings").forEach(w -> {
            if (w.asString().startsWith("left out: ")) {
                leftOut.add(w.asString());
            }
        });
        assertThat(leftOut)
                .singleElement()
                .asString()
                .startsWith("left out: features libvirt 9.0 does not define")
                .contains("flush-l1d (hosts cooper)")
                .doesNotContain("skylake");
        assertThat(answer.json().get("libvirtXml").asString()).doesNotContain("flush-l1d");
        assertThat(answer.json().get("qemuCpu").asString()).doesNotContain("flush-l1d");
    }

    /**
     * A model the catalog does not know is read from the CPU's features where they are known in full (the expansion
     * the agent sends); with its capabilities alone (the model plus the few features on top of it) the CPU cannot be
     * read, and the refusal says what would read it.
     */
    @Test
    void anUnknownModelIsReadFromTheExpandedFeaturesAndRefusedWithTheRemedyWithoutThem() {
        String file = "libvirt-newer/x86_64-cpuid-EPYC-9334-32-Core-host.xml";
        Answer alone =
                post("/hosts", registration("00000000-0000-4000-8000-000000000011", "genoa", List.of("caps"), file));
        assertThat(alone.status()).isEqualTo(201);
        assertThat(alone.json().path("cpu").path("modelKnown").asBoolean()).isFalse();
        String model = alone.json().path("cpu").path("model").asString();
        JsonNode refused = assertProblem(get("/aggregates/caps/recommended-cpu"), 409);
        assertThat(refused.path("title").asString()).isEqualTo("Host CPU cannot be read");
        assertThat(refused.path("detail").asString()).contains(model, "agent", "expandedCpuXml");
        assertThat(refused.path("hosts").toString()).contains("genoa");

        Map<String, Object> expanded = new java.util.LinkedHashMap<>(
                registration("00000000-0000-4000-8000-000000000012", "genoa-2", List.of("expanded"), file));
        expanded.put("expandedCpuXml", expandedWithLibvirt128sMap(file));
        assertThat(post("/hosts", expanded).status()).isEqualTo(201);
        Answer answer = get("/aggregates/expanded/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("warnings").toString())
                .contains("host genoa-2 names CPU model '" + model + "', which libvirt 9.0 does not define: read as ");
    }

    /** What {@code virsh cpu-baseline --features} of libvirt 12.8 gives for a fixture CPU: every feature listed. */
    private static String expandedWithLibvirt128sMap(String file) {
        CpuCatalog map = CpuCatalog.bundled(BundledMap.LIBVIRT_12_8);
        CpuDefinition cpu = CpuDefinition.parse(cpuData(file));
        FeatureSet all = map.expand(
                map.model(cpu.model()).orElseThrow().features(),
                cpu.requiredFeatureNames(),
                cpu.disabledFeatureNames(),
                name -> {
                    throw new AssertionError(name);
                });
        return CpuDefinition.host(cpu.arch(), cpu.model(), cpu.vendor(), map.featureNames(all))
                .toHostCpuXml();
    }
}
