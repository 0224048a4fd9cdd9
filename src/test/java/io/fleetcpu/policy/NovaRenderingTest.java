package io.fleetcpu.policy;

import static io.fleetcpu.policy.PolicyHosts.DIR_9_9;
import static io.fleetcpu.policy.PolicyHosts.all;
import static io.fleetcpu.policy.PolicyHosts.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.GuestVisibility;
import io.fleetcpu.policy.render.CpuConfigRenderer;
import io.fleetcpu.policy.render.NovaCpuModels;
import io.fleetcpu.policy.render.PlacementTraits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What nova gets from fleetcpu, on real CPUs: {@code [libvirt] cpu_models} listing every model all hosts can run,
 * oldest first, and the Placement traits every host has; each nova.conf section checked against the rules of nova's
 * own option definitions and driver.
 *
 * <p>Expected model lists are derived here from libvirt 9.0's cpu_map (the bundled catalog): its index.xml lists the
 * generic models (486 … qemu64, kvm64), then Intel's (Conroe, Penryn, Nehalem, Westmere, SandyBridge, IvyBridge,
 * Haswell-noTSX, Haswell-noTSX-IBRS, Haswell, …) and AMD's (athlon, phenom, Opteron_G1 … G5, EPYC, EPYC-IBPB, …) in
 * the order they came out; a model is left out when it is obsolete (the service's default list), another vendor's,
 * or has a feature a host lacks or KVM never gives guests (host-only-features.tsv: monitor, ds, acpi…).
 */
class NovaRenderingTest {

    private static final CpuCatalog CATALOG = CpuCatalog.bundled();
    private static final PolicyRecommender RECOMMENDER = new PolicyRecommender(
            CATALOG,
            new GuestVisibility(CATALOG, HostOnlyFeatures.bundled()),
            Set.copyOf(PolicyRecommender.OBSOLETE_MODELS));
    private static final CpuConfigRenderer RENDERER = new CpuConfigRenderer(CATALOG);

    /** Haswell-EP (Haswell-noTSX, no spec-ctrl in this capture) and Broadwell-EP (Broadwell). */
    private static final List<PolicyHost> HASWELL_AND_BROADWELL =
            all(host("hsw", DIR_9_9 + "Xeon-E5-2630-v3-host.xml"), host("bdw", DIR_9_9 + "Xeon-E5-2630-v4-host.xml"));
    /** The models both of them run, oldest first: what nova's cpu_models lists for them. */
    private static final List<String> HASWELL_AND_BROADWELL_MODELS =
            List.of("kvm64", "Conroe", "Penryn", "Nehalem", "Westmere", "SandyBridge", "IvyBridge", "Haswell-noTSX");
    /** Two Zen 1 CPUs (EPYC, no ibpb in these captures). */
    private static final List<PolicyHost> ZEN = all(
            host("epyc", DIR_9_9 + "EPYC-7601-32-Core-host.xml"),
            host("ryzen", DIR_9_9 + "Ryzen-7-1800X-Eight-Core-host.xml"));

    @Test
    void intelHostsGetEveryModelTheyShareOldestFirst() {
        PolicyRecommendation rec = RECOMMENDER.recommend(HASWELL_AND_BROADWELL, CpuPolicy.DEFAULT, false);
        NovaCpuModels nova =
                RECOMMENDER.novaCpuModels(HASWELL_AND_BROADWELL, rec.cpu().model());
        // qemu64 has svm and core2duo monitor: neither runs here. No IBRS variant: no spec-ctrl. Haswell needs TSX
        // (hle, rtm), Broadwell-noTSX adx/rdseed/smap/3dnowprefetch, which the Haswell host lacks.
        assertThat(nova.models()).containsExactlyElementsOf(HASWELL_AND_BROADWELL_MODELS);
        assertThat(rec.cpu().model()).isEqualTo("Haswell-noTSX");

        String ini = RENDERER.novaConf(rec.cpu(), nova.models()).text();
        Map<String, String> section = NovaOptions.check(ini, CATALOG);
        assertThat(section.get("cpu_models"))
                .isEqualTo("kvm64, Conroe, Penryn, Nehalem, Westmere, SandyBridge, IvyBridge, Haswell-noTSX");
        assertThat(ini)
                .contains("# nova gives each instance the first of cpu_models with every CPU feature its flavor "
                        + "requires as trait:HW_CPU_X86_*=required, and kvm64 to flavors that require none; Haswell-noTSX is "
                        + "the recommended model\n");
    }

    @Test
    void amdHostsGetGenericAndAmdModelsOnly() {
        PolicyRecommendation rec = RECOMMENDER.recommend(ZEN, CpuPolicy.DEFAULT, false);
        NovaCpuModels nova = RECOMMENDER.novaCpuModels(ZEN, rec.cpu().model());
        // athlon and phenom need 3dnow (Zen has none), Opteron_G4/G5 fma4 and xop, EPYC-IBPB ibpb, EPYC-Rome
        // clwb/rdpid/wbnoinvd. Opteron_G3's and EPYC's monitor (which KVM never gives) is removed='yes' in cpu_map,
        // so both run; qemu64's svm is there on AMD.
        assertThat(nova.models()).containsExactly("qemu64", "kvm64", "Opteron_G1", "Opteron_G2", "Opteron_G3", "EPYC");
        assertThat(rec.cpu().model()).isEqualTo("EPYC");
        NovaOptions.check(RENDERER.novaConf(rec.cpu(), nova.models()).text(), CATALOG);
    }

    @Test
    void domainCapabilitiesNarrowTheListAndThePinnedModelStaysIn() {
        List<PolicyHost> hosts = all(
                host("hsw", DIR_9_9 + "Xeon-E5-2630-v3-host.xml")
                        .withUsableModels(
                                List.of("kvm64", "Nehalem", "SandyBridge", "Haswell-noTSX", "Skylake-Client")),
                host("bdw", DIR_9_9 + "Xeon-E5-2630-v4-host.xml"));
        // Skylake-Client is usable on the first host but the hosts lack its features; Conroe … IvyBridge are not
        // usable there; the second host did not say, so it limits nothing.
        assertThat(RECOMMENDER.novaCpuModels(hosts, "Haswell-noTSX").models())
                .containsExactly("kvm64", "Nehalem", "SandyBridge", "Haswell-noTSX");
        // A model pinned by the policy is listed in its place even where a host cannot run it.
        assertThat(RECOMMENDER.novaCpuModels(HASWELL_AND_BROADWELL, "Broadwell").models())
                .containsExactlyElementsOf(Stream.concat(HASWELL_AND_BROADWELL_MODELS.stream(), Stream.of("Broadwell"))
                        .toList());
    }

    @Test
    void modelsQemuDeprecatesOnAnyHostAreLeftOut() {
        // QEMU 6.2's domain capabilities (real fixture, lines 101-102) mark Icelake-Client and Icelake-Client-noTSX
        // deprecated='yes'; QEMU 7.2's (fixture) no longer has them. This Ice Lake server (libvirt 5.6's capture: its
        // <cpu> names Icelake-Server, and libvirt 9.0's Icelake-Client and -noTSX have no feature Icelake-Server
        // lacks) runs both, so only the deprecation can leave them out.
        List<String> deprecated = io.fleetcpu.libvirtxml.DomainCapabilities.parse(
                        PolicyHosts.read("cpudata/domcaps/qemu_6.2.0-q35.x86_64.xml"))
                .deprecatedModelNames();
        assertThat(deprecated).containsExactly("Icelake-Client-noTSX", "Icelake-Client");
        PolicyHost icx =
                host("icx", PolicyHosts.DIR_5_6 + "Ice-Lake-Server-host.xml").toPolicyHost();
        PolicyHost onQemu62 =
                new PolicyHost("icx-2", icx.cpu(), null, null, null, icx.nested(), null, null, deprecated);

        List<String> without =
                RECOMMENDER.novaCpuModels(List.of(icx), "Icelake-Server").models();
        assertThat(without).contains("Icelake-Client", "Icelake-Client-noTSX", "Icelake-Server");
        List<String> expected = new ArrayList<>(without);
        expected.removeAll(deprecated);
        // One host of QEMU 6.2 is enough: nova-compute on it would refuse a model its QEMU drops.
        assertThat(RECOMMENDER
                        .novaCpuModels(List.of(icx, onQemu62), "Icelake-Server")
                        .models())
                .containsExactlyElementsOf(expected);
        // The recommended model stays listed whatever it is, as for a pinned model.
        assertThat(RECOMMENDER
                        .novaCpuModels(List.of(onQemu62), "Icelake-Client")
                        .models())
                .contains("Icelake-Client")
                .doesNotContain("Icelake-Client-noTSX");
    }

    @Test
    void theVersionsOfAnObsoleteModelAreObsoleteToo() {
        // libvirt 11.3's cpu_map defines 486-v1 as <model name='486'/> plus nothing (x86_486-v1.xml), and so on for
        // each QEMU version; the service's obsolete list names only 486, pentium, ..., as KubeVirt's default list
        // names both 486 and 486-v1. Every generic model runs on this Ice Lake (libvirt 9.9's capture, which libvirt
        // 11.3's map reads): the obsolete ones and their versions are left out, kvm64 and kvm64-v1 stay.
        CpuCatalog catalog = CpuCatalog.bundled(io.fleetcpu.catalog.BundledMap.LIBVIRT_11_3);
        Set<String> obsolete = Set.copyOf(PolicyRecommender.OBSOLETE_MODELS);
        List<PolicyHost> icx = all(host("icx", DIR_9_9 + "Ice-Lake-Server-host.xml"));
        List<String> every = new PolicyRecommender(
                        catalog, new GuestVisibility(catalog, HostOnlyFeatures.bundled()), Set.of())
                .novaCpuModels(icx, null)
                .models();
        assertThat(every).contains("486", "486-v1", "pentium-v1", "qemu32-v1", "kvm32-v1", "kvm64", "kvm64-v1");
        List<String> listed = new PolicyRecommender(
                        catalog, new GuestVisibility(catalog, HostOnlyFeatures.bundled()), obsolete)
                .novaCpuModels(icx, null)
                .models();
        assertThat(listed)
                .doesNotContain(
                        "486",
                        "486-v1",
                        "pentium",
                        "pentium-v1",
                        "pentium2-v1",
                        "pentium3-v1",
                        "qemu32",
                        "qemu32-v1",
                        "kvm32",
                        "kvm32-v1")
                .contains("kvm64", "kvm64-v1");
        List<String> expected = new ArrayList<>(every);
        expected.removeIf(m -> obsolete.contains(m) || obsolete.contains(m.replaceFirst("-v[0-9]+$", "")));
        assertThat(listed).containsExactlyElementsOf(expected);
    }

    @Test
    void placementListsTheTraitsOfTheGuestCpuAndTemplatesOnlyForOnesNovaCanMatch() {
        PolicyRecommendation rec = RECOMMENDER.recommend(HASWELL_AND_BROADWELL, CpuPolicy.DEFAULT, false);
        NovaCpuModels nova =
                RECOMMENDER.novaCpuModels(HASWELL_AND_BROADWELL, rec.cpu().model());
        String out = PlacementTraits.render(
                "east", nova, rec.cpu(), RENDERER.guestFeatures(rec.cpu(), nova.sharedFeatures()));
        List<String> traits =
                out.lines().filter(l -> l.startsWith("HW_CPU_X86_")).toList();
        // Haswell-noTSX's features through nova's CPU_TRAITS_MAPPING, plus abm, which both hosts list on top of their
        // models; not vmx, which both hosts have but the guest CPU disables (nested virtualisation off). SSE3 is
        // absent: libvirt names it pni (sse3 is only QEMU's alias), and nova's table keys it 'sse3', so nova never
        // reports it on libvirt.
        assertThat(traits)
                .containsExactly(
                        "HW_CPU_X86_ABM",
                        "HW_CPU_X86_AESNI",
                        "HW_CPU_X86_AVX",
                        "HW_CPU_X86_AVX2",
                        "HW_CPU_X86_BMI",
                        "HW_CPU_X86_BMI2",
                        "HW_CPU_X86_CLMUL",
                        "HW_CPU_X86_F16C",
                        "HW_CPU_X86_FMA3",
                        "HW_CPU_X86_MMX",
                        "HW_CPU_X86_SSE",
                        "HW_CPU_X86_SSE2",
                        "HW_CPU_X86_SSE41",
                        "HW_CPU_X86_SSE42",
                        "HW_CPU_X86_SSSE3");
        // No Intel model has abm, so nova's _match_cpu_model_by_flags would fail a flavor requiring it.
        assertThat(out).contains("# do not require HW_CPU_X86_ABM: no model");
        List<String> templates =
                out.lines().filter(l -> l.startsWith("openstack ")).toList();
        assertThat(templates)
                .hasSize(traits.size() - 1)
                .contains("openstack flavor set FLAVOR --property trait:HW_CPU_X86_AVX2=required");
        assertThat(out).contains("FLAVOR is a placeholder");
        for (String line : templates) {
            assertThat(line).matches("openstack flavor set FLAVOR --property trait:HW_CPU_X86_[A-Z0-9_]+=required");
        }
    }

    @Test
    void novaCpuTraitsAreNovasTableAndOsTraitsNames() {
        // os_traits/hw/cpu/x86/__init__.py, amd.py and intel.py (openstack/os-traits d4ac0c177eb3): every HW_CPU_X86_*
        // name there; amd.py/intel.py names are HW_CPU_X86_AMD_* / HW_CPU_X86_INTEL_*.
        Set<String> osTraits = new HashSet<>(List.of(
                "AVX",
                "AVX2",
                "CLMUL",
                "FMA3",
                "FMA4",
                "F16C",
                "MMX",
                "SSE",
                "SSE2",
                "SSE3",
                "SSSE3",
                "SSE41",
                "SSE42",
                "SSE4A",
                "XOP",
                "3DNOW",
                "AVX512F",
                "AVX512CD",
                "AVX512PF",
                "AVX512ER",
                "AVX512VL",
                "AVX512BW",
                "AVX512DQ",
                "AVX512VNNI",
                "AVX512VBMI",
                "AVX512IFMA",
                "AVX512VBMI2",
                "AVX512BITALG",
                "AVX512VAES",
                "AVX512GFNI",
                "AVX512VPCLMULQDQ",
                "AVX512VPOPCNTDQ",
                "ABM",
                "BMI",
                "BMI2",
                "TBM",
                "AESNI",
                "SHA",
                "MPX",
                "SGX",
                "TSX",
                "ASF",
                "VMX",
                "SVM",
                "PDPE1GB",
                "STIBP",
                "AMXBF16",
                "AMXINT8",
                "AMXTILE",
                "AMD_SEV",
                "AMD_SEV_ES",
                "AMD_SEV_SNP",
                "AMD_SVM",
                "AMD_IBPB",
                "AMD_NO_SSB",
                "AMD_SSBD",
                "AMD_VIRT_SSBD",
                "INTEL_MD_CLEAR",
                "INTEL_PCID",
                "INTEL_SPEC_CTRL",
                "INTEL_SSBD",
                "INTEL_VMX",
                "INTEL_TDX"));
        assertThat(PlacementTraits.NOVA_CPU_TRAITS).hasSize(44);
        PlacementTraits.NOVA_CPU_TRAITS
                .values()
                .forEach(t -> assertThat(osTraits).containsAll(t));
        // Every key is a libvirt feature name but nova's 'sse3' (libvirt's pni).
        List<String> unknown = PlacementTraits.NOVA_CPU_TRAITS.keySet().stream()
                .filter(f -> CATALOG.feature(f).isEmpty())
                .toList();
        assertThat(unknown).containsExactly("sse3");
        assertThat(PlacementTraits.of(List.of("pni", "svm", "pdpe1gb", "avx512-vpopcntdq")))
                .containsExactly("HW_CPU_X86_AMD_SVM", "HW_CPU_X86_AVX512VPOPCNTDQ", "HW_CPU_X86_SVM");
    }

    @Test
    void everyRenderingPassesNovasOptionRules() {
        for (List<PolicyHost> hosts : List.of(HASWELL_AND_BROADWELL, ZEN)) {
            for (CpuPolicy policy : List.of(
                    CpuPolicy.DEFAULT,
                    CpuPolicy.of(CpuPolicy.Goal.MIGRATION, CpuPolicy.Nested.ALLOWED),
                    CpuPolicy.of(CpuPolicy.Goal.BALANCED, CpuPolicy.Nested.OFF),
                    CpuPolicy.of(CpuPolicy.Goal.PERFORMANCE, CpuPolicy.Nested.ALLOWED))) {
                PolicyRecommendation rec;
                try {
                    rec = RECOMMENDER.recommend(hosts, policy, false);
                } catch (BaselineRefusedException | PolicyConflictException e) {
                    continue;
                }
                NovaCpuModels nova = RECOMMENDER.novaCpuModels(hosts, rec.cpu().model());
                List<String> models = rec.cpu().mode() == GuestCpu.Mode.CUSTOM ? nova.models() : List.of();
                Map<String, String> section =
                        NovaOptions.check(RENDERER.novaConf(rec.cpu(), models).text(), CATALOG);
                assertThat(section.get("cpu_mode")).isEqualTo(rec.cpu().mode().libvirtName());
            }
        }
    }

    @Test
    void theRulesCatchWhatNovaRefuses() {
        // The checker must be able to fail: each section breaks one rule nova enforces.
        assertThat(NovaOptions.problems("[libvirt]\ncpu_mode = host-model\ncpu_models = Haswell\n", CATALOG))
                .anyMatch(p -> p.contains("not required when cpu_mode!=custom"));
        assertThat(NovaOptions.problems("[libvirt]\ncpu_mode = custom\n", CATALOG))
                .anyMatch(p -> p.contains("required when cpu_mode=custom"));
        assertThat(NovaOptions.problems("[libvirt]\ncpu_mode = hostmodel\n", CATALOG))
                .anyMatch(p -> p.contains("not one of"));
        assertThat(NovaOptions.problems("[libvirt]\ncpu_mode = custom\ncpu_models = Haswel\n", CATALOG))
                .anyMatch(p -> p.contains("Haswel"));
        assertThat(NovaOptions.problems("[libvirt]\ncpu_mode = custom\ncpu_models = Haswell, haswell\n", CATALOG))
                .anyMatch(p -> p.contains("twice"));
        assertThat(NovaOptions.problems(
                        "[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n" + "cpu_model_extra_flags = VMX, sse3\n",
                        CATALOG))
                .hasSize(2);
        assertThat(NovaOptions.problems(
                        "[libvirt]\ncpu_mode = custom\ncpu_models = Haswell\n" + "cpu_model_extra_flags = vmx, -vmx\n",
                        CATALOG))
                .anyMatch(p -> p.contains("both"));
    }

    /**
     * nova's rules for the three options, as its source states them (openstack/nova 00a030403f67):
     * <ul>
     * <li>nova/conf/libvirt.py: {@code cpu_mode} is a StrOpt with choices host-model, host-passthrough, custom, none;
     * {@code cpu_models} and {@code cpu_model_extra_flags} are ListOpts (comma-separated, items stripped).</li>
     * <li>nova/virt/libvirt/driver.py {@code _check_cpu_compatibility}: "The cpu_models option is not required when
     * cpu_mode!=custom" and "The cpu_models option is required when cpu_mode=custom" (nova-compute refuses to
     * start).</li>
     * <li>{@code _get_cpu_model_mapping}: a model is looked up case-insensitively among the names libvirt knows
     * (here: the catalog), else "Configured CPU model ... is not correct".</li>
     * <li>{@code _get_guest_cpu_model_config}/{@code _prepare_cpu_flag}: each flag is lower-cased, a leading '-'
     * disables, '+' or nothing requires; the result goes to libvirt as a {@code <feature name>}, so it must be a
     * libvirt feature name, which are lower-case. fleetcpu writes them lower-case so that what is read is what
     * libvirt gets; a flag both required and disabled would give libvirt the feature twice.</li>
     * </ul>
     */
    static final class NovaOptions {

        static final Set<String> CPU_MODES = Set.of("host-model", "host-passthrough", "custom", "none");

        static Map<String, String> check(String ini, CpuCatalog catalog) {
            assertThat(problems(ini, catalog)).as(ini).isEmpty();
            return section(ini);
        }

        static List<String> problems(String ini, CpuCatalog catalog) {
            Map<String, String> libvirt = section(ini);
            List<String> problems = new ArrayList<>();
            String mode = libvirt.get("cpu_mode");
            if (mode != null && !CPU_MODES.contains(mode)) {
                problems.add("cpu_mode '" + mode + "' is not one of " + CPU_MODES);
            }
            List<String> models = listOpt(libvirt.get("cpu_models"));
            if (!"custom".equals(mode) && !models.isEmpty()) {
                problems.add("The cpu_models option is not required when cpu_mode!=custom");
            }
            if ("custom".equals(mode) && models.isEmpty()) {
                problems.add("The cpu_models option is required when cpu_mode=custom");
            }
            Set<String> seen = new HashSet<>();
            for (String model : models) {
                boolean known = catalog.models().stream().anyMatch(m -> m.name().equalsIgnoreCase(model));
                if (!known) {
                    problems.add("Configured CPU model: " + model + " is not correct");
                }
                if (!seen.add(model.toLowerCase(Locale.ROOT))) {
                    problems.add("cpu_models names " + model + " twice");
                }
            }
            Map<String, Boolean> flags = new LinkedHashMap<>();
            for (String flag : listOpt(libvirt.get("cpu_model_extra_flags"))) {
                if (!flag.equals(flag.toLowerCase(Locale.ROOT))) {
                    problems.add("flag '" + flag + "' is not lower-case: nova passes '" + flag.toLowerCase(Locale.ROOT)
                            + "', not what was written");
                }
                boolean disable = flag.startsWith("-");
                String name = flag.toLowerCase(Locale.ROOT).replaceFirst("^[-+]", "");
                if (catalog.feature(name).isEmpty()) {
                    problems.add("flag '" + name + "' is not a libvirt feature name");
                }
                Boolean before = flags.put(name, disable);
                if (before != null && before != disable) {
                    problems.add("flag '" + name + "' is both required and disabled");
                }
            }
            return problems;
        }

        private static Map<String, String> section(String ini) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean inLibvirt = false;
            for (String raw : ini.split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    inLibvirt = line.equals("[libvirt]");
                    continue;
                }
                int eq = line.indexOf('=');
                if (inLibvirt && eq > 0) {
                    values.put(
                            line.substring(0, eq).strip(),
                            line.substring(eq + 1).strip());
                }
            }
            return values;
        }

        private static List<String> listOpt(String value) {
            return value == null || value.isBlank()
                    ? List.of()
                    : Arrays.stream(value.split(","))
                            .map(String::strip)
                            .filter(s -> !s.isEmpty())
                            .toList();
        }
    }
}
