package io.fleetcpu.libvirtxml;

import static io.fleetcpu.libvirtxml.XmlText.escape;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A CPU as libvirt describes it in a {@code <cpu>} element: a host CPU (shape 1: model plus the features it has
 * on top, no policies), a guest CPU definition (shape 2: {@code mode}, {@code match}, {@code <model fallback>},
 * a policy on each feature), or the host-model CPU of domain capabilities. A model name stands for that model's
 * whole feature list in libvirt's cpu_map; {@link #features()} lists only what is said on top of it.
 *
 * <p>Every field but {@code features} may be null when the document leaves it out.
 *
 * @param arch             {@code <arch>}, e.g. {@code x86_64}
 * @param mode             {@code <cpu mode>}: custom, host-model, host-passthrough, maximum
 * @param match            {@code <cpu match>}: minimum, exact, strict
 * @param model            {@code <model>}, e.g. {@code Haswell-noTSX-IBRS}
 * @param modelFallback    {@code <model fallback>}: allow or forbid
 * @param vendor           {@code <vendor>}, e.g. {@code Intel}, {@code AMD}
 * @param microcodeVersion {@code <microcode version>}, as libvirt writes it (a decimal number)
 * @param signature        {@code <signature>} (host CPUs of libvirt 6.x and later)
 * @param topology         {@code <topology>}
 * @param features         the {@code <feature>} elements in document order, names unique
 */
public record CpuDefinition(
        @Nullable String arch,
        @Nullable String mode,
        @Nullable String match,
        @Nullable String model,
        @Nullable String modelFallback,
        @Nullable String vendor,
        @Nullable String microcodeVersion,
        @Nullable CpuSignature signature,
        @Nullable CpuTopology topology,
        List<CpuFeature> features) {

    /** The values of {@code <cpu mode>} libvirt takes. */
    public static final List<String> MODES = List.of("custom", "host-model", "host-passthrough", "maximum");

    /** The values of {@code <cpu match>} libvirt takes. */
    public static final List<String> MATCHES = List.of("minimum", "exact", "strict");

    static final List<String> FALLBACKS = List.of("allow", "forbid");

    private static final String DOCUMENT = "cpu";

    public CpuDefinition {
        features = List.copyOf(Objects.requireNonNull(features, "features"));
        Set<String> seen = new HashSet<>();
        for (CpuFeature f : features) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("CPU feature '" + f.name() + "' is listed more than once");
            }
        }
    }

    /** A host-shape CPU: model, vendor and the features it has on top of the model. */
    public static CpuDefinition host(String arch, String model, String vendor, List<String> featureNames) {
        return new CpuDefinition(
                arch,
                null,
                null,
                model,
                null,
                vendor,
                null,
                null,
                null,
                featureNames.stream().map(CpuFeature::present).toList());
    }

    /**
     * Reads a standalone {@code <cpu>} document: a host or guest CPU file, or what {@code virsh cpu-baseline
     * [--features]} prints. Errors name the element at fault, e.g. "cpu: /cpu/feature[3]/@name is missing".
     */
    public static CpuDefinition parse(String xml) {
        return read(XmlElement.root(DOCUMENT, xml, "cpu"));
    }

    /** Names of the features the CPU has or the guest gets (host shape, {@code require}, {@code force}). */
    public List<String> requiredFeatureNames() {
        return features.stream()
                .filter(CpuFeature::isRequired)
                .map(CpuFeature::name)
                .toList();
    }

    /** Names of the features the guest is kept from ({@code disable}, {@code forbid}). */
    public List<String> disabledFeatureNames() {
        return features.stream()
                .filter(CpuFeature::isDisabled)
                .map(CpuFeature::name)
                .toList();
    }

    public CpuDefinition withArch(String newArch) {
        return new CpuDefinition(
                newArch, mode, match, model, modelFallback, vendor, microcodeVersion, signature, topology, features);
    }

    /**
     * This CPU written as a host-shape {@code <cpu>} (arch, model, vendor, one {@code <feature name>} per required
     * feature), the form {@code virsh cpu-baseline} and {@code virConnectBaselineCPU} read. Disabled features are
     * dropped: host shape cannot say "model minus a feature", so the result may claim more than the definition
     * (see {@link #disabledFeatureNames()}). Optional features are dropped too. Signature, microcode and topology
     * are left out.
     *
     * @throws IllegalStateException when there is no arch (libvirt refuses "Missing CPU architecture"):
     *                               use {@link #withArch(String)} first
     */
    public String toHostCpuXml() {
        if (arch == null) {
            throw new IllegalStateException("CPU definition has no arch; libvirt needs one for a host CPU");
        }
        StringBuilder xml = new StringBuilder("<cpu>\n");
        xml.append("  <arch>").append(escape(arch)).append("</arch>\n");
        if (model != null) {
            xml.append("  <model>").append(escape(model)).append("</model>\n");
        }
        if (vendor != null) {
            xml.append("  <vendor>").append(escape(vendor)).append("</vendor>\n");
        }
        for (String name : requiredFeatureNames()) {
            xml.append("  <feature name='").append(escape(name)).append("'/>\n");
        }
        return xml.append("</cpu>\n").toString();
    }

    /** Reads a {@code <cpu>} element: its mode and match attributes, then its body. */
    static CpuDefinition read(XmlElement cpu) {
        String mode = cpu.attributeOneOf("mode", MODES).orElse(null);
        String match = cpu.attributeOneOf("match", MATCHES).orElse(null);
        return readBody(cpu, null, mode, match);
    }

    /**
     * Reads the children libvirt puts in a {@code <cpu>} (also used for domain capabilities'
     * {@code <mode name='host-model'>}, which has the same children but no arch of its own).
     */
    static CpuDefinition readBody(
            XmlElement cpu, @Nullable String archIfAbsent, @Nullable String mode, @Nullable String match) {
        String arch = cpu.optionalChildText("arch").orElse(archIfAbsent);
        String model = null;
        String fallback = null;
        var modelElement = cpu.optionalChild("model");
        if (modelElement.isPresent()) {
            // <model fallback='allow'/> without a name is legal in domain XML for host-model
            model = modelElement.get().textOrNull();
            fallback = modelElement.get().attributeOneOf("fallback", FALLBACKS).orElse(null);
        }
        String vendor = cpu.optionalChildText("vendor").orElse(null);
        String microcode = cpu.optionalChild("microcode")
                .map(m -> {
                    long version =
                            m.numberAttribute("version").orElseThrow(() -> m.attributeProblem("version", "is missing"));
                    return Long.toString(version);
                })
                .orElse(null);
        CpuSignature signature =
                cpu.optionalChild("signature").map(CpuDefinition::readSignature).orElse(null);
        CpuTopology topology =
                cpu.optionalChild("topology").map(CpuDefinition::readTopology).orElse(null);
        return new CpuDefinition(
                arch, mode, match, model, fallback, vendor, microcode, signature, topology, readFeatures(cpu));
    }

    private static CpuSignature readSignature(XmlElement s) {
        return new CpuSignature(
                s.requiredIntAttribute("family"),
                s.requiredIntAttribute("model"),
                s.intAttribute("stepping").orElse(null));
    }

    private static CpuTopology readTopology(XmlElement t) {
        return new CpuTopology(
                t.requiredIntAttribute("sockets"),
                t.intAttribute("dies").orElse(null),
                t.intAttribute("clusters").orElse(null),
                t.requiredIntAttribute("cores"),
                t.requiredIntAttribute("threads"));
    }

    private static List<CpuFeature> readFeatures(XmlElement cpu) {
        Set<String> seen = new HashSet<>();
        return cpu.children("feature").stream()
                .map(f -> {
                    String name = f.requiredAttribute("name");
                    FeaturePolicy policy = f.attributeOneOf("policy", FeaturePolicy.libvirtNames())
                            .flatMap(FeaturePolicy::fromLibvirtName)
                            .orElse(null);
                    if (!seen.add(name)) {
                        // libvirt refuses this too ("CPU feature '%s' specified more than once")
                        throw f.problem("names feature '" + name + "' a second time");
                    }
                    return new CpuFeature(name, policy);
                })
                .toList();
    }
}
