package io.fleetcpu.libvirtxml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code virsh domcapabilities} ({@code virConnectGetDomainCapabilities}) says one emulator can give a guest on
 * this host, CPU part only: which CPU modes work, the CPU that {@code host-model} turns into, and which named models
 * the host can run.
 *
 * <p>libvirt's domain capabilities carry no hypervisor version of their own; the machine type (e.g.
 * {@code pc-q35-8.2}) is the nearest thing.
 *
 * @param emulatorPath             {@code <path>}
 * @param domainType               {@code <domain>}: kvm, qemu, …
 * @param machine                  {@code <machine>}, or null (not every driver has machine types)
 * @param arch                     {@code <arch>}
 * @param hostPassthroughSupported {@code <mode name='host-passthrough' supported='yes'>}
 * @param hostModelSupported       {@code <mode name='host-model' supported='yes'>}
 * @param hostModel                the host-model CPU (mode host-model, arch from {@code <arch>}), or null when not
 *                                 supported
 * @param customModels             the {@code <mode name='custom'>} models, in document order
 */
public record DomainCapabilities(
        String emulatorPath,
        String domainType,
        @Nullable String machine,
        String arch,
        boolean hostPassthroughSupported,
        boolean hostModelSupported,
        @Nullable CpuDefinition hostModel,
        List<CustomCpuModel> customModels) {

    private static final String DOCUMENT = "domcapabilities";
    private static final List<String> YES_NO = List.of("yes", "no");
    private static final List<String> USABILITY = List.of("yes", "no", "unknown");

    public DomainCapabilities {
        Objects.requireNonNull(emulatorPath, "emulatorPath");
        Objects.requireNonNull(domainType, "domainType");
        Objects.requireNonNull(arch, "arch");
        customModels = List.copyOf(customModels);
    }

    /**
     * Reads a {@code virsh domcapabilities} document. Errors name the element at fault, e.g.
     * "domcapabilities: /domainCapabilities/arch is missing".
     */
    public static DomainCapabilities parse(String xml) {
        XmlElement root = XmlElement.root(DOCUMENT, xml, "domainCapabilities");
        String path = root.childText("path");
        String domain = root.childText("domain");
        String machine = root.optionalChildText("machine").orElse(null);
        String arch = root.childText("arch");

        Map<String, XmlElement> modes = new HashMap<>();
        Optional<XmlElement> cpu = root.optionalChild("cpu");
        if (cpu.isPresent()) {
            for (XmlElement mode : cpu.get().children("mode")) {
                String name = mode.requiredAttribute("name");
                if (modes.put(name, mode) != null) {
                    throw mode.problem("repeats CPU mode '" + name + "'");
                }
            }
        }
        boolean passthrough = supported(modes.get("host-passthrough"));
        boolean hostModelSupported = supported(modes.get("host-model"));
        CpuDefinition hostModel = null;
        if (hostModelSupported) {
            XmlElement mode = Objects.requireNonNull(modes.get("host-model")); // supported, so present
            hostModel = CpuDefinition.readBody(mode, arch, "host-model", null);
            if (hostModel.model() == null) {
                throw new MalformedXmlException(DOCUMENT, mode.path() + "/model", "is missing");
            }
        }
        List<CustomCpuModel> custom = modes.containsKey("custom") && supported(modes.get("custom"))
                ? readCustomModels(modes.get("custom"))
                : List.of();
        return new DomainCapabilities(path, domain, machine, arch, passthrough, hostModelSupported, hostModel, custom);
    }

    public Optional<CustomCpuModel> customModel(String name) {
        return customModels.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Names of the named models this host can run as they are ({@code usable='yes'}). */
    public List<String> usableModelNames() {
        return customModels.stream()
                .filter(CustomCpuModel::isUsable)
                .map(CustomCpuModel::name)
                .toList();
    }

    /**
     * Names of the named models of one usability, in document order. A model without a {@code usable} attribute
     * counts as unknown (libvirt always writes one for x86).
     */
    public List<String> modelNames(ModelUsability usability) {
        return customModels.stream()
                .filter(m -> m.usable() == usability)
                .map(CustomCpuModel::name)
                .toList();
    }

    /** Names of the named models the hypervisor marks deprecated ({@code deprecated='yes'}), usable or not. */
    public List<String> deprecatedModelNames() {
        return customModels.stream()
                .filter(CustomCpuModel::deprecated)
                .map(CustomCpuModel::name)
                .toList();
    }

    private static boolean supported(@Nullable XmlElement mode) {
        if (mode == null) {
            return false;
        }
        String value = mode.attributeOneOf("supported", YES_NO)
                .orElseThrow(() -> mode.attributeProblem("supported", "is missing"));
        return value.equals("yes");
    }

    private static List<CustomCpuModel> readCustomModels(XmlElement mode) {
        Map<String, List<String>> blockers = new HashMap<>();
        for (XmlElement b : mode.children("blockers")) {
            String model = b.requiredAttribute("model");
            List<String> names = b.children("feature").stream()
                    .map(f -> f.requiredAttribute("name"))
                    .toList();
            if (blockers.put(model, names) != null) {
                throw b.problem("repeats blockers of model '" + model + "'");
            }
        }
        Map<String, CustomCpuModel> models = new LinkedHashMap<>();
        for (XmlElement m : mode.children("model")) {
            String name = m.text();
            ModelUsability usable = m.attributeOneOf("usable", USABILITY)
                    .map(u -> ModelUsability.valueOf(u.toUpperCase(java.util.Locale.ROOT)))
                    .orElse(ModelUsability.UNKNOWN);
            String vendor =
                    m.attribute("vendor").filter(v -> !v.equals("unknown")).orElse(null);
            boolean deprecated =
                    m.attributeOneOf("deprecated", YES_NO).map("yes"::equals).orElse(false);
            if (models.containsKey(name)) {
                throw m.problem("lists model '" + name + "' a second time");
            }
            models.put(
                    name, new CustomCpuModel(name, usable, vendor, deprecated, blockers.getOrDefault(name, List.of())));
        }
        List<String> orphans = new ArrayList<>(blockers.keySet());
        orphans.removeAll(models.keySet());
        if (!orphans.isEmpty()) {
            throw mode.problem("has <blockers> for models it does not list: " + String.join(", ", orphans));
        }
        return List.copyOf(models.values());
    }
}
