package io.fleetcpu.aggregates;

import io.fleetcpu.hosts.KindLabels;
import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.policy.Catalogs;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The hosts of one kind of CPU in an answer: how many, a few by name, and where to find the rest. */
@Schema(description = "Hosts with equal CPU facts (one kind of CPU): answers name kinds, not every host")
public record KindView(
        @Schema(description = "the kind's id", example = "3f9a0c1d5e7b24a68c0d9e1f2a3b4c5d")
        String kind,

        @Schema(
                description = "how answers name the kind: its first host, and how many more share its CPU",
                example = "compute-017 (+41 alike)")
        String name,

        @Schema(description = "how many hosts are of this kind here")
        int hosts,

        @Schema(description = "its first hosts by hostname (at most 3)")
        List<String> exampleHosts,

        @Schema(
                description = "'hypervisor' when its hosts sent the hypervisor's view of their CPU, else 'host'",
                example = "hypervisor")
        String cpuView,

        @Schema(
                description = "the x86-64 microarchitecture level (x86-64 psABI) guests get on its hosts: "
                        + "x86-64-baseline, x86-64-v2, x86-64-v3 or x86-64-v4; null below the baseline or for a CPU model the "
                        + "catalog does not know",
                example = "x86-64-v3")
        @Nullable
        String level,

        @Schema(
                description = "the CPU catalog (libvirt cpu_map) its hosts' CPU was read with: the map their agent "
                        + "sent, else chosen by their libvirt version",
                example = "libvirt 11.3")
        @Nullable
        String catalog,

        @Schema(description = "the digest of that cpu_map (GET /cpu-maps/{digest})") @Nullable
        String cpuMap,

        @Schema(
                description = "GET this for every host of the kind here",
                example = "/hosts?aggregate=haswell-east&kind=3f9a0c1d5e7b24a68c0d9e1f2a3b4c5d")
        String hostsPath) {

    /** Most hosts first. */
    /** The order answers list kinds in: most hosts first, then by id. */
    static final Comparator<KindMembers> ORDER =
            Comparator.comparingInt(KindMembers::hosts).reversed().thenComparing(KindMembers::kindId);

    public static List<KindView> of(@Nullable String aggregate, List<KindMembers> kinds, Catalogs catalogs) {
        KindLabels labels = KindLabels.of(kinds);
        return kinds.stream()
                .sorted(ORDER)
                .map(k -> new KindView(
                        k.kindId(),
                        labels.name(k.kindId()),
                        k.hosts(),
                        k.exampleHosts().stream()
                                .map(KindMembers.HostRef::hostname)
                                .toList(),
                        k.cpuView().wireName(),
                        k.asHost(k.kindId()).level(catalogs),
                        k.facts().catalog(),
                        catalogs.named(k.facts().catalog()).digest(),
                        "/hosts?" + (aggregate == null ? "" : "aggregate=" + aggregate + "&") + "kind=" + k.kindId()))
                .toList();
    }
}
