package io.fleetcpu.guests;

import io.fleetcpu.aggregates.StrandedGuests;
import io.fleetcpu.aggregates.WhatIfView;
import io.fleetcpu.fleet.MigrationCheckView.TargetVerdict;
import io.fleetcpu.hosts.FleetCensus;
import io.fleetcpu.hosts.GuestRecords;
import io.fleetcpu.hosts.GuestRecords.MemberGuests;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostGuest;
import io.fleetcpu.hosts.KindMembers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * What a change of an aggregate's hosts would do to its guests. A guest on a host that stays is stranded when it could
 * not move to a host the change adds (the aggregate would promise a move it cannot make); a guest on a host the
 * change takes out is stranded when no host left could take it (it could not be evacuated). Each configuration is
 * checked once per kind of target; one that cannot be checked (no {@code <cpu>}, mode maximum) is not said stranded:
 * the inventory lists it as not checked.
 */
@Service
class GuestsStrandedByChange implements StrandedGuests {

    private final GuestRecords guests;
    private final FleetCensus census;
    private final GuestMigrationChecks checks;

    GuestsStrandedByChange(GuestRecords guests, FleetCensus census, GuestMigrationChecks checks) {
        this.guests = guests;
        this.census = census;
        this.checks = checks;
    }

    @Override
    public WhatIfView.Stranded stranded(
            String aggregateId, List<HostFacts> added, Set<UUID> removed, boolean nameGuests) {
        List<MemberGuests> members = guests.guestsIn(aggregateId);
        Verdicts verdicts = new Verdicts();
        List<HostFacts> staying = GuestMigrationChecks.targets(stayingKinds(aggregateId, members, removed));
        List<WhatIfView.StrandedGuest> stranded = new ArrayList<>();
        for (MemberGuests member : members) {
            if (member.guests() == null) {
                continue;
            }
            boolean leaves = removed.contains(member.hostId());
            List<HostFacts> targets = new ArrayList<>(leaves ? staying : List.of());
            added.stream().filter(h -> !member.hostId().equals(h.id())).forEach(targets::add);
            for (HostGuest guest : member.guests().guests()) {
                GuestMigrationChecks.Key key = GuestMigrationChecks.Key.of(guest.configuration(), member);
                String why = leaves ? nowhereToGo(verdicts, key, targets) : notOntoAdded(verdicts, key, targets);
                if (why != null) {
                    stranded.add(new WhatIfView.StrandedGuest(
                            nameGuests ? guest.name() : null,
                            nameGuests ? guest.uuid() : null,
                            member.hostname(),
                            guest.running(),
                            guest.configuration().describeCpu(),
                            guest.configuration().machineType(),
                            why));
                }
            }
        }
        return new WhatIfView.Stranded(stranded.size(), !nameGuests, stranded);
    }

    /**
     * The member kinds after the change takes hosts out: each kind with the hosts of it that stay, named by the first
     * of them (the census's kinds, counted down from the members; no host is read).
     */
    private List<KindMembers> stayingKinds(String aggregateId, List<MemberGuests> members, Set<UUID> removed) {
        Map<String, List<KindMembers.HostRef>> stayingByKind = new HashMap<>();
        for (MemberGuests member : members) {
            if (!removed.contains(member.hostId())) {
                stayingByKind
                        .computeIfAbsent(member.kindId(), k -> new ArrayList<>())
                        .add(new KindMembers.HostRef(member.hostId(), member.hostname()));
            }
        }
        List<KindMembers> kinds = new ArrayList<>();
        for (KindMembers kind : census.kindsIn(aggregateId, false)) {
            List<KindMembers.HostRef> stay = stayingByKind.get(kind.kindId());
            if (stay != null) {
                kinds.add(new KindMembers(
                        kind.kindId(),
                        kind.facts(),
                        stay.size(),
                        stay.subList(0, Math.min(stay.size(), KindMembers.EXAMPLES))));
            }
        }
        return kinds;
    }

    /** Why a guest whose host stays could not move to the added hosts; null when it could move to each. */
    private @Nullable String notOntoAdded(Verdicts verdicts, GuestMigrationChecks.Key key, List<HostFacts> added) {
        List<String> reasons = new ArrayList<>();
        for (HostFacts target : added) {
            TargetVerdict verdict = verdicts.of(checks, key, target);
            if (verdict != null && !verdict.compatible()) {
                reasons.add("cannot move to added host " + target.hostname() + ": " + verdict.reason());
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /** Why a guest whose host leaves could go nowhere; null when some host left could take it. */
    private @Nullable String nowhereToGo(Verdicts verdicts, GuestMigrationChecks.Key key, List<HostFacts> targets) {
        if (targets.isEmpty()) {
            return "its host leaves and no host is left to take it";
        }
        String first = null;
        for (HostFacts target : targets) {
            TargetVerdict verdict = verdicts.of(checks, key, target);
            if (verdict == null || verdict.compatible()) {
                return null;
            }
            if (first == null) {
                first = target.hostname() + ": " + verdict.reason();
            }
        }
        return "its host leaves and no host left can take it (" + first + ")";
    }

    /** Verdicts per configuration and kind of target, each asked once. */
    private static final class Verdicts {

        private final Map<GuestMigrationChecks.Key, Map<String, TargetVerdict>> known = new HashMap<>();
        private final Set<GuestMigrationChecks.Key> unchecked = new HashSet<>();

        /** null when the configuration cannot be checked: it is then not said to be stranded. */
        @Nullable
        TargetVerdict of(GuestMigrationChecks checks, GuestMigrationChecks.Key key, HostFacts target) {
            if (unchecked.contains(key)) {
                return null;
            }
            Map<String, TargetVerdict> byKind = known.computeIfAbsent(key, k -> new HashMap<>());
            String kind = target.kind().id();
            TargetVerdict verdict = byKind.get(kind);
            if (verdict == null) {
                GuestMigrationChecks.Checked checked = checks.against(key, List.of(target));
                if (checked.problem() != null) {
                    unchecked.add(key);
                    return null;
                }
                verdict = checked.verdicts().get(0);
                byKind.put(kind, verdict);
            }
            return verdict;
        }
    }
}
