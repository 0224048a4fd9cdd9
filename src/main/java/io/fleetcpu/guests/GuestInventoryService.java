package io.fleetcpu.guests;

import io.fleetcpu.aggregates.RecommendationService;
import io.fleetcpu.fleet.MigrationCheckView;
import io.fleetcpu.hosts.FleetCensus;
import io.fleetcpu.hosts.GuestRecords;
import io.fleetcpu.hosts.GuestRecords.MemberGuests;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostGuest;
import io.fleetcpu.policy.guest.GuestConfiguration;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.GuestFeatures;
import io.fleetcpu.system.ConflictException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * An aggregate's guest inventory. Each configuration is checked once per kind of CPU it runs on (host-model and
 * host-passthrough take their CPU from the host) against every member kind, read once per inventory, with the fleet's
 * migration check: the answer {@code POST /migrations/check} gives for the guest's own {@code <cpu>} and machine type.
 */
@Service
public class GuestInventoryService {

    private final GuestRecords guests;
    private final RecommendationService recommendations;
    private final GuestMigrationChecks checks;
    private final FleetCensus census;

    GuestInventoryService(
            GuestRecords guests,
            RecommendationService recommendations,
            GuestMigrationChecks checks,
            FleetCensus census) {
        this.guests = guests;
        this.recommendations = recommendations;
        this.checks = checks;
        this.census = census;
    }

    /** @throws io.fleetcpu.system.NotFoundException when there is no such aggregate */
    public GuestInventoryView inventory(String aggregateId) {
        List<MemberGuests> members = guests.guestsIn(aggregateId);
        try {
            return inventory(
                    aggregateId,
                    members,
                    recommendations.recommendedCpu(aggregateId, false).cpu(),
                    null);
        } catch (ConflictException e) {
            return inventory(aggregateId, members, null, e.getMessage());
        }
    }

    /**
     * The same, with the recommended CPU the caller read (the metrics, which read answers without counting them).
     *
     * @param recommended null when the aggregate has none
     * @throws io.fleetcpu.system.NotFoundException when there is no such aggregate
     */
    public GuestInventoryView inventory(String aggregateId, @Nullable GuestCpu recommended) {
        return inventory(
                aggregateId,
                guests.guestsIn(aggregateId),
                recommended,
                recommended == null ? "the aggregate has no recommended CPU" : null);
    }

    private GuestInventoryView inventory(
            String aggregateId, List<MemberGuests> members, @Nullable GuestCpu recommended, @Nullable String problem) {
        String recommendedText = recommended == null ? null : GuestFeatures.describe(recommended);
        // every member kind is a target, read once for all configurations; its hosts are named once
        List<HostFacts> targets = GuestMigrationChecks.targets(census.kindsIn(aggregateId, true));
        Map<String, List<MemberGuests>> membersByKind = new HashMap<>();
        members.forEach(m -> membersByKind
                .computeIfAbsent(m.kindId(), k -> new ArrayList<>())
                .add(m));
        Map<String, List<String>> hostnamesByKind = new HashMap<>();
        membersByKind.forEach((kind, ofKind) -> hostnamesByKind.put(
                kind, ofKind.stream().map(MemberGuests::hostname).toList()));

        Map<GuestConfiguration, Integer> ids = configurationIds(members);
        Map<GuestMigrationChecks.Key, GuestMigrationChecks.Checked> checked = new HashMap<>();
        int[] perConfigurationGuests = new int[ids.size()];
        int[] perConfigurationRunning = new int[ids.size()];
        int[] perConfigurationStuck = new int[ids.size()];
        String[] notChecked = new String[ids.size()];
        boolean[] onRecommendation = new boolean[ids.size()];
        ids.forEach((c, id) -> onRecommendation[id] = recommended != null && c.runs(recommended));
        List<GuestInventoryView.Guest> listed = new ArrayList<>();
        int reporting = 0;
        int omitted = 0;
        for (MemberGuests member : members) {
            if (member.guests() == null) {
                continue;
            }
            reporting++;
            omitted += member.guests().omitted();
            for (HostGuest guest : member.guests().guests()) {
                GuestConfiguration configuration = guest.configuration();
                int id = Objects.requireNonNull(ids.get(configuration));
                var verdicts = checked.computeIfAbsent(
                        GuestMigrationChecks.Key.of(configuration, member), k -> checks.against(k, targets));
                List<GuestInventoryView.Stuck> stuck =
                        stuck(verdicts.verdicts(), member, membersByKind, hostnamesByKind);
                perConfigurationGuests[id]++;
                if (guest.running()) {
                    perConfigurationRunning[id]++;
                    if (!stuck.isEmpty()) {
                        perConfigurationStuck[id]++;
                    }
                }
                if (verdicts.problem() != null) {
                    notChecked[id] = verdicts.problem();
                }
                listed.add(new GuestInventoryView.Guest(
                        guest.name(),
                        guest.uuid(),
                        member.hostId(),
                        member.hostname(),
                        guest.running(),
                        id,
                        onRecommendation[id],
                        stuck));
            }
        }
        listed.sort(Comparator.comparing(GuestInventoryView.Guest::name).thenComparing(GuestInventoryView.Guest::uuid));
        List<GuestInventoryView.Configuration> configurations = new ArrayList<>();
        for (Map.Entry<GuestConfiguration, Integer> e : ids.entrySet()) {
            GuestConfiguration c = e.getKey();
            int id = e.getValue();
            Map<String, String> features = new LinkedHashMap<>();
            c.features().forEach((name, policy) -> features.put(name, policy.libvirtName()));
            configurations.add(new GuestInventoryView.Configuration(
                    id,
                    c.describeCpu(),
                    c.mode(),
                    c.match(),
                    c.model(),
                    features,
                    c.machineType(),
                    perConfigurationGuests[id],
                    perConfigurationRunning[id],
                    onRecommendation[id],
                    perConfigurationStuck[id],
                    notChecked[id]));
        }
        configurations.sort(Comparator.comparing(GuestInventoryView.Configuration::guests)
                .reversed()
                .thenComparing(GuestInventoryView.Configuration::id));
        int on = (int) listed.stream()
                .filter(GuestInventoryView.Guest::onRecommendation)
                .count();
        var summary = new GuestInventoryView.Summary(
                reporting,
                members.size() - reporting,
                listed.size(),
                (int) listed.stream().filter(GuestInventoryView.Guest::running).count(),
                omitted,
                on,
                listed.size() - on,
                configurations.stream()
                        .mapToInt(GuestInventoryView.Configuration::cannotMigrate)
                        .sum(),
                configurations.stream()
                        .filter(c -> c.notChecked() != null)
                        .mapToInt(GuestInventoryView.Configuration::guests)
                        .sum());
        return new GuestInventoryView(aggregateId, recommendedText, problem, summary, configurations, listed);
    }

    /** Configurations numbered from 0 in the order the guests are read (members by hostname, guests by name). */
    private static Map<GuestConfiguration, Integer> configurationIds(List<MemberGuests> members) {
        Map<GuestConfiguration, Integer> ids = new LinkedHashMap<>();
        for (MemberGuests member : members) {
            if (member.guests() != null) {
                member.guests().guests().forEach(g -> ids.putIfAbsent(g.configuration(), ids.size()));
            }
        }
        return ids;
    }

    /** The member kinds a guest cannot go to, with their hosts other than its own. */
    private static List<GuestInventoryView.Stuck> stuck(
            List<MigrationCheckView.TargetVerdict> verdicts,
            MemberGuests member,
            Map<String, List<MemberGuests>> membersByKind,
            Map<String, List<String>> hostnamesByKind) {
        List<GuestInventoryView.Stuck> stuck = new ArrayList<>();
        for (MigrationCheckView.TargetVerdict verdict : verdicts) {
            if (verdict.compatible()) {
                continue;
            }
            // the hosts of the guest's own kind but its own; of any other kind, all of them (named once)
            List<String> hosts = verdict.kind().equals(member.kindId())
                    ? membersByKind.getOrDefault(verdict.kind(), List.of()).stream()
                            .filter(m -> !m.hostId().equals(member.hostId()))
                            .map(MemberGuests::hostname)
                            .toList()
                    : hostnamesByKind.getOrDefault(verdict.kind(), List.of());
            if (!hosts.isEmpty()) {
                stuck.add(new GuestInventoryView.Stuck(
                        verdict.kind(), hosts, verdict.reason(), verdict.missingFeatures(), verdict.blockers()));
            }
        }
        return stuck;
    }
}
