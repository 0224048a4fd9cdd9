package io.fleetcpu.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fleetcpu.agent.libvirt.LibvirtConnection;
import io.fleetcpu.agent.libvirt.LibvirtException;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import tools.jackson.databind.JsonNode;

/** The aggregate's recommended CPU, over HTTP, against libvirt's own baseline of the same hosts. */
class RecommendedCpuApiTest extends ApiTest {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";
    private static final String HASWELL_XEON = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final String EPYC = "libvirt-9.9.0/x86_64-cpuid-EPYC-7601-32-Core-host.xml";

    private void register(String uuid, String hostname, String aggregate, String file) {
        Answer answer = post("/hosts", registration(uuid, hostname, List.of(aggregate), file));
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
    }

    /** libvirt's own answer for the same host CPUs, on the in-process test driver. */
    private static CpuDefinition libvirtBaseline(List<String> files) {
        return libvirtBaseline(files, false);
    }

    private static CpuDefinition libvirtBaseline(List<String> files, boolean expand) {
        List<String> xml = files.stream().map(ApiTest::cpuData).toList();
        try (LibvirtConnection libvirt = LibvirtConnection.open("test:///default")) {
            return CpuDefinition.parse(libvirt.baselineCpu(xml, expand, false));
        } catch (LibvirtException e) {
            assumeTrue(false, "libvirt not available: " + e.getMessage());
            throw e;
        }
    }

    private static List<String> features(JsonNode answer) {
        List<String> features = new ArrayList<>();
        answer.get("features").forEach(f -> features.add(f.get("policy").asString() + ":" + f.get("name").asString()));
        return features;
    }

    private static List<String> features(CpuDefinition cpu) {
        return cpu.features().stream().map(RecommendedCpuApiTest::policyAndName).toList();
    }

    private static String policyAndName(CpuFeature f) {
        return f.policy().xmlName() + ":" + f.name();
    }

    @Test
    void baselineIsLibvirtsAndTheRecommendationExplainsItself() {
        register("00000000-0000-4000-8000-000000000001", "node1", "east", HASWELL);
        register("00000000-0000-4000-8000-000000000002", "node2", "east", HASWELL_XEON);
        register("00000000-0000-4000-8000-000000000003", "node3", "east", IVY_BRIDGE);
        CpuDefinition libvirt = libvirtBaseline(List.of(HASWELL, HASWELL_XEON, IVY_BRIDGE));

        JsonNode baseline = get("/aggregates/east/baseline").json();
        assertThat(baseline.get("model").asString()).isEqualTo(libvirt.model()).isEqualTo("IvyBridge");
        assertThat(baseline.get("vendor").asString()).isEqualTo(libvirt.vendor());
        assertThat(baseline.get("fallback").asString()).isEqualTo(libvirt.modelFallback());
        assertThat(features(baseline)).isEqualTo(features(libvirt));
        assertThat(CpuDefinition.parse(baseline.get("libvirtXml").asString())).isEqualTo(libvirt);
        assertThat(CpuDefinition.parse(get("/aggregates/east/baseline", "Accept", "application/xml").body()))
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
        assertThat(cpu.get("warnings").toString()).contains("sent no hypervisor view").contains("ds, acpi");
        assertThat(features(cpu)).isEqualTo(expected);
        assertThat(cpu.get("policy").get("goal").asString()).isEqualTo("migration");
        assertThat(cpu.get("explanations").toString()).contains("nested virtualisation off");
        assertThat(cpu.get("novaConf").asString()).startsWith("[libvirt]\n").contains("\ncpu_mode = custom\n")
                .contains("\ncpu_models = IvyBridge\n").contains(", -vmx\n");
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
    }

    @Test
    void expandedFormIsLibvirtsExpandedForm() {
        register("00000000-0000-4000-8000-000000000001", "node1", "east", HASWELL);
        register("00000000-0000-4000-8000-000000000002", "node2", "east", IVY_BRIDGE);
        CpuDefinition libvirt = libvirtBaseline(List.of(HASWELL, IVY_BRIDGE), true);

        JsonNode cpu = get("/aggregates/east/baseline?expand=true").json();
        assertThat(cpu.get("expanded").asBoolean()).isTrue();
        assertThat(cpu.get("model").asString()).isEqualTo(libvirt.model());
        assertThat(features(cpu)).isEqualTo(features(libvirt)).hasSizeGreaterThan(50);
        Answer xml = get("/aggregates/east/baseline?expand=true", "Accept", "application/xml");
        assertThat(CpuDefinition.parse(xml.body())).isEqualTo(libvirt);
        assertThat(xml.header("ETag")).isNotEqualTo(get("/aggregates/east/baseline", "Accept", "application/xml")
                .header("ETag"));
        // The recommendation's expanded form: the same guest as libvirt's, less what no guest gets on KVM and what
        // blocks migration, vmx taken away (nested off).
        Set<String> expected = new TreeSet<>(libvirt.requiredFeatureNames());
        expected.removeAll(HostOnlyFeatures.bundled().names());
        expected.removeAll(List.of("invtsc", "vmx"));
        JsonNode recommended = get("/aggregates/east/recommended-cpu?expand=true").json();
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
        assertThat(recommended.model()).isEqualTo(libvirtBaseline(List.of(HASWELL, HASWELL_XEON)).model());
        assertThat(xml.body()).isEqualTo(get("/aggregates/east/recommended-cpu").json().get("libvirtXml").asString());

        Answer json = get("/aggregates/east/recommended-cpu");
        String etag = json.header("ETag");
        assertThat(etag).isNotBlank().isNotEqualTo(xml.header("ETag"));
        assertThat(get("/aggregates/east/recommended-cpu", "If-None-Match", etag).status()).isEqualTo(304);
        assertThat(get("/aggregates/east/recommended-cpu", "Accept", "application/xml", "If-None-Match",
                xml.header("ETag")).status()).isEqualTo(304);

        register("00000000-0000-4000-8000-000000000003", "node3", "east", IVY_BRIDGE);
        Answer changed = get("/aggregates/east/recommended-cpu", "If-None-Match", etag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void identicalHostsKeepTheirOwnModel() {
        register("00000000-0000-4000-8000-000000000001", "node1", "twins", HASWELL);
        register("00000000-0000-4000-8000-000000000002", "node2", "twins", HASWELL);
        JsonNode baseline = get("/aggregates/twins/baseline").json();
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
        Answer arm = post("/hosts", Map.of("uuid", "00000000-0000-4000-8000-000000000002", "hostname", "arm-1",
                "aggregates", List.of("mixed-arch"),
                "cpu", Map.of("arch", "aarch64", "vendor", "ARM", "model", "Neoverse-N1", "features", List.of("sve"))));
        assertThat(arm.status()).as(arm.body()).isEqualTo(201);
        Answer answer = get("/aggregates/mixed-arch/recommended-cpu");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().get("detail").asString()).contains("aarch64").contains("x86_64");
        assertThat(answer.json().get("hosts").toString()).contains("arm-1");
    }

    @Test
    void unknownFeatureIsRefusedAsLibvirtDoes() {
        register("00000000-0000-4000-8000-000000000001", "cooper", "new", "libvirt-9.9.0/x86_64-cpuid-Cooperlake-host.xml");
        Answer answer = get("/aggregates/new/recommended-cpu");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().get("detail").asString()).contains("flush-l1d");
        assertThat(answer.json().get("hosts").toString()).contains("cooper");
    }
}
