package io.fleetcpu.policy.render;

import io.fleetcpu.policy.guest.GuestCpu;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Placement traits nova's libvirt driver reports for CPU features, and the flavor properties that require them.
 *
 * <p>The table is nova's own {@code CPU_TRAITS_MAPPING} (nova/virt/libvirt/utils.py, openstack/nova commit
 * 00a030403f67): libvirt's feature names to os-traits' {@code HW_CPU_X86_*} names (os_traits/hw/cpu/x86/__init__.py,
 * amd.py and intel.py of openstack/os-traits). Nova reports no trait for a feature outside it, so fleetcpu lists none
 * either, even where os-traits has a name (PDPE1GB, STIBP, the AMD and Intel mitigation traits). {@code svm} and
 * {@code vmx} give two traits each, the old generic one and the vendor's, as nova keeps both.
 *
 * <p>Nova's traits come from the guest CPU it configures, not the host: with {@code cpu_mode = custom}, the features of
 * every model of {@code cpu_models} and the {@code cpu_model_extra_flags}; with host-model or host-passthrough, the
 * host's features plus the extra flags (nova/virt/libvirt/driver.py {@code _get_cpu_feature_traits}).
 */
public final class PlacementTraits {

    /** nova/virt/libvirt/utils.py CPU_TRAITS_MAPPING, as it stands; the values without the HW_CPU_X86_ prefix. */
    public static final Map<String, List<String>> NOVA_CPU_TRAITS = Map.ofEntries(
            Map.entry("3dnow", List.of("3DNOW")),
            Map.entry("abm", List.of("ABM")),
            Map.entry("aes", List.of("AESNI")),
            Map.entry("amx-bf16", List.of("AMXBF16")),
            Map.entry("amx-int8", List.of("AMXINT8")),
            Map.entry("amx-tile", List.of("AMXTILE")),
            Map.entry("avx", List.of("AVX")),
            Map.entry("avx2", List.of("AVX2")),
            Map.entry("avx512bw", List.of("AVX512BW")),
            Map.entry("avx512cd", List.of("AVX512CD")),
            Map.entry("avx512dq", List.of("AVX512DQ")),
            Map.entry("avx512er", List.of("AVX512ER")),
            Map.entry("avx512f", List.of("AVX512F")),
            Map.entry("avx512pf", List.of("AVX512PF")),
            Map.entry("avx512vl", List.of("AVX512VL")),
            Map.entry("avx512vnni", List.of("AVX512VNNI")),
            Map.entry("avx512vbmi", List.of("AVX512VBMI")),
            Map.entry("avx512ifma", List.of("AVX512IFMA")),
            Map.entry("avx512vbmi2", List.of("AVX512VBMI2")),
            Map.entry("avx512bitalg", List.of("AVX512BITALG")),
            Map.entry("vaes", List.of("AVX512VAES")),
            Map.entry("gfni", List.of("AVX512GFNI")),
            Map.entry("vpclmulqdq", List.of("AVX512VPCLMULQDQ")),
            Map.entry("avx512-vpopcntdq", List.of("AVX512VPOPCNTDQ")),
            Map.entry("bmi1", List.of("BMI")),
            Map.entry("bmi2", List.of("BMI2")),
            Map.entry("pclmuldq", List.of("CLMUL")),
            Map.entry("f16c", List.of("F16C")),
            Map.entry("fma", List.of("FMA3")),
            Map.entry("fma4", List.of("FMA4")),
            Map.entry("mmx", List.of("MMX")),
            Map.entry("mpx", List.of("MPX")),
            Map.entry("sha-ni", List.of("SHA")),
            Map.entry("sse", List.of("SSE")),
            Map.entry("sse2", List.of("SSE2")),
            Map.entry("sse3", List.of("SSE3")),
            Map.entry("sse4.1", List.of("SSE41")),
            Map.entry("sse4.2", List.of("SSE42")),
            Map.entry("sse4a", List.of("SSE4A")),
            Map.entry("ssse3", List.of("SSSE3")),
            Map.entry("svm", List.of("SVM", "AMD_SVM")),
            Map.entry("tbm", List.of("TBM")),
            Map.entry("vmx", List.of("VMX", "INTEL_VMX")),
            Map.entry("xop", List.of("XOP")));

    /** The prefix of every trait here. */
    public static final String PREFIX = "HW_CPU_X86_";

    /** Where a flavor command names the operator's flavor: a placeholder, not a flavor fleetcpu knows. */
    public static final String FLAVOR_PLACEHOLDER = "FLAVOR";

    private PlacementTraits() {}

    /** The traits nova reports for these libvirt features, sorted; features without a trait give none. */
    public static List<String> of(List<String> features) {
        TreeSet<String> traits = new TreeSet<>();
        for (String feature : features) {
            NOVA_CPU_TRAITS.getOrDefault(feature, List.of()).forEach(t -> traits.add(PREFIX + t));
        }
        return List.copyOf(traits);
    }

    /**
     * The traits of the recommended guest CPU, one a line, then a flavor command per trait a flavor can require, as a
     * template. With a named model, nova matches a required trait only to a model of {@code cpu_models}
     * ({@code _match_cpu_model_by_flags}) and fails the boot when none has it, so traits no listed model has get no
     * command, only a warning.
     *
     * @param aggregate     the aggregate's id, for the heading
     * @param nova          the models and features of {@code policy.PolicyRecommender.novaCpuModels}
     * @param cpu           the recommended guest CPU
     * @param guestFeatures every feature of that guest CPU ({@link CpuConfigRenderer#guestFeatures}): a disabled
     *                      feature (a guest without svm) has no trait, whatever the hosts have
     */
    public static String render(String aggregate, NovaCpuModels nova, GuestCpu cpu, List<String> guestFeatures) {
        List<String> traits = of(guestFeatures);
        List<String> requirable = cpu.mode() == GuestCpu.Mode.CUSTOM ? of(nova.modelFeatures()) : traits;
        List<String> lines = new ArrayList<>();
        lines.add("# HW_CPU_X86_* traits of the guest CPU recommended for aggregate " + aggregate.replace('\n', ' ')
                + ": its features, named as nova's libvirt driver reports them to Placement (CPU_TRAITS_MAPPING, "
                + "nova/virt/libvirt/utils.py); a feature the CPU disables has none");
        lines.add("# nova reports the traits of the guest CPU it configures: with cpu_mode = custom those of the "
                + "cpu_models and cpu_model_extra_flags (format=nova-conf gives them), else the host's");
        traits.forEach(lines::add);
        List<String> notRequirable =
                traits.stream().filter(t -> !requirable.contains(t)).toList();
        if (!notRequirable.isEmpty()) {
            lines.add("# do not require " + String.join(", ", notRequirable) + ": no model of cpu_models has "
                    + (notRequirable.size() == 1 ? "it" : "them") + ", and nova fails the boot of a flavor that "
                    + "requires one (\"No CPU model match traits\")");
        }
        lines.add("");
        lines.add("# templates: " + FLAVOR_PLACEHOLDER + " is a placeholder for your flavor's name; a flavor that "
                + "requires a trait is scheduled only to hosts that report it"
                + (cpu.mode() == GuestCpu.Mode.CUSTOM
                        ? ", and nova gives its instances the first of cpu_models with " + "every feature it requires"
                        : ""));
        traits.stream()
                .filter(requirable::contains)
                .forEach(t -> lines.add(
                        "openstack flavor set " + FLAVOR_PLACEHOLDER + " --property trait:" + t + "=required"));
        return String.join("\n", lines) + "\n";
    }
}
