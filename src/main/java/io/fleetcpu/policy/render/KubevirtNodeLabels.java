package io.fleetcpu.policy.render;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.guest.GuestCpu;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The CPU labels KubeVirt's node-labeller (virt-handler) writes on a node, and the rules it writes them by, read
 * from github:kubevirt/kubevirt (commit d923fdb815cd2016ddaebdaaa51db04133576d72, 2026-08-22):
 * <ul>
 * <li>{@code cmd/virt-launcher/node-labeller/node-labeller.sh} saves {@code virsh domcapabilities} and pipes it
 * (with {@code --expand-cpu-features}) into {@code virsh hypervisor-cpu-baseline --features}: the host-model CPU
 * with every feature spelled out ({@code supported_features.xml}); fleetcpu's agent asks libvirt the same
 * question for the hypervisor view of a host's CPU.</li>
 * <li>{@code pkg/virt-handler/node-labeller/cpu_plugin.go}: the features are those of that file with policy
 * {@code require} ({@code loadHostSupportedFeatures}); the models those of the domain capabilities with
 * {@code usable} other than {@code no} ({@code loadDomCapabilities}: {@code usable='unknown'} counts as usable; a
 * model without the attribute is skipped), minus the obsolete ones
 * ({@code filterCpuModels}: the KubeVirt CR's {@code obsoleteCPUModels}, else {@code DefaultObsoleteCPUModels} of
 * {@code util/util.go}). There is no other filter: the older filtering by a minimum model (Penryn) went in
 * kubevirt commit d1d801c6.</li>
 * <li>{@code node_labeller.go} ({@code prepareLabels}): {@code cpu-feature.node.kubevirt.io/<feature>},
 * {@code cpu-model.node.kubevirt.io/<model>} and {@code cpu-model-migration.node.kubevirt.io/<model>} (every model
 * with a usable attribute, usable or not: {@code getKnownCpuModels}, minus the obsolete ones),
 * {@code host-model-cpu.node.kubevirt.io/<host-model>} and
 * {@code cpu-vendor.node.kubevirt.io/<vendor>}, all with the value {@code "true"}; prefixes from
 * {@code staging/src/kubevirt.io/api/core/v1/types.go}.</li>
 * <li>{@code pkg/virt-controller/services/nodeselectorrenderer.go}: a VMI's model and every feature with policy
 * {@code require} (or none) become node selectors on those labels, so a required feature no node labels leaves
 * the VMI unschedulable.</li>
 * </ul>
 */
public final class KubevirtNodeLabels {

    public static final String CPU_MODEL = "cpu-model.node.kubevirt.io/";
    public static final String CPU_MODEL_MIGRATION = "cpu-model-migration.node.kubevirt.io/";
    public static final String CPU_FEATURE = "cpu-feature.node.kubevirt.io/";
    public static final String HOST_MODEL_CPU = "host-model-cpu.node.kubevirt.io/";
    public static final String CPU_VENDOR = "cpu-vendor.node.kubevirt.io/";

    /**
     * KubeVirt's {@code DefaultObsoleteCPUModels} ({@code pkg/virt-handler/node-labeller/util/util.go}): models it
     * never labels unless the KubeVirt CR's {@code obsoleteCPUModels} replaces the list.
     */
    public static final List<String> DEFAULT_OBSOLETE_CPU_MODELS = List.of(
            "486",
            "486-v1",
            "pentium",
            "pentium-v1",
            "pentium2",
            "pentium2-v1",
            "pentium3",
            "pentium3-v1",
            "pentiumpro",
            "pentiumpro-v1",
            "coreduo",
            "coreduo-v1",
            "n270",
            "n270-v1",
            "core2duo",
            "core2duo-v1",
            "Conroe",
            "Conroe-v1",
            "athlon",
            "athlon-v1",
            "phenom",
            "phenom-v1",
            "qemu64",
            "qemu64-v1",
            "qemu32",
            "qemu32-v1",
            "kvm64",
            "kvm64-v1",
            "kvm32",
            "kvm32-v1",
            "Opteron_G1",
            "Opteron_G1-v1",
            "Opteron_G2",
            "Opteron_G2-v1");

    private KubevirtNodeLabels() {}

    /**
     * What the node-labeller reads of one node.
     *
     * @param hostModel      the model of the domain capabilities' host-model CPU, or null when not reported
     * @param vendor         its vendor, or null
     * @param usableModels   named models reported {@code usable='yes'}, or null when not reported
     * @param hypervisorFeatures the features the hypervisor view of the CPU requires (what
     *                       {@code hypervisor-cpu-baseline --features} lists with policy require), or null when the
     *                       host sent no hypervisor view
     * @param unknownModels  named models reported {@code usable='unknown'}, or null when not known (hosts registered
     *                       before fleetcpu kept them)
     * @param unusableModels named models reported {@code usable='no'}, or null when not known
     */
    public record Node(
            @Nullable String hostModel,
            @Nullable String vendor,
            @Nullable List<String> usableModels,
            @Nullable Collection<String> hypervisorFeatures,
            @Nullable List<String> unknownModels,
            @Nullable List<String> unusableModels) {

        /** The models KubeVirt labels {@code cpu-model}: usable other than {@code no}, obsolete ones left out. */
        public @Nullable List<String> labelledModels(Set<String> obsolete) {
            if (usableModels == null) {
                return null;
            }
            List<String> models = new java.util.ArrayList<>(usableModels);
            if (unknownModels != null) {
                models.addAll(unknownModels);
            }
            return models.stream().filter(m -> !obsolete.contains(m)).toList();
        }

        /**
         * The models KubeVirt labels {@code cpu-model-migration}: every model with a usability, usable or not, obsolete
         * ones left out; when the unusable ones are not known, only those {@link #labelledModels} gives.
         */
        public @Nullable List<String> migrationModels(Set<String> obsolete) {
            List<String> models = labelledModels(obsolete);
            if (models == null || unusableModels == null) {
                return models;
            }
            List<String> all = new java.util.ArrayList<>(models);
            unusableModels.stream().filter(m -> !obsolete.contains(m)).forEach(all::add);
            return all;
        }
    }

    /**
     * What a VMI's node selector can count on over a set of nodes: the feature and model labels every node that
     * reported them has. Null when no node reported them (then only what no node ever labels is known).
     */
    public record OnEveryNode(
            @Nullable Set<String> features, @Nullable Set<String> models) {

        /** Nothing reported. */
        public static final OnEveryNode UNKNOWN = new OnEveryNode(null, null);

        public OnEveryNode {
            features = features == null ? null : Set.copyOf(features);
            models = models == null ? null : Set.copyOf(models);
        }

        /** Over these nodes, under this obsolete list. */
        public static OnEveryNode of(Collection<Node> nodes, Set<String> obsolete) {
            Set<String> features = null;
            Set<String> models = null;
            for (Node node : nodes) {
                if (node.hypervisorFeatures() != null) {
                    features = intersect(features, node.hypervisorFeatures());
                }
                if (node.usableModels() != null) {
                    models = intersect(models, node.labelledModels(obsolete));
                }
            }
            return new OnEveryNode(features, models);
        }

        private static Set<String> intersect(@Nullable Set<String> sofar, @Nullable Collection<String> more) {
            Set<String> next = new java.util.HashSet<>(more);
            if (sofar != null) {
                next.retainAll(sofar);
            }
            return next;
        }
    }

    /**
     * The features KubeVirt labels for a hypervisor view of a CPU: every feature {@code hypervisor-cpu-baseline
     * --features} lists with policy require, that is the named model's features plus the required minus the
     * disabled ones (whether the view was sent expanded or not). Features the catalog does not know stay as sent.
     */
    public static List<String> labelledFeatures(CpuCatalog catalog, CpuDescription hypervisorView) {
        List<String> unknown = hypervisorView.requiredFeatures().stream()
                .filter(f -> catalog.feature(f).isEmpty())
                .toList();
        FeatureSet model = hypervisorView.model() == null
                ? FeatureSet.empty()
                : catalog.model(hypervisorView.model()).map(CpuModel::features).orElse(FeatureSet.empty());
        List<String> names = new java.util.ArrayList<>(catalog.featureNames(catalog.expand(
                model,
                hypervisorView.requiredFeatures(),
                hypervisorView.disabledFeatures(),
                CpuCatalog.PASS_OVER_UNKNOWN)));
        names.addAll(unknown);
        return names;
    }

    /**
     * The labels the node-labeller writes for this node, sorted. Without a hypervisor view there are no
     * feature labels (the physical CPU's features are not what KubeVirt labels); without domain capabilities
     * no model labels. For hosts registered before fleetcpu kept the models reported unusable, the
     * {@code cpu-model-migration} labels are those of the {@code cpu-model} labels only.
     */
    public static SortedMap<String, String> labels(Node node, Set<String> obsolete) {
        SortedMap<String, String> labels = new TreeMap<>();
        if (node.hypervisorFeatures() != null) {
            node.hypervisorFeatures().forEach(f -> labels.put(CPU_FEATURE + f, "true"));
        }
        if (node.usableModels() != null) {
            // both are known when the usable models are
            Objects.requireNonNull(node.labelledModels(obsolete)).forEach(m -> labels.put(CPU_MODEL + m, "true"));
            Objects.requireNonNull(node.migrationModels(obsolete))
                    .forEach(m -> labels.put(CPU_MODEL_MIGRATION + m, "true"));
        }
        if (node.hostModel() != null) {
            labels.put(HOST_MODEL_CPU + node.hostModel(), "true");
        }
        if (node.vendor() != null) {
            labels.put(CPU_VENDOR + node.vendor(), "true");
        }
        return labels;
    }

    /**
     * The {@code obsoleteCPUModels} a cluster running this guest CPU needs: KubeVirt's default list without the
     * model, so that nodes get its {@code cpu-model} label (fleetcpu may recommend a model KubeVirt calls obsolete,
     * e.g. a pinned {@code kvm64}).
     */
    public static List<String> obsoleteFor(GuestCpu cpu) {
        return DEFAULT_OBSOLETE_CPU_MODELS.stream()
                .filter(m -> cpu.mode() != GuestCpu.Mode.CUSTOM || !m.equals(cpu.model()))
                .toList();
    }

    /**
     * The KubeVirt CR's {@code spec.configuration} for this guest CPU: {@code cpuModel} (a VMI without a CPU model
     * gets it) and {@code obsoleteCPUModels} ({@link #obsoleteFor}). Features cannot be set cluster-wide; they go in
     * each VM ({@code format=kubevirt}).
     */
    public static String clusterYaml(GuestCpu cpu) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# KubeVirt CR (kubevirt.io/v1, kind KubeVirt): cpuModel is what a VMI without a CPU model gets;\n")
                .append("# obsoleteCPUModels is KubeVirt's default list (pkg/virt-handler/node-labeller/util/util.go)");
        if (cpu.mode() == GuestCpu.Mode.CUSTOM && DEFAULT_OBSOLETE_CPU_MODELS.contains(cpu.model())) {
            yaml.append(" without ").append(cpu.model()).append(", which the node-labeller would otherwise not label");
        }
        yaml.append('\n');
        if (!cpu.features().isEmpty()) {
            yaml.append("# the features (")
                    .append(cpu.features().size())
                    .append(") are not cluster-wide: each VM lists them (format=kubevirt)\n");
        }
        yaml.append("spec:\n  configuration:\n");
        yaml.append("    cpuModel: ")
                .append(quote(
                        cpu.mode() == GuestCpu.Mode.CUSTOM
                                ? Objects.requireNonNull(cpu.model())
                                : cpu.mode().libvirtName()))
                .append('\n');
        yaml.append("    obsoleteCPUModels:\n");
        obsoleteFor(cpu).forEach(m -> yaml.append("      ").append(quote(m)).append(": true\n"));
        return yaml.toString();
    }

    /** The labels of one kind of CPU: every host of the kind gets the same ones. */
    public record LabelledKind(
            String kind,
            String name,
            int hosts,
            List<String> exampleHosts,
            String hostsPath,
            boolean hypervisorViewReported,
            boolean domainCapabilitiesReported,
            boolean unusableModelsKnown,
            SortedMap<String, String> labels) {}

    /** The labels of each kind, as YAML an operator compares with {@code kubectl get node --show-labels}. */
    public static String labelsYaml(GuestCpu cpu, List<LabelledKind> kinds) {
        StringBuilder yaml = new StringBuilder();
        yaml.append(
                        "# CPU labels KubeVirt's node-labeller would write on each node (pkg/virt-handler/node-labeller),\n")
                .append("# with obsoleteCPUModels as format=kubevirt-cluster sets it; one entry per kind of CPU,\n")
                .append("# hostsPath lists every host of a kind\n");
        yaml.append("obsoleteCPUModels: [")
                .append(String.join(
                        ", ",
                        obsoleteFor(cpu).stream().map(KubevirtNodeLabels::quote).toList()))
                .append("]\n");
        yaml.append("kinds:\n");
        for (LabelledKind k : kinds) {
            yaml.append("  - kind: ").append(quote(k.kind())).append('\n');
            yaml.append("    name: ").append(quote(k.name())).append('\n');
            yaml.append("    hosts: ").append(k.hosts()).append('\n');
            yaml.append("    exampleHosts: [")
                    .append(String.join(
                            ", ",
                            k.exampleHosts().stream()
                                    .map(KubevirtNodeLabels::quote)
                                    .toList()))
                    .append("]\n");
            yaml.append("    hostsPath: ").append(quote(k.hostsPath())).append('\n');
            if (!k.hypervisorViewReported()) {
                yaml.append("    # no hypervisor view of the CPU was sent: its cpu-feature labels are unknown\n");
            }
            if (!k.domainCapabilitiesReported()) {
                yaml.append(
                        "    # no domain capabilities were sent: its cpu-model and host-model labels are unknown\n");
            } else if (!k.unusableModelsKnown()) {
                yaml.append("    # registered before fleetcpu kept the models reported unusable: cpu-model-migration "
                        + "labels of those are missing here; they come when the host's agent registers again\n");
            }
            yaml.append("    labels:");
            if (k.labels().isEmpty()) {
                yaml.append(" {}\n");
                continue;
            }
            yaml.append('\n');
            k.labels()
                    .forEach((key, value) -> yaml.append("      ")
                            .append(quote(key))
                            .append(": ")
                            .append(quote(value))
                            .append('\n'));
        }
        return yaml.toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
