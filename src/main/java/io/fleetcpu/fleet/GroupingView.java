package io.fleetcpu.fleet;

import io.fleetcpu.aggregates.KindView;
import io.fleetcpu.aggregates.KindsRecommendation;
import io.fleetcpu.aggregates.MigrationContractView;
import io.fleetcpu.aggregates.RecommendedCpuView;
import io.fleetcpu.catalog.CatalogInfo;
import io.fleetcpu.hosts.KindLabels;
import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.policy.PolicyRecommendation;
import io.fleetcpu.policy.grouping.Grouping;
import io.fleetcpu.policy.grouping.GroupingCost;
import io.fleetcpu.policy.grouping.KindCost;
import io.fleetcpu.policy.grouping.UngroupedHost;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.GuestLevels;
import io.fleetcpu.policy.render.OpenStackCommands;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A proposed partition of the fleet into migration domains, as the API shows it. */
@Schema(
        description = "The fleet partitioned into migration domains: any guest started with a domain's CPU can "
                + "live-migrate between any two of its hosts")
public record GroupingView(
        @Schema(description = "max-features or min-domains", example = "min-domains")
        String strategy,

        @Schema(description = "with min-domains: no domain's CPU drops below this model") @Nullable
        String minimumModel,

        @Schema(description = "no domain's CPU drops below this x86-64 microarchitecture level", example = "x86-64-v2")
        @Nullable
        String minimumLevel,

        List<Domain> domains,

        @Schema(description = "what the grouping costs: features hosts give up, in total and at most for one host")
        GroupingCost cost,

        @Schema(
                description =
                        "hosts whose own CPU lacks features of the minimum model or level, by kind of CPU (a kind is "
                                + "named by its first host)")
        List<String> hostsBelowMinimum,

        @Schema(description = "hosts that could not be grouped (libvirt refuses their CPU), with why, by kind of CPU")
        List<UngroupedHost> ungrouped,

        CatalogInfo catalog,

        @Schema(
                description = "what else keeps domains apart (min-domains): domains whose hosts share no versioned "
                        + "machine type, with the types each offers; differences in address bits and TSC inside a "
                        + "domain are in its migrationContract's notes")
        List<String> notes) {

    /** One migration domain. */
    @Schema(name = "MigrationDomain", description = "Hosts between which guests can migrate, and their common CPU")
    public record Domain(
            @Schema(
                    description = "a name for the OpenStack aggregate that would hold it",
                    example = "fleetcpu-1-haswell-notsx")
            String name,

            @Schema(description = "how many hosts are in the domain")
            int hostCount,

            @Schema(
                    description = "its hosts by kind of CPU (equal CPU facts), a few named for each; "
                            + "format=openstack names every host")
            List<KindView> members,

            @Schema(
                    description = "the domain's guest CPU: what recommended-cpu answers for an aggregate of exactly "
                            + "its hosts (goal migration, nested virtualisation off, mitigations required); null when "
                            + "no CPU fits them (refusal says why)",
                    example = "custom")
            @Nullable
            String mode,

            @Schema(example = "Haswell-noTSX") @Nullable String model,
            @Schema(example = "Intel") @Nullable String vendor,

            @Schema(description = "features on top of the model (require) or taken from it (disable)")
            List<RecommendedCpuView.Feature> features,

            @Schema(description = "what the operator must know before using the CPU, as recommended-cpu says it")
            List<String> warnings,

            @Schema(
                    description = "what guests must be started with beyond the CPU to move between the domain's "
                            + "hosts, as recommended-cpu says it for them; null when no CPU fits")
            @Nullable
            MigrationContractView migrationContract,

            @Schema(description = "why no CPU fits the domain's hosts, as recommended-cpu's 409 says it") @Nullable
            String refusal,

            @Schema(description = "features some of its hosts have that its guests do not get")
            List<String> featuresGivenUp,

            @Schema(description = "how many features its guests get")
            int score,

            @Schema(
                    description = "the x86-64 microarchitecture level (x86-64 psABI) of its guest CPU; null below "
                            + "x86-64-baseline",
                    example = "x86-64-v3")
            @Nullable
            String level,

            @Schema(description = "whether its CPU has every feature of the minimum model and level")
            boolean meetsMinimum,

            @Schema(description = "each kind of CPU in the domain and what it gives up")
            List<KindCost> kinds,

            @Schema(description = "the domain's CPU as a libvirt <cpu> element; null when none fits") @Nullable
            String libvirtXml) {}

    public static GroupingView of(FleetService.FleetGrouping fleetGrouping) {
        Grouping grouping = fleetGrouping.grouping();
        KindLabels labels = fleetGrouping.labels();
        Map<String, KindMembers> kinds = new HashMap<>();
        fleetGrouping.kinds().forEach(k -> kinds.put(k.kindId(), k));
        List<Domain> domains = new java.util.ArrayList<>();
        for (int i = 0; i < grouping.domains().size(); i++) {
            var d = grouping.domains().get(i);
            List<KindMembers> members = d.hosts().stream().map(kinds::get).toList();
            KindsRecommendation answer = fleetGrouping.domainCpus().get(i);
            PolicyRecommendation recommendation = answer.recommendation();
            GuestCpu cpu = recommendation == null ? null : recommendation.cpu();
            domains.add(new Domain(
                    OpenStackCommands.aggregateName(i + 1, cpu == null ? d.model() : OpenStackCommands.name(cpu)),
                    members.stream().mapToInt(KindMembers::hosts).sum(),
                    KindView.of(fleetGrouping.aggregate(), members, fleetGrouping.catalogs()),
                    cpu == null ? null : cpu.mode().libvirtName(),
                    cpu == null ? null : cpu.model(),
                    cpu == null ? null : cpu.vendor(),
                    cpu == null
                            ? List.of()
                            : cpu.features().stream()
                                    .map(RecommendedCpuView.Feature::of)
                                    .toList(),
                    recommendation == null ? List.of() : recommendation.warnings(),
                    answer.migrationContract(),
                    answer.refusal(),
                    d.featuresGivenUp(),
                    d.score(),
                    recommendation == null
                            ? GuestLevels.name(
                                    fleetGrouping.levels().of(d.guestCpu().featureSet()))
                            : recommendation.level().level(),
                    d.meetsMinimum(),
                    d.kinds().stream()
                            .map(k -> new KindCost(
                                    k.model(), labels.apply(k.exampleHost()), k.hosts(), k.featuresGivenUp()))
                            .toList(),
                    answer.libvirtXml()));
        }
        return new GroupingView(
                grouping.strategy().operatorName(),
                grouping.minimumModel(),
                grouping.minimumLevel(),
                domains,
                grouping.cost(),
                grouping.hostsBelowMinimum().stream().map(labels).toList(),
                // a host's name in, a name out
                grouping.ungrouped().stream()
                        .map(u -> new UngroupedHost(
                                Objects.requireNonNull(labels.apply(u.host())), u.reason(), labels.apply(u.message())))
                        .toList(),
                grouping.catalog(),
                grouping.notes().stream()
                        .map(n -> Objects.requireNonNull(labels.apply(n)))
                        .toList());
    }
}
