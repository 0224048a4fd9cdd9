package io.fleetcpu.aggregates;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fleetcpu.catalog.CatalogInfo;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.policy.PolicyRecommendation;
import io.fleetcpu.policy.RecommendedCpu;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.migration.MigrationContract;
import io.fleetcpu.policy.render.CpuConfigRenderer;
import io.fleetcpu.policy.render.KubevirtNodeLabels;
import io.fleetcpu.policy.render.NovaCpuModels;
import io.fleetcpu.policy.render.Rendering;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The recommendation as the API answers it: what to paste, in each consumer's form, and why. */
@Schema(description = "The guest CPU for an aggregate under its policy, in each consumer's form, and why")
public record RecommendedCpuView(
        @Schema(example = "haswell-east") String aggregate,

        @Schema(description = "the policy the recommendation was made for")
        AggregatePolicy policy,

        @Schema(description = "libvirt's <cpu mode>: custom, host-model or host-passthrough", example = "custom")
        String mode,

        @Schema(description = "the named CPU model from the catalog (custom mode only)", example = "Haswell-noTSX-IBRS")
        @Nullable
        String model,

        @Schema(example = "Intel") @Nullable String vendor,

        @Schema(description = "libvirt's <model fallback>: forbid or allow (custom mode only)", example = "forbid")
        @Nullable
        String fallback,

        @Schema(description = "features on top of or taken from the model")
        List<Feature> features,

        @Schema(
                description = "the x86-64 microarchitecture level (x86-64 psABI) the guest CPU reaches: the model's "
                        + "features plus those required, minus those disabled; x86-64-baseline, x86-64-v2, x86-64-v3 or "
                        + "x86-64-v4 (RHEL 9 guests need x86-64-v2, RHEL 10 x86-64-v3); null below the baseline",
                example = "x86-64-v2")
        @Nullable
        String level,

        @Schema(
                description = "the next level up, when some kinds of CPU of the aggregate reach it on their own but "
                        + "the guest CPU does not, and which kinds cost it; absent when no level is lost")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable
        LevelLost levelLost,

        @Schema(
                description = "what guests must be started with beyond this CPU to move live between every two "
                        + "hosts of the aggregate: machine type, physical address bits, TSC frequency")
        MigrationContractView migrationContract,

        @Schema(
                description = "the libvirt <cpu> element, ready for a domain XML; with <maxphysaddr mode='emulate' "
                        + "bits=…/> (migrationContract.physAddrBits) where the bits are known and the mode is not "
                        + "host-passthrough")
        String libvirtXml,

        @Schema(
                description = "the [libvirt] section of nova.conf; for a named model, cpu_models lists every model "
                        + "all hosts can run, oldest first, the recommended one among them; null when nova cannot say "
                        + "this CPU (notExpressible says why)")
        @Nullable
        String novaConf,

        @Schema(
                description = "QEMU's -cpu value, with phys-bits=… (migrationContract.physAddrBits) for a named model "
                        + "where the bits are known; the -machine to start it with is migrationContract.machineType "
                        + "(format=qemu writes both). "
                        + "Null when QEMU cannot say this CPU (host-model, which QEMU cannot express without the host, "
                        + "or a feature QEMU has no flag for: notExpressible says why)")
        @Nullable
        String qemuCpu,

        @Schema(
                description = "the KubeVirt VirtualMachineInstance spec (YAML): domain.cpu and a nodeSelector on the "
                        + "labels KubeVirt's node-labeller writes")
        String kubevirt,

        @Schema(
                description = "the formats (as format= names them) that cannot say this CPU, each with why; asking "
                        + "for one of them answers 409 with the same words",
                example = "{\"qemu\": \"host-model has no QEMU -cpu equivalent without the host's expansion\"}")
        Map<String, String> notExpressible,

        @Schema(description = "every choice the policy made, in words")
        List<String> explanations,

        @Schema(description = "what to know before using the answer: exposures, requirements not met")
        List<String> warnings,

        @Schema(description = "for a named model: the hosts that hold it down and the features left out")
        RecommendedCpu.@Nullable Reasons reasons,

        @Schema(description = "nested virtualisation on each host, with the commands that enable it where needed")
        PolicyRecommendation.@Nullable NestedReport nested,

        @Schema(description = "hosts that lack features of the recommended CPU (a pinned model), with what they lack")
        List<PolicyRecommendation.HostGap> hostsThatCannotRun,

        @Schema(
                description = "hosts that lack features every other host of the aggregate has: guests running on the "
                        + "others could not migrate onto them (the same hosts as reasons.limitingHosts)")
        List<BelowBaseline> belowBaseline,

        @Schema(description = "how many hosts the recommendation covers")
        int hostCount,

        @Schema(
                description = "the aggregate's hosts by kind of CPU, each with the view of its CPU it contributed; "
                        + "the recommendation is computed over kinds, and names a kind by its first host")
        List<KindView> kinds,

        @Schema(
                description = "the catalog the recommendation was made with: the part of the members' catalogs "
                        + "every member's libvirt knows (libvirt 9.0's map as soon as one member runs libvirt 9.x), and "
                        + "whether results with it are verified against that libvirt")
        CatalogInfo catalog) {

    /** A feature on top of (require) or taken from (disable) the named model. */
    @Schema(
            name = "RecommendedFeature",
            description = "A feature on top of (require) or taken from (disable) the model")
    public record Feature(
            @Schema(example = "vmx") String name,
            @Schema(example = "require") String policy) {

        /** A feature of a guest CPU, which always carries its policy (only a host CPU's features have none). */
        public static Feature of(CpuFeature feature) {
            return new Feature(
                    feature.name(), Objects.requireNonNull(feature.policy()).libvirtName());
        }
    }

    /** A level the guest CPU misses because of some hosts. */
    @Schema(description = "A higher x86-64 level some hosts reach on their own, and the kinds of CPU that cost it")
    public record LevelLost(
            @Schema(example = "x86-64-v3") String level,

            @Schema(
                    description = "the kinds of CPU below that level on their own (the first of them when there are "
                            + "many), named as the answer's kinds; empty when the policy costs it (a pinned model, withheld "
                            + "features)",
                    example = "[\"compute-03 (+11 alike)\"]")
            List<String> costBy,

            @Schema(description = "how many hosts those kinds hold")
            int hostsCount) {}

    /** A host below what the aggregate's other hosts share. */
    @Schema(
            name = "AggregateBelowBaseline",
            description = "A host that lacks features all the aggregate's other hosts have")
    public record BelowBaseline(
            @Schema(example = "compute-17") String host, List<String> missingFeatures) {}

    /** The text of a rendering, or null when its format cannot say the CPU (noted, by format, in {@code notSaid}). */
    private static @Nullable String written(Rendering rendering, OutputFormat format, Map<String, String> notSaid) {
        if (rendering instanceof Rendering.NotExpressible not) {
            notSaid.put(format.wireName(), not.reason());
            return null;
        }
        return rendering.text();
    }

    static RecommendedCpuView of(
            String aggregate,
            AggregatePolicy policy,
            PolicyRecommendation recommendation,
            CpuConfigRenderer renderer,
            NovaCpuModels nova,
            KubevirtNodeLabels.OnEveryNode nodes,
            MigrationContract contract,
            int hostCount,
            List<KindView> kinds) {
        GuestCpu cpu = recommendation.cpu();
        Map<String, String> notExpressible = new TreeMap<>();
        String novaConf = written(novaConf(renderer, cpu, nova, contract), OutputFormat.NOVA_CONF, notExpressible);
        String qemu =
                written(renderer.qemuCpuArgument(cpu, contract.physAddrBits()), OutputFormat.QEMU, notExpressible);
        CpuConfigRenderer.whyNoCpuMapModel(cpu)
                .ifPresent(why -> notExpressible.put(OutputFormat.CPU_MAP.wireName(), why));
        return new RecommendedCpuView(
                aggregate,
                policy,
                cpu.mode().libvirtName(),
                cpu.model(),
                cpu.vendor(),
                cpu.mode() == GuestCpu.Mode.CUSTOM ? (cpu.fallbackForbid() ? "forbid" : "allow") : null,
                cpu.features().stream().map(Feature::of).toList(),
                recommendation.level().level(),
                recommendation.level().lostLevel() == null
                        ? null
                        : new LevelLost(
                                recommendation.level().lostLevel(),
                                recommendation.level().hostsBelowLostLevel(),
                                recommendation.level().hostsBelowLostLevelCount()),
                MigrationContractView.of(contract),
                renderer.libvirtXml(cpu, contract.physAddrBits()),
                novaConf,
                qemu,
                renderer.kubevirtYaml(cpu, nodes, contract.machineType()),
                Map.copyOf(notExpressible),
                recommendation.explanations(),
                recommendation.warnings(),
                recommendation.reasons(),
                recommendation.nested(),
                recommendation.hostsThatCannotRun(),
                recommendation.reasons().limitingHosts().stream()
                        .map(l -> new BelowBaseline(l.host(), l.featuresOthersShare()))
                        .toList(),
                hostCount,
                kinds,
                recommendation.catalog());
    }

    /**
     * The {@code [libvirt]} section of nova.conf for this CPU, {@code cpu_models} listing nova's models, and the
     * contract's machine type as {@code hw_machine_type}.
     */
    static Rendering novaConf(
            CpuConfigRenderer renderer, GuestCpu cpu, NovaCpuModels nova, MigrationContract contract) {
        return renderer.novaConf(
                cpu, cpu.mode() == GuestCpu.Mode.CUSTOM ? nova.models() : List.of(), contract.machineType());
    }
}
