package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code format=nova-conf} and {@code format=placement} over HTTP, on real CPUs: what an operator pastes into nova.conf
 * and runs for their flavors, with validators like the other formats.
 */
class NovaFormatsApiTest extends ApiAssertions {

    private static final String HASWELL_XEON = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String BROADWELL_XEON = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v4-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";

    private void register(String uuid, String hostname, String aggregate, String file) {
        Answer answer = post("/hosts", registration(uuid, hostname, List.of(aggregate), file));
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
    }

    @Test
    void theModelsQemuDeprecatesAreKeptWithTheHost() {
        // QEMU 6.2's domain capabilities (real fixture, an EPYC-Rome host-model; lines 101-102) mark Icelake-Client
        // and Icelake-Client-noTSX deprecated='yes', in that order: Icelake-Client-noTSX first.
        String uuid = "00000000-0000-4000-8000-000000000004";
        Map<String, Object> body =
                registration(uuid, "rome", List.of("amd"), "libvirt-9.9.0/x86_64-cpuid-EPYC-7502-32-Core-host.xml");
        body.put("domainCapabilitiesXml", cpuData("domcaps/qemu_6.2.0-q35.x86_64.xml"));
        Answer answer = post("/hosts", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(JSON.convertValue(
                        get("/hosts/" + uuid).json().get("guestModels").get("deprecatedModels"), List.class))
                .containsExactly("Icelake-Client-noTSX", "Icelake-Client");
        // QEMU 7.2's (real fixture) deprecate nothing: an empty list.
        String other = "00000000-0000-4000-8000-000000000005";
        Map<String, Object> hsw = registration(other, "hsw", List.of("east"), HASWELL_XEON);
        hsw.put("domainCapabilitiesXml", cpuData("domcaps/qemu_7.2.0-q35.x86_64.xml"));
        assertThat(post("/hosts", hsw).status()).isEqualTo(201);
        assertThat(get("/hosts/" + other)
                        .json()
                        .get("guestModels")
                        .get("deprecatedModels")
                        .size())
                .isZero();
    }

    @Test
    void novaConfListsEveryModelAllHostsRunOldestFirst() {
        register("00000000-0000-4000-8000-000000000001", "hsw", "east", HASWELL_XEON);
        register("00000000-0000-4000-8000-000000000002", "bdw", "east", BROADWELL_XEON);

        Answer nova = get("/aggregates/east/recommended-cpu?format=nova-conf");
        assertThat(nova.status()).as(nova.body()).isEqualTo(200);
        assertThat(nova.contentType()).startsWith("text/plain");
        // libvirt's index.xml order; qemu64 (svm), core2duo (monitor), the IBRS variants (spec-ctrl), Haswell (TSX)
        // and Broadwell-noTSX (adx, rdseed, smap: not on the Haswell) are not on both hosts.
        assertThat(nova.body())
                .contains(
                        "\ncpu_mode = custom\n",
                        "\ncpu_models = kvm64, Conroe, Penryn, Nehalem, Westmere, SandyBridge, IvyBridge, Haswell-noTSX\n",
                        "\ncpu_model_extra_flags = ");
        assertThat(nova.body())
                .isEqualTo(get("/aggregates/east/recommended-cpu")
                        .json()
                        .get("novaConf")
                        .asString());

        String etag = nova.header("ETag");
        assertThat(etag).isNotBlank();
        assertThat(get("/aggregates/east/recommended-cpu?format=nova-conf", "If-None-Match", etag)
                        .status())
                .isEqualTo(304);
        Answer placement = get("/aggregates/east/recommended-cpu?format=placement");
        assertThat(placement.header("ETag")).isNotEqualTo(etag);
        assertThat(get("/aggregates/east/recommended-cpu?format=placement", "If-None-Match", etag)
                        .status())
                .isEqualTo(200);

        // A host that runs less shortens the list, and the old validator no longer matches.
        register("00000000-0000-4000-8000-000000000003", "ivy", "east", IVY_BRIDGE);
        Answer changed = get("/aggregates/east/recommended-cpu?format=nova-conf", "If-None-Match", etag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body())
                .contains("\ncpu_models = kvm64, Conroe, Penryn, Nehalem, Westmere, SandyBridge, " + "IvyBridge\n");
    }

    @Test
    void placementGivesTheTraitsEveryHostHasAndFlavorTemplates() {
        register("00000000-0000-4000-8000-000000000001", "hsw", "east", HASWELL_XEON);
        register("00000000-0000-4000-8000-000000000002", "ivy", "east", IVY_BRIDGE);

        Answer placement = get("/aggregates/east/recommended-cpu?format=placement");
        assertThat(placement.status()).as(placement.body()).isEqualTo(200);
        assertThat(placement.contentType()).startsWith("text/plain");
        List<String> traits = placement
                .body()
                .lines()
                .filter(l -> l.startsWith("HW_CPU_X86_"))
                .toList();
        // Ivy Bridge has no AVX2, FMA3, BMI/BMI2 (Haswell's): the aggregate does not either.
        assertThat(traits)
                .contains("HW_CPU_X86_AVX", "HW_CPU_X86_AESNI", "HW_CPU_X86_SSE42", "HW_CPU_X86_F16C")
                .doesNotContain(
                        "HW_CPU_X86_AVX2", "HW_CPU_X86_FMA3", "HW_CPU_X86_BMI", "HW_CPU_X86_BMI2", "HW_CPU_X86_SSE3");
        assertThat(placement.body())
                .contains(
                        "FLAVOR is a placeholder",
                        "openstack flavor set FLAVOR --property trait:HW_CPU_X86_AVX=required\n");
        assertThat(placement.body()).doesNotContain("trait:HW_CPU_X86_AVX2=");

        String etag = placement.header("ETag");
        assertThat(get("/aggregates/east/recommended-cpu?format=placement", "If-None-Match", etag)
                        .status())
                .isEqualTo(304);
        register("00000000-0000-4000-8000-000000000003", "hsw-2", "east", HASWELL_XEON);
        assertThat(get("/aggregates/east/recommended-cpu?format=placement", "If-None-Match", etag)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void unknownFormatNamesPlacementAmongTheChoices() {
        register("00000000-0000-4000-8000-000000000001", "hsw", "east", HASWELL_XEON);
        assertThat(assertProblem(get("/aggregates/east/recommended-cpu?format=traits"), 400)
                        .toString())
                .contains("placement");
        assertProblem(get("/aggregates/nowhere/recommended-cpu?format=placement"), 404);
    }
}
