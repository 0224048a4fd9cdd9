package io.fleetcpu.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;

/**
 * One {@link GuestCpu} written for each consumer an operator pastes it into: a libvirt domain, nova.conf, QEMU's
 * command line, a KubeVirt VM, or a full cpu_map model. Every method first checks the CPU against the catalog
 * (known model, vendor and features), so no consumer gets a name it would refuse.
 */
public final class CpuConfigRenderer {

    /** Letters, digits, '.', '_' and '-' as in cpu_map's own names; no ',' '+' or '=' that QEMU's -cpu would split on. */
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Words QEMU, libvirt or KubeVirt read as a mode rather than a model. */
    private static final Set<String> RESERVED_MODEL_NAMES = Set.of("host", "max", "base", "host-model",
            "host-passthrough", "custom", "maximum");
    /** CPUID bits the guest kernel sets itself; libvirt leaves them out of QEMU's -cpu too. */
    /**
     * Features libvirt's QEMU driver drops from every guest CPU before starting QEMU (virQEMUCapsCPUFilterFeatures):
     * the bits the guest kernel sets itself and Intel RDT monitoring, which QEMU does not virtualise. A guest
     * started through libvirt never had them, so the -cpu value leaves them out too.
     */
    private static final Set<String> FILTERED_BY_LIBVIRT = LibvirtDriver.QEMU.droppedFeatures();

    private final CpuCatalog catalog;

    public CpuConfigRenderer(CpuCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    // ---- libvirt domain XML ---------------------------------------------------------------------------------

    /**
     * The {@code <cpu>} element of a domain definition. CUSTOM is written exactly as libvirt's baseline prints it;
     * the host modes with the attributes libvirt adds when it stores a domain ({@code check='partial'} for
     * host-model, {@code check='none' migratable='on'} for host-passthrough).
     */
    public String libvirtXml(GuestCpu cpu) {
        check(cpu);
        StringBuilder xml = new StringBuilder("<cpu mode='").append(cpu.mode().libvirtName()).append('\'');
        switch (cpu.mode()) {
            case CUSTOM -> xml.append(" match='exact'");
            case HOST_MODEL -> xml.append(" check='partial'");
            case HOST_PASSTHROUGH -> xml.append(" check='none' migratable='on'");
        }
        if (cpu.mode() != GuestCpu.Mode.CUSTOM && cpu.features().isEmpty()) {
            return xml.append("/>\n").toString();
        }
        xml.append(">\n");
        if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
            xml.append("  <model fallback='").append(cpu.fallbackForbid() ? "forbid" : "allow").append("'>")
                    .append(escape(cpu.model())).append("</model>\n");
            if (cpu.vendor() != null) {
                xml.append("  <vendor>").append(escape(cpu.vendor())).append("</vendor>\n");
            }
        }
        for (CpuFeaturePolicy f : cpu.features()) {
            xml.append("  <feature policy='").append(f.policy().libvirtName()).append("' name='")
                    .append(escape(f.name())).append("'/>\n");
        }
        return xml.append("</cpu>\n").toString();
    }

    // ---- nova.conf ------------------------------------------------------------------------------------------

    /**
     * The {@code [libvirt]} section of nova.conf. Nova refuses to start with {@code cpu_models} set in any mode but
     * custom, so it is written only there. {@code cpu_model_extra_flags} takes libvirt's feature names (nova puts
     * them into the domain's {@code <feature>} elements), plain to require, {@code -name} to disable. What nova
     * cannot say (a vendor, fallback='forbid') or what older releases read differently is a {@code #} line.
     */
    public String novaConf(GuestCpu cpu) {
        return novaConf(cpu, cpu.mode() == GuestCpu.Mode.CUSTOM ? List.of(cpu.model()) : List.of());
    }

    /**
     * The {@code [libvirt]} section with nova's ordered {@code cpu_models}: nova gives each instance the first model
     * whose features include every {@code trait:HW_CPU_X86_*=required} of its flavor, and the first model to a flavor
     * that requires none (nova/virt/libvirt/driver.py {@code _match_cpu_model_by_flags},
     * {@code _get_guest_cpu_model_config}). The extra flags apply to every model.
     *
     * @param cpuModels CUSTOM only: catalog models, oldest first, the recommended one among them (see
     *                  {@link PolicyRecommender#novaCpuModels}); must be empty for the host modes
     */
    public String novaConf(GuestCpu cpu, List<String> cpuModels) {
        check(cpu);
        Objects.requireNonNull(cpuModels, "cpuModels");
        if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
            if (!cpuModels.contains(cpu.model())) {
                throw new IllegalArgumentException("cpu_models " + cpuModels + " lacks the recommended model "
                        + cpu.model());
            }
            cpuModels.forEach(name -> catalog.model(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown CPU model '" + name + "' (not in the catalog of libvirt "
                            + catalog.info().libvirtVersion() + ")")));
            if (Set.copyOf(cpuModels).size() != cpuModels.size()) {
                throw new IllegalArgumentException("cpu_models lists a model twice: " + cpuModels);
            }
        } else if (!cpuModels.isEmpty()) {
            // nova refuses to start: "The cpu_models option is not required when cpu_mode!=custom"
            throw new IllegalArgumentException("cpu_models only goes with cpu_mode = custom, not "
                    + cpu.mode().libvirtName());
        }
        List<String> flags = new ArrayList<>();
        for (CpuFeaturePolicy f : cpu.features()) {
            // nova lower-cases every flag before it hands it to libvirt (driver.py _get_guest_cpu_model_config)
            if (!f.name().equals(f.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("nova lower-cases cpu_model_extra_flags, so it cannot give '"
                        + f.name() + "'");
            }
            flags.add(f.policy() == FeaturePolicy.DISABLE ? "-" + f.name() : f.name());
        }
        StringBuilder ini = new StringBuilder("[libvirt]\n");
        if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
            CpuModel model = model(cpu);
            if (cpu.vendor() != null && model.vendor() == null) {
                ini.append("# nova has no setting for the CPU vendor: ").append(model.name())
                        .append(" runs on any vendor's host, not only ").append(cpu.vendor()).append('\n');
            }
            if (cpu.fallbackForbid()) {
                ini.append("# nova cannot write fallback='forbid'; libvirt may substitute a close model where ")
                        .append(model.name()).append(" is unknown\n");
            }
        }
        if (!cpu.featureNames(FeaturePolicy.DISABLE).isEmpty()) {
            // nova 23.0.0 (Wallaby) brought '-flag' (commit bcd6b42047, "Allow disabling CPU flags via
            // `cpu_model_extra_flags`"); before it a flag was always required.
            ini.append("# '-flag' disables a flag; nova Victoria and older only enable flags and would read it as a name\n");
        }
        if (cpuModels.size() > 1) {
            // cpu_models and the choice by trait came in nova 20.0.0 (Train, commit f80e5f989d "vCPU model
            // selection"); older releases read one model from cpu_model.
            ini.append("# nova Train and newer: older releases take one model (cpu_model = ").append(cpu.model())
                    .append(")\n");
            ini.append("# nova gives each instance the first of cpu_models with every CPU feature its flavor requires as ")
                    .append("trait:HW_CPU_X86_*=required, and ").append(cpuModels.get(0))
                    .append(" to flavors that require none; ").append(cpu.model()).append(" is the recommended model\n");
        }
        if (cpu.mode() == GuestCpu.Mode.HOST_PASSTHROUGH && !cpu.featureNames(FeaturePolicy.REQUIRE).isEmpty()) {
            ini.append("# host-passthrough already gives every flag KVM supports; required flags add only what QEMU "
                    + "masks (e.g. invtsc) and must be on every host\n");
        }
        ini.append("cpu_mode = ").append(cpu.mode().libvirtName()).append('\n');
        if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
            ini.append("cpu_models = ").append(String.join(", ", cpuModels)).append('\n');
        }
        if (!flags.isEmpty()) {
            ini.append("cpu_model_extra_flags = ").append(String.join(", ", flags)).append('\n');
        }
        return ini.toString();
    }

    // ---- QEMU -cpu ------------------------------------------------------------------------------------------

    /**
     * The value of QEMU's {@code -cpu}: {@code Model,+flag,-flag} in QEMU's feature names
     * ({@link QemuFeatureNames}), or {@code host,...} for host-passthrough. A model name is written as the catalog
     * has it; upstream QEMU 7.2 lacks a few cpu_map models (pentiumpro, cpu64-rhel5/6, Icelake-Client*), which
     * libvirt translates to another model before starting QEMU.
     *
     * @throws IllegalArgumentException for host-model, which QEMU does not know: libvirt replaces it with the
     *                                  host's expanded model at start; and for a required feature QEMU has no flag for
     */
    public String qemuCpuArgument(GuestCpu cpu) {
        check(cpu);
        if (cpu.mode() == GuestCpu.Mode.HOST_MODEL) {
            throw new IllegalArgumentException("host-model has no QEMU -cpu equivalent without the host's expansion: "
                    + "QEMU needs a model and features, which libvirt takes when it starts the guest from the host-model "
                    + "CPU of that host's domain capabilities (virsh domcapabilities), so the same guest gets another "
                    + "-cpu on another host");
        }
        StringBuilder arg = new StringBuilder(cpu.mode() == GuestCpu.Mode.CUSTOM ? cpu.model() : "host");
        for (CpuFeaturePolicy f : cpu.features()) {
            var qemuName = QemuFeatureNames.qemuName(f.name());
            if (qemuName.isEmpty()) {
                // Nothing to take away from a guest QEMU never gives the feature; what libvirt filters out
                // never reaches a guest started through libvirt either.
                if (f.policy() == FeaturePolicy.DISABLE || FILTERED_BY_LIBVIRT.contains(f.name())) {
                    continue;
                }
                throw new IllegalArgumentException("QEMU has no flag for required feature '" + f.name() + "' ("
                        + QemuFeatureNames.whyAbsent(f.name()).orElse("") + "), so no -cpu value can give it to a guest");
            }
            arg.append(',').append(f.policy() == FeaturePolicy.DISABLE ? '-' : '+').append(qemuName.get());
        }
        return arg.toString();
    }

    // ---- KubeVirt ---------------------------------------------------------------------------------------------

    /**
     * The {@code cpu:} fragment of a KubeVirt VirtualMachineInstance's {@code spec.domain}: {@code model} is the
     * named model or {@code host-model}/{@code host-passthrough}, {@code features} libvirt's names with their
     * policy (KubeVirt hands both to libvirt). Values are quoted so a model like {@code 486} stays a string.
     */
    public String kubevirtYaml(GuestCpu cpu) {
        check(cpu);
        StringBuilder yaml = new StringBuilder();
        if (cpu.mode() == GuestCpu.Mode.CUSTOM && cpu.vendor() != null && model(cpu).vendor() == null) {
            yaml.append("# KubeVirt has no setting for the CPU vendor: ").append(cpu.model())
                    .append(" runs on any vendor's node, not only ").append(cpu.vendor()).append('\n');
        }
        yaml.append("cpu:\n");
        yaml.append("  model: ").append(quote(cpu.mode() == GuestCpu.Mode.CUSTOM ? cpu.model()
                : cpu.mode().libvirtName())).append('\n');
        if (!cpu.features().isEmpty()) {
            yaml.append("  features:\n");
            for (CpuFeaturePolicy f : cpu.features()) {
                yaml.append("    - name: ").append(quote(f.name())).append('\n');
                yaml.append("      policy: ").append(quote(f.policy().libvirtName())).append('\n');
            }
        }
        return yaml.toString();
    }

    // ---- cpu_map model ------------------------------------------------------------------------------------------

    /**
     * A new model for libvirt's cpu_map ({@code /usr/share/libvirt/cpu_map/x86_<name>.xml}, listed in index.xml),
     * with every feature spelled out in catalog order: the named model's features plus the required minus the
     * disabled ones — what the seed's operator wrote by hand for {@code SandyBridge-vmx}. Its decode is off, so
     * libvirt never uses it to describe a host or a baseline; a domain naming it needs {@code fallback='allow'}
     * unless QEMU knows a model of that name (libvirt then translates it to a QEMU model plus flags).
     *
     * @throws IllegalArgumentException for a host mode, or a new name that is not a model name or is taken
     */
    public String cpuMapModel(GuestCpu cpu, String newModelName) {
        check(cpu);
        if (cpu.mode() != GuestCpu.Mode.CUSTOM) {
            throw new IllegalArgumentException("a cpu_map model needs a named model to start from; "
                    + cpu.mode().libvirtName() + " takes its features from each host");
        }
        checkNewModelName(newModelName);
        CpuModel base = model(cpu);
        FeatureSet required = catalog.featureSet(cpu.featureNames(FeaturePolicy.REQUIRE));
        FeatureSet disabled = catalog.featureSet(cpu.featureNames(FeaturePolicy.DISABLE));
        FeatureSet all = base.features().union(required).minus(disabled);
        String vendor = base.vendor() != null ? base.vendor() : cpu.vendor();

        StringBuilder xml = new StringBuilder("<cpus>\n");
        xml.append("  <!-- ").append(base.name()).append(" with ")
                .append(required.minus(base.features()).size()).append(" feature(s) added and ")
                .append(disabled.intersection(base.features()).size())
                .append(" removed, every feature listed (written by fleetcpu) -->\n");
        xml.append("  <model name='").append(escape(newModelName)).append("'>\n");
        xml.append("    <decode host='off' guest='off'/>\n");
        if (vendor != null) {
            xml.append("    <vendor name='").append(escape(vendor)).append("'/>\n");
        }
        for (String name : catalog.featureNames(all)) {
            xml.append("    <feature name='").append(escape(name)).append("'/>\n");
        }
        return xml.append("  </model>\n</cpus>\n").toString();
    }

    private void checkNewModelName(String name) {
        if (name == null || !MODEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a CPU model name: use 1 to 64 letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit (e.g. SandyBridge-vmx)");
        }
        if (RESERVED_MODEL_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("'" + name + "' is a CPU mode word for QEMU, libvirt or KubeVirt; "
                    + "choose another model name");
        }
        for (CpuModel m : catalog.models()) {
            if (m.name().equalsIgnoreCase(name)) {
                throw new IllegalArgumentException("the catalog (libvirt " + catalog.info().libvirtVersion()
                        + ") already has model " + m.name() + "; a new model needs a name of its own");
            }
        }
    }

    // ---- checks shared by every rendering -----------------------------------------------------------------------

    private void check(GuestCpu cpu) {
        Objects.requireNonNull(cpu, "cpu");
        if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
            CpuModel model = model(cpu);
            if (cpu.vendor() != null) {
                if (!catalog.vendors().contains(cpu.vendor())) {
                    throw new IllegalArgumentException("unknown CPU vendor '" + cpu.vendor() + "'; the catalog knows "
                            + String.join(", ", catalog.vendors()));
                }
                if (model.vendor() != null && !model.vendor().equals(cpu.vendor())) {
                    throw new IllegalArgumentException("model " + model.name() + " is a " + model.vendor()
                            + " model, not " + cpu.vendor() + "; libvirt refuses the mix");
                }
            }
        }
        for (CpuFeaturePolicy f : cpu.features()) {
            if (catalog.feature(f.name()).isEmpty()) {
                throw new IllegalArgumentException("unknown CPU feature '" + f.name() + "' (not in the catalog of libvirt "
                        + catalog.info().libvirtVersion() + "; features use libvirt's names, e.g. pclmuldq, sse4.1)");
            }
        }
    }

    private CpuModel model(GuestCpu cpu) {
        return catalog.model(cpu.model()).orElseThrow(() -> new IllegalArgumentException("unknown CPU model '"
                + cpu.model() + "' (not in the catalog of libvirt " + catalog.info().libvirtVersion() + ")"));
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
                .replace("\"", "&quot;");
    }
}
