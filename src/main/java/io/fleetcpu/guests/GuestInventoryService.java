package io.fleetcpu.guests;

import io.fleetcpu.aggregates.RecommendationService;
import io.fleetcpu.fleet.FleetService;
import io.fleetcpu.fleet.MigrationCheckRequest;
import io.fleetcpu.fleet.MigrationCheckView;
import io.fleetcpu.hosts.GuestRecords;
import io.fleetcpu.hosts.GuestRecords.MemberGuests;
import io.fleetcpu.hosts.HostGuest;
import io.fleetcpu.policy.guest.GuestConfiguration;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.GuestFeatures;
import io.fleetcpu.policy.migration.MachineTypeFamily;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.InvalidRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * An aggregate's guest inventory. Each configuration is checked once per kind of CPU it runs on (host-model and
 * host-passthrough take their CPU from the host) against every member kind, with the fleet's migration check: the
 * answer {@code POST /migrations/check} gives for the guest's own {@code <cpu>} and machine type.
 */
@Service
public class GuestInventoryService {

    private final GuestRecords guests;
    private final RecommendationService recommendations;
    private final FleetService fleet;

    GuestInventoryService(GuestRecords guests, RecommendationService recommendations, FleetService fleet) {
        this.guests = guests;
        this.recommendations = recommendations;
        this.fleet = fleet;
    }

    /** @throws io.fleetcpu.system.NotFoundException when there is no such aggregate */
    public GuestInventoryView inventory(String aggregateId) {
        List<MemberGuests> members = guests.guestsIn(aggregateId);
        GuestCpu recommended = null;
        String recommendedText = null;
        String problem = null;
        try {
            recommended = recommendations.recommendedCpu(aggregateId, false).cpu();
            recommendedText = GuestFeatures.describe(recommended);
        } catch (ConflictException e) {
            problem = e.getMessage();
        }
        Map<String, List<MemberGuests>> membersByKind = new HashMap<>();
        members.forEach(m -> membersByKind
                .computeIfAbsent(m.kindId(), k -> new ArrayList<>())
                .add(m));

        Map<GuestConfiguration, Integer> ids = configurationIds(members);
        Map<CheckKey, Checked> checks = new HashMap<>();
        int[] perConfigurationGuests = new int[ids.size()];
        int[] perConfigurationRunning = new int[ids.size()];
        int[] perConfigurationStuck = new int[ids.size()];
        String[] notChecked = new String[ids.size()];
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
                CheckKey key = CheckKey.of(configuration, member);
                Checked checked = checks.computeIfAbsent(key, k -> check(aggregateId, k));
                List<GuestInventoryView.Stuck> stuck = stuck(checked.verdicts(), member, membersByKind);
                perConfigurationGuests[id]++;
                if (guest.running()) {
                    perConfigurationRunning[id]++;
                    if (!stuck.isEmpty()) {
                        perConfigurationStuck[id]++;
                    }
                }
                if (checked.problem() != null) {
                    notChecked[id] = checked.problem();
                }
                listed.add(new GuestInventoryView.Guest(
                        guest.name(),
                        guest.uuid(),
                        member.hostId(),
                        member.hostname(),
                        guest.running(),
                        id,
                        recommended != null && configuration.runs(recommended),
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
                    recommended != null && c.runs(recommended),
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

    /**
     * What is checked once: a configuration, and for the host modes the kind of host it runs on (one of them stands
     * for all, as the source).
     */
    private record CheckKey(
            GuestConfiguration configuration,
            @Nullable String sourceKind,
            @Nullable UUID source) {

        static CheckKey of(GuestConfiguration configuration, MemberGuests member) {
            boolean fromHost = configuration.mode() != null
                    && (configuration.mode().equals("host-model")
                            || configuration.mode().equals("host-passthrough"));
            return fromHost
                    ? new CheckKey(configuration, member.kindId(), member.hostId())
                    : new CheckKey(configuration, null, null);
        }

        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof CheckKey k
                    && k.configuration.equals(configuration)
                    && Objects.equals(k.sourceKind, sourceKind);
        }

        @Override
        public int hashCode() {
            return Objects.hash(configuration, sourceKind);
        }
    }

    /** The verdict per member kind, or why there is none (and then no verdicts). */
    private record Checked(
            List<MigrationCheckView.TargetVerdict> verdicts,
            @Nullable String problem) {}

    private Checked check(String aggregateId, CheckKey key) {
        GuestConfiguration c = key.configuration();
        String machineType = c.machineType() == null
                        || MachineTypeFamily.whyNotVersioned(c.machineType()).isPresent()
                ? null
                : c.machineType();
        var request = new MigrationCheckRequest(
                new MigrationCheckRequest.Guest(
                        c.cpuXml(),
                        null,
                        key.source() == null ? null : key.source().toString(),
                        null,
                        null,
                        null,
                        machineType,
                        null),
                new MigrationCheckRequest.Target(null, aggregateId));
        try {
            return new Checked(fleet.check(request).targets(), null);
        } catch (InvalidRequestException e) {
            return new Checked(
                    List.of(),
                    e.problems().stream()
                            .map(p -> p.problem() == null ? p.field() : p.problem())
                            .reduce((a, b) -> a + "; " + b)
                            .orElse("the migration check refused it"));
        } catch (ConflictException e) {
            return new Checked(List.of(), e.getMessage());
        }
    }

    /** The member kinds a guest cannot go to, with their hosts other than its own. */
    private static List<GuestInventoryView.Stuck> stuck(
            List<MigrationCheckView.TargetVerdict> verdicts,
            MemberGuests member,
            Map<String, List<MemberGuests>> membersByKind) {
        List<GuestInventoryView.Stuck> stuck = new ArrayList<>();
        for (MigrationCheckView.TargetVerdict verdict : verdicts) {
            if (verdict.compatible()) {
                continue;
            }
            List<String> hosts = membersByKind.getOrDefault(verdict.kind(), List.of()).stream()
                    .filter(m -> !m.hostId().equals(member.hostId()))
                    .map(MemberGuests::hostname)
                    .toList();
            if (!hosts.isEmpty()) {
                stuck.add(new GuestInventoryView.Stuck(
                        verdict.kind(), hosts, verdict.reason(), verdict.missingFeatures(), verdict.blockers()));
            }
        }
        return stuck;
    }
}
