package io.fleetcpu.policy.render;

import static io.fleetcpu.libvirtxml.XmlText.escape;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.baseline.LibvirtDriver;
import io.fleetcpu.policy.guest.GuestCpu;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One {@link GuestCpu} written for each consumer an operator pastes it into: a libvirt domain, nova.conf, QEMU's
 * command line, a KubeVirt VM, or a full cpu_map model. Every method first checks the CPU against the catalog
 * (known model, vendor and features), so no consumer gets a name it would refuse.
 */
public final class CpuConfigRenderer {

    /** Why a host mode has no cpu_map model. */
    public static final String CPU_MAP_NEEDS_A_MODEL =
            "a cpu_map model needs a named model to start from; host-model and host-passthrough take their features "
                    + "from each host";

    /** Why no cpu_map model can be written for this CPU ({@link #cpuMapModel}), if it cannot. */
    public static Optional<String> whyNoCpuMapModel(GuestCpu cpu) {
        return cpu.mode() == GuestCpu.Mode.CUSTOM ? Optional.empty() : Optional.of(CPU_MAP_NEEDS_A_MODEL);
    }

    /** Letters, digits, '.', '_' and '-' as in cpu_map's own names; no ',' '+' or '=' that QEMU's -cpu would split on. */
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Words QEMU, libvirt or KubeVirt read as a mode rather than a model. */
    private static final Set<String> RESERVED_MODEL_NAMES =
            Set.of("host", "max", "base", "host-model", "host-passthrough", "custom", "maximum");

    /** Features KVM never gives a guest: KubeVirt never labels them. */
    private static final HostOnlyFeatures HOST_ONLY = HostOnlyFeatures.bundled();

    private final CpuCatalog catalog;

    /**
     * Features libvirt's QEMU driver drops from every guest CPU before starting QEMU (virQEMUCapsCPUFilterFeatures),
     * as the libvirt of the catalog's release does ({@link LibvirtDriver#droppedFeatures(String)}): the bits the guest
     * kernel sets itself and Intel RDT monitoring, which QEMU does not virtualise; since libvirt 11.3 also three VMX
     * capabilities QEMU has no property for, since 12.8 also ht and cmp_legacy. A guest started through libvirt never
     * had them, so the -cpu value leaves them out too.
     */
    private final Set<String> filteredByLibvirt;

    public CpuConfigRenderer(CpuCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.filteredByLibvirt =
                LibvirtDriver.QEMU.droppedFeatures(catalog.info().libvirtVersion());
    }

    // ---- libvirt domain XML ---------------------------------------------------------------------------------

    /**
     * The {@code <cpu>} element of a domain definition. CUSTOM is written exactly as libvirt's baseline prints it;
     * the host modes with the attributes libvirt adds when it stores a domain ({@code check='partial'} for
     * host-model, {@code check='none' migratable='on'} for host-passthrough).
     */
    public String libvirtXml(GuestCpu cpu) {
        return libvirtXml(cpu, null);
    }

    /**
     * The same, giving guests these physical address bits ({@code <maxphysaddr mode='emulate' bits=…/>}, libvirt 8.7
     * and later; QEMU's {@code phys-bits}): the fewest of the group's hosts ({@code migrationContract.physAddrBits}).
     * Not for host-passthrough, which gives guests the host's own and moves only between hosts of one CPU.
     *
     * @param physAddrBits null to leave QEMU's default
     */
    public String libvirtXml(GuestCpu cpu, @Nullable Integer physAddrBits) {
        check(cpu);
        String maxPhysAddr = physAddrBits == null || cpu.mode() == GuestCpu.Mode.HOST_PASSTHROUGH
                ? ""
                : "  <maxphysaddr mode='emulate' bits='" + physAddrBits + "'/>\n";
        StringBuilder xml = new StringBuilder("<cpu mode='")
                .append(cpu.mode().libvirtName())
                .append('\'');
        switch (cpu.mode()) {
            case CUSTOM -> xml.append(" match='exact'");
            case HOST_MODEL -> xml.append(" check='partial'");
            case HOST_PASSTHROUGH -> xml.append(" check='none' migratable='on'");
        }
        if (cpu.mode() != GuestCpu.Mode.CUSTOM && cpu.features().isEmpty() && maxPhysAddr.isEmpty()) {
            return xml.append("/>\n").toString();
        }
        xml.append(">\n");
        if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
            xml.append("  <model fallback='")
                    .append(cpu.fallbackForbid() ? "forbid" : "allow")
                    .append("'>")
                    .append(escape(Objects.requireNonNull(cpu.model())))
                    .append("</model>\n"); // custom: named
            if (cpu.vendor() != null) {
                xml.append("  <vendor>").append(escape(cpu.vendor())).append("</vendor>\n");
            }
        }
        xml.append(maxPhysAddr); // where libvirt writes it: after model and vendor, before the features
        for (CpuFeature f : cpu.features()) {
            // a guest CPU's features all carry a policy
            xml.append("  <feature policy='")
                    .append(Objects.requireNonNull(f.policy()).libvirtName())
                    .append("' name='")
                    .append(escape(f.name()))
                    .append("'/>\n");
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
    public Rendering novaConf(GuestCpu cpu) {
        return novaConf(cpu, cpu.mode() == GuestCpu.Mode.CUSTOM ? List.of(cpu.model()) : List.of());
    }

    /**
     * The {@code [libvirt]} section with nova's ordered {@code cpu_models}: nova gives each instance the first model
     * whose features include every {@code trait:HW_CPU_X86_*=required} of its flavor, and the first model to a flavor
     * that requires none (nova/virt/libvirt/driver.py {@code _match_cpu_model_by_flags},
     * {@code _get_guest_cpu_model_config}). The extra flags apply to every model.
     *
     * @param cpuModels CUSTOM only: catalog models, oldest first, the recommended one among them (see
     *                  {@code policy.PolicyRecommender.novaCpuModels}); must be empty for the host modes
     */
    public Rendering novaConf(GuestCpu cpu, List<String> cpuModels) {
        return novaConf(cpu, cpuModels, null);
    }

    /**
     * The same, with the machine type every host of the group offers ({@code migrationContract.machineType}) as nova's
     * {@code hw_machine_type}, which nova gives every guest of the arch that does not name its own (fleetcpu's catalogs
     * are x86's).
     *
     * @param machineType null to leave nova's default
     */
    public Rendering novaConf(GuestCpu cpu, List<String> cpuModels, @Nullable String machineType) {
        check(cpu);
        Objects.requireNonNull(cpuModels, "cpuModels");
        if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
            if (!cpuModels.contains(cpu.model())) {
                throw new IllegalArgumentException(
                        "cpu_models " + cpuModels + " lacks the recommended model " + cpu.model());
            }
            cpuModels.forEach(name -> catalog.model(name)
                    .orElseThrow(() -> new IllegalArgumentException(
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
        for (CpuFeature f : cpu.features()) {
            // nova lower-cases every flag before it hands it to libvirt (driver.py _get_guest_cpu_model_config)
            if (!f.name().equals(f.name().toLowerCase(Locale.ROOT))) {
                return new Rendering.NotExpressible(
                        "nova lower-cases cpu_model_extra_flags, so it cannot give '" + f.name() + "'");
            }
            flags.add(f.policy() == FeaturePolicy.DISABLE ? "-" + f.name() : f.name());
        }
        StringBuilder ini = new StringBuilder("[libvirt]\n");
        if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
            CpuModel model = model(cpu);
            if (cpu.vendor() != null && model.vendor() == null) {
                ini.append("# nova has no setting for the CPU vendor: ")
                        .append(model.name())
                        .append(" runs on any vendor's host, not only ")
                        .append(cpu.vendor())
                        .append('\n');
            }
            if (cpu.fallbackForbid()) {
                ini.append("# nova cannot write fallback='forbid'; libvirt may substitute a close model where ")
                        .append(model.name())
                        .append(" is unknown\n");
            }
        }
        if (!cpu.featureNames(FeaturePolicy.DISABLE).isEmpty()) {
            // nova 23.0.0 (Wallaby) brought '-flag' (commit bcd6b42047, "Allow disabling CPU flags via
            // `cpu_model_extra_flags`"); before it a flag was always required.
            ini.append(
                    "# '-flag' disables a flag; nova Victoria and older only enable flags and would read it as a name\n");
        }
        if (cpuModels.size() > 1) {
            // cpu_models and the choice by trait came in nova 20.0.0 (Train, commit f80e5f989d "vCPU model
            // selection"); older releases read one model from cpu_model.
            ini.append("# nova Train and newer: older releases take one model (cpu_model = ")
                    .append(cpu.model())
                    .append(")\n");
            ini.append(
                            "# nova gives each instance the first of cpu_models with every CPU feature its flavor requires as ")
                    .append("trait:HW_CPU_X86_*=required, and ")
                    .append(cpuModels.get(0))
                    .append(" to flavors that require none; ")
                    .append(cpu.model())
                    .append(" is the recommended model\n");
        }
        if (cpu.mode() == GuestCpu.Mode.HOST_PASSTHROUGH
                && !cpu.featureNames(FeaturePolicy.REQUIRE).isEmpty()) {
            ini.append("# host-passthrough already gives every flag KVM supports; required flags add only what QEMU "
                    + "masks (e.g. invtsc) and must be on every host\n");
        }
        ini.append("cpu_mode = ").append(cpu.mode().libvirtName()).append('\n');
        if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
            ini.append("cpu_models = ").append(String.join(", ", cpuModels)).append('\n');
        }
        if (!flags.isEmpty()) {
            ini.append("cpu_model_extra_flags = ")
                    .append(String.join(", ", flags))
                    .append('\n');
        }
        if (machineType != null) {
            ini.append("# the newest versioned machine type every host offers: guests started with it can move "
                            + "between them (a guest's own hw_machine_type image property or flavor extra spec wins)\n")
                    .append("hw_machine_type = x86_64=")
                    .append(machineType)
                    .append('\n');
        }
        return new Rendering.Written(ini.toString());
    }

    // ---- QEMU -cpu ------------------------------------------------------------------------------------------

    /**
     * The value of QEMU's {@code -cpu}: {@code Model,+flag,-flag} in QEMU's feature names
     * ({@link QemuFeatureNames}), or {@code host,...} for host-passthrough. A model name is written as the catalog
     * has it; upstream QEMU 7.2 lacks a few cpu_map models (pentiumpro, cpu64-rhel5/6, Icelake-Client*), which
     * libvirt translates to another model before starting QEMU.
     *
     * <p>Not expressible for host-model, which QEMU does not know (libvirt replaces it with the host's expanded model
     * at start), and for a required feature QEMU has no flag for.
     */
    public Rendering qemuCpuArgument(GuestCpu cpu) {
        return qemuCpuArgument(cpu, null);
    }

    /**
     * The same, with {@code phys-bits} (what libvirt gives QEMU for {@code <maxphysaddr mode='emulate'>}) for a named
     * model; host-passthrough keeps the host's own (see {@link #libvirtXml(GuestCpu, Integer)}).
     *
     * @param physAddrBits null to leave QEMU's default
     */
    public Rendering qemuCpuArgument(GuestCpu cpu, @Nullable Integer physAddrBits) {
        check(cpu);
        if (cpu.mode() == GuestCpu.Mode.HOST_MODEL) {
            return new Rendering.NotExpressible("host-model has no QEMU -cpu equivalent without the host's expansion: "
                    + "QEMU needs a model and features, which libvirt takes when it starts the guest from the host-model "
                    + "CPU of that host's domain capabilities (virsh domcapabilities), so the same guest gets another "
                    + "-cpu on another host");
        }
        StringBuilder arg = new StringBuilder(cpu.mode() == GuestCpu.Mode.CUSTOM ? cpu.model() : "host");
        for (CpuFeature f : cpu.features()) {
            // What libvirt filters out never reaches a guest started through libvirt.
            if (filteredByLibvirt.contains(f.name())) {
                continue;
            }
            var qemuName = QemuFeatureNames.qemuName(f.name());
            if (qemuName.isEmpty()) {
                // Nothing to take away from a guest QEMU never gives the feature.
                if (f.policy() == FeaturePolicy.DISABLE) {
                    continue;
                }
                return new Rendering.NotExpressible("QEMU has no flag for required feature '" + f.name() + "' ("
                        + QemuFeatureNames.whyAbsent(f.name()).orElse("")
                        + "), so no -cpu value can give it to a guest");
            }
            arg.append(',')
                    .append(f.policy() == FeaturePolicy.DISABLE ? '-' : '+')
                    .append(qemuName.get());
        }
        if (physAddrBits != null && cpu.mode() == GuestCpu.Mode.CUSTOM) {
            arg.append(",phys-bits=").append(physAddrBits);
        }
        return new Rendering.Written(arg.toString());
    }

    /**
     * QEMU's arguments for a guest: {@code -machine} with the machine type to start it with, where there is one, and
     * {@code -cpu} with the value {@link #qemuCpuArgument(GuestCpu, Integer)} gave ({@code -machine pc-q35-7.2 -cpu
     * Haswell-noTSX,+vmx,phys-bits=46}). Neither needs quoting in a shell.
     *
     * @param machineType null to leave QEMU's default
     */
    public static String qemuArguments(@Nullable String machineType, String cpuValue) {
        return (machineType == null ? "" : "-machine " + machineType + " ") + "-cpu " + cpuValue;
    }

    // ---- every feature of the guest CPU --------------------------------------------------------------------

    /**
     * Every feature a guest with this CPU has, in catalog order: a named model's features, or for the host modes the
     * features every host gives guests, plus the required minus the disabled ones. Names the catalog does not know are
     * passed over.
     *
     * @param hostFeatures for the host modes, the features every host gives guests; not read for a named model
     */
    public List<String> guestFeatures(GuestCpu cpu, List<String> hostFeatures) {
        check(cpu);
        FeatureSet base = cpu.mode() == GuestCpu.Mode.CUSTOM ? model(cpu).features() : catalog.knownSet(hostFeatures);
        return catalog.featureNames(catalog.expand(
                base,
                cpu.featureNames(FeaturePolicy.REQUIRE),
                cpu.featureNames(FeaturePolicy.DISABLE),
                CpuCatalog.PASS_OVER_UNKNOWN));
    }

    // ---- KubeVirt ---------------------------------------------------------------------------------------------

    /** {@link #kubevirtYaml(GuestCpu, KubevirtNodeLabels.OnEveryNode)} knowing nothing of the nodes. */
    public String kubevirtYaml(GuestCpu cpu) {
        return kubevirtYaml(cpu, KubevirtNodeLabels.OnEveryNode.UNKNOWN);
    }

    /**
     * A KubeVirt VirtualMachineInstance's {@code spec} (a VirtualMachine's {@code spec.template.spec}):
     * {@code domain.cpu} with {@code model} the named model or {@code host-model}/{@code host-passthrough} and
     * {@code features} libvirt's names with their policy (KubeVirt hands both to libvirt), and a
     * {@code nodeSelector} on the labels KubeVirt's node-labeller writes ({@link KubevirtNodeLabels}): the model,
     * and each required feature. KubeVirt's virt-controller adds the same selectors itself, so a required feature
     * no node labels would leave the VM unschedulable: such a feature is left out of both, and a comment says which
     * and whether the guest still gets it (the model has it) or not. A feature no node labels is one KVM never
     * gives a guest ({@link HostOnlyFeatures}), one QEMU has no flag for, or one the nodes' hypervisor views lack.
     * Values are quoted so a model like {@code 486} stays a string.
     */
    public String kubevirtYaml(GuestCpu cpu, KubevirtNodeLabels.OnEveryNode nodes) {
        return kubevirtYaml(cpu, nodes, null);
    }

    /**
     * The same, with {@code domain.machine.type}: the machine type every node of the group offers
     * ({@code migrationContract.machineType}); null leaves KubeVirt's default (the moving alias {@code q35}).
     */
    public String kubevirtYaml(GuestCpu cpu, KubevirtNodeLabels.OnEveryNode nodes, @Nullable String machineType) {
        check(cpu);
        Objects.requireNonNull(nodes, "nodes");
        StringBuilder comments = new StringBuilder();
        boolean custom = cpu.mode() == GuestCpu.Mode.CUSTOM;
        if (custom && cpu.vendor() != null && model(cpu).vendor() == null) {
            comments.append("# KubeVirt has no setting for the CPU vendor: ")
                    .append(cpu.model())
                    .append(" runs on any vendor's node, not only ")
                    .append(cpu.vendor())
                    .append('\n');
        }
        FeatureSet modelFeatures = custom ? model(cpu).features() : FeatureSet.empty();
        List<CpuFeature> kept = new ArrayList<>();
        for (CpuFeature f : cpu.features()) {
            String why = f.policy() == FeaturePolicy.REQUIRE ? whyNotLabelled(f.name(), nodes) : null;
            if (why == null) {
                kept.add(f);
                continue;
            }
            boolean modelHasIt = catalog.feature(f.name())
                    .map(cf -> modelFeatures.contains(cf.index()))
                    .orElse(false);
            boolean neverGiven = HOST_ONLY.why(f.name()).isPresent()
                    || QemuFeatureNames.whyAbsent(f.name()).isPresent();
            String guestGets = modelHasIt
                    ? "the guest still gets it, " + cpu.model() + " has it"
                    : custom || neverGiven
                            ? "the guest does not get it"
                            : "the guest gets it only on nodes whose "
                                    + cpu.mode().libvirtName() + " CPU has it";
            comments.append("# left out: require ")
                    .append(f.name())
                    .append(": ")
                    .append(why)
                    .append(" label ")
                    .append(KubevirtNodeLabels.CPU_FEATURE)
                    .append(f.name())
                    .append("; ")
                    .append(guestGets)
                    .append('\n');
        }
        if (custom && KubevirtNodeLabels.DEFAULT_OBSOLETE_CPU_MODELS.contains(cpu.model())) {
            comments.append("# ")
                    .append(cpu.model())
                    .append(" is in KubeVirt's default obsoleteCPUModels: no node has ")
                    .append("label ")
                    .append(KubevirtNodeLabels.CPU_MODEL)
                    .append(cpu.model())
                    .append(" until the KubeVirt CR's obsoleteCPUModels leaves it out (format=kubevirt-cluster)\n");
        }
        if (custom && nodes.models() != null && !nodes.models().contains(cpu.model())) {
            comments.append("# not every node reports ")
                    .append(cpu.model())
                    .append(" usable in its domain ")
                    .append("capabilities: KubeVirt schedules the VM only on those that do\n");
        }
        StringBuilder yaml = new StringBuilder(comments);
        yaml.append("spec:\n  domain:\n");
        if (machineType != null) {
            yaml.append("    machine:\n      type: ").append(quote(machineType)).append('\n');
        }
        yaml.append("    cpu:\n");
        yaml.append("      model: ")
                .append(quote(
                        custom
                                ? Objects.requireNonNull(cpu.model())
                                : cpu.mode().libvirtName()))
                .append('\n');
        if (!kept.isEmpty()) {
            yaml.append("      features:\n");
            for (CpuFeature f : kept) {
                yaml.append("        - name: ").append(quote(f.name())).append('\n');
                yaml.append("          policy: ")
                        .append(quote(Objects.requireNonNull(f.policy()).libvirtName()))
                        .append('\n');
            }
        }
        List<String> selector = new ArrayList<>();
        if (custom) {
            selector.add(KubevirtNodeLabels.CPU_MODEL + cpu.model());
        }
        kept.stream()
                .filter(f -> f.policy() == FeaturePolicy.REQUIRE)
                .forEach(f -> selector.add(KubevirtNodeLabels.CPU_FEATURE + f.name()));
        if (!selector.isEmpty()) {
            yaml.append("  nodeSelector:\n");
            selector.forEach(label -> yaml.append("    ").append(label).append(": \"true\"\n"));
        }
        return yaml.toString();
    }

    /**
     * Why KubeVirt's node-labeller does not label every node with this feature, or null when it may. Where the nodes'
     * hypervisor views are known, they say it (the labeller labels what they list); else KVM's and QEMU's rules do.
     */
    private @Nullable String whyNotLabelled(String feature, KubevirtNodeLabels.OnEveryNode nodes) {
        if (nodes.features() != null) {
            return nodes.features().contains(feature)
                    ? null
                    : "the hypervisor view of some nodes' CPU lacks it, so not every node has the";
        }
        Optional<String> hostOnly = HOST_ONLY.why(feature);
        if (hostOnly.isPresent()) {
            return "KVM never gives it to a guest (" + hostOnly.get() + "), so no node has the";
        }
        Optional<String> noFlag = QemuFeatureNames.whyAbsent(feature);
        if (noFlag.isPresent()) {
            return "QEMU has no flag for it (" + noFlag.get() + "), so no node has the";
        }
        return null;
    }

    // ---- cpu_map model ------------------------------------------------------------------------------------------

    /**
     * A new model for libvirt's cpu_map ({@code /usr/share/libvirt/cpu_map/x86_<name>.xml}, listed in index.xml),
     * with every feature spelled out in catalog order: the named model's features plus the required minus the
     * disabled ones — what the seed's operator wrote by hand for {@code SandyBridge-vmx}. Its decode is off, so
     * libvirt never uses it to describe a host or a baseline; a domain naming it needs {@code fallback='allow'}
     * unless QEMU knows a model of that name (libvirt then translates it to a QEMU model plus flags).
     *
     * <p>Not expressible for a host mode.
     *
     * @throws IllegalArgumentException for a new name that is not a model name or is taken
     *                                  ({@link #newModelNameProblem} says so first)
     */
    public Rendering cpuMapModel(GuestCpu cpu, String newModelName) {
        check(cpu);
        Optional<String> refusal = whyNoCpuMapModel(cpu);
        if (refusal.isPresent()) {
            return new Rendering.NotExpressible(refusal.get());
        }
        newModelNameProblem(newModelName).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        CpuModel base = model(cpu);
        FeatureSet required = catalog.featureSet(cpu.featureNames(FeaturePolicy.REQUIRE));
        FeatureSet disabled = catalog.featureSet(cpu.featureNames(FeaturePolicy.DISABLE));
        FeatureSet all = catalog.expand(
                base.features(),
                cpu.featureNames(FeaturePolicy.REQUIRE),
                cpu.featureNames(FeaturePolicy.DISABLE),
                CpuCatalog.PASS_OVER_UNKNOWN); // check(cpu) refused unknown ones
        String vendor = base.vendor() != null ? base.vendor() : cpu.vendor();

        StringBuilder xml = new StringBuilder("<cpus>\n");
        xml.append("  <!-- ")
                .append(base.name())
                .append(" with ")
                .append(required.minus(base.features()).size())
                .append(" feature(s) added and ")
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
        return new Rendering.Written(xml.append("  </model>\n</cpus>\n").toString());
    }

    /** What is wrong with a name for a new cpu_map model, if anything: its form, a mode word, a model's name. */
    public Optional<String> newModelNameProblem(@Nullable String name) {
        if (name == null || !MODEL_NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a CPU model name: use 1 to 64 letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit (e.g. SandyBridge-vmx)");
        }
        if (RESERVED_MODEL_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.of(
                    "'" + name + "' is a CPU mode word for QEMU, libvirt or KubeVirt; " + "choose another model name");
        }
        for (CpuModel m : catalog.models()) {
            if (m.name().equalsIgnoreCase(name)) {
                return Optional.of("the catalog (libvirt " + catalog.info().libvirtVersion() + ") already has model "
                        + m.name() + "; a new model needs a name of its own");
            }
        }
        return Optional.empty();
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
        for (CpuFeature f : cpu.features()) {
            if (catalog.feature(f.name()).isEmpty()) {
                throw new IllegalArgumentException("unknown CPU feature '" + f.name()
                        + "' (not in the catalog of libvirt " + catalog.info().libvirtVersion()
                        + "; features use libvirt's names, e.g. pclmuldq, sse4.1)");
            }
        }
    }

    private CpuModel model(GuestCpu cpu) {
        return catalog.model(Objects.requireNonNull(cpu.model()))
                .orElseThrow(() -> new IllegalArgumentException("unknown CPU model '" + cpu.model()
                        + "' (not in the catalog of libvirt " + catalog.info().libvirtVersion() + ")"));
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
