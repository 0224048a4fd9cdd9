package io.fleetcpu.aggregates;

import io.fleetcpu.aggregates.internal.AggregateSnapshot;
import io.fleetcpu.aggregates.internal.AnswerCache;
import io.fleetcpu.aggregates.internal.AnswerKey;
import io.fleetcpu.aggregates.internal.Engines;
import io.fleetcpu.aggregates.internal.KindTally;
import io.fleetcpu.hosts.AdmissionCheck;
import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.KindLabels;
import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.policy.CpuEngine;
import io.fleetcpu.policy.CpuPolicy;
import io.fleetcpu.policy.PolicyConflictException;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.guest.GuestFeatures;
import io.fleetcpu.policy.migration.GuestPlatform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The guest CPU of sets of hosts other than an aggregate's members as they are: the members but one (admission of a
 * host), with one host's CPU as it was and as it is (drift), with hosts added and removed on paper (what-if); and
 * what a host lacks of a guest CPU.
 */
@Service
public class GuestCpuService {

    /** Admission answers are a few bytes each, one per version of an aggregate and kind of CPU. */
    private final AnswerCache<AnswerKey, Admission> admissions = new AnswerCache<>(20_000);

    /**
     * What a host of one kind meets when it joins: the CPU its fellow members run and what of it the kind lacks, and
     * what their guests run with beyond the CPU (null when it has no fellow members).
     */
    private record Admission(
            String guestCpu, List<String> missing, @Nullable GuestPlatform platform) {}

    private final AggregateService aggregates;
    private final Engines engines;

    GuestCpuService(AggregateService aggregates, Engines engines) {
        this.aggregates = aggregates;
        this.engines = engines;
    }

    /**
     * The guest CPU the policy gives hosts of these kinds; none (with the reason) when no CPU can be recommended
     * (no hosts, no common model, a policy that cannot be met).
     *
     * @param kinds kinds of CPU by id; how many hosts each has does not matter
     * @param labels how the reason names kinds
     */
    GuestCpuOutcome guestCpu(CpuPolicy policy, Map<String, CpuKindFacts> kinds, KindLabels labels) {
        if (kinds.isEmpty()) {
            return new GuestCpuOutcome(null, "no hosts", engines.catalogs().configured());
        }
        var catalog = engines.engine(kinds.values()).catalog();
        try {
            return new GuestCpuOutcome(
                    engines.recommend(kinds, policy, false).recommendation().cpu(), null, catalog);
        } catch (BaselineRefusedException | PolicyConflictException e) {
            return new GuestCpuOutcome(null, labels.apply(e.getMessage()), catalog);
        }
    }

    /** The features of a guest CPU the host cannot give: guests with it could not migrate onto the host. */
    public List<String> missingOn(GuestCpuOutcome guest, HostFacts host) {
        if (guest.cpu() == null) {
            return List.of();
        }
        CpuEngine engine = engines.engine(guest.catalog());
        return GuestFeatures.missingOn(guest.cpu(), Engines.guestFeaturesOn(engine, host), engine.catalog());
    }

    /**
     * Whether guests on the host's fellow members of the aggregate could migrate onto the host, and if not what the
     * host lacks. Kept per version of the aggregate and kind of CPU: every host of the kind gets the same answer.
     *
     * @param kind the id of the host's kind ({@code host.kind().id()})
     */
    public Optional<AdmissionCheck.BelowBaseline> belowBaseline(String aggregateId, HostFacts host, String kind) {
        Admission admission = admissions.get(
                new AnswerKey(aggregates.version(aggregateId), "admission " + kind),
                () -> admissionOf(aggregateId, host, kind));
        List<String> blockers = admission.platform() == null
                ? List.of()
                : admission.platform().blockers(host.hostname(), host.migration());
        return admission.missing().isEmpty() && blockers.isEmpty()
                ? Optional.empty()
                : Optional.of(new AdmissionCheck.BelowBaseline(
                        aggregateId, admission.guestCpu(), admission.missing(), blockers));
    }

    /**
     * What the host's fellow members run (the aggregate's members' kinds but one host of the host's kind), and what
     * of it a host of this kind cannot give.
     */
    private Admission admissionOf(String aggregateId, HostFacts host, String kindId) {
        AggregateSnapshot snapshot = aggregates.counts(aggregateId);
        Map<String, CpuKindFacts> others = new TreeMap<>();
        for (KindMembers kind : snapshot.kinds()) {
            if (!kind.kindId().equals(kindId) || kind.hosts() > 1) {
                others.put(kind.kindId(), kind.facts());
            }
        }
        GuestCpuOutcome theirs = guestCpu(snapshot.policy(), others, KindLabels.of(List.of()));
        GuestPlatform platform = others.isEmpty()
                ? null
                : RecommendationService.migrationContract(snapshot.policy(), others, Map.of(), KindLabels.of(List.of()))
                        .guestPlatform();
        return new Admission(theirs.describe(), missingOn(theirs, host), platform);
    }

    /**
     * What a host's change of CPU does to the aggregate: its guest CPU with the host's facts as they were, and as
     * they are now. The host is counted as a member in both. Read before the change is written.
     *
     * @param wasMember whether the counts read now hold the host (with its facts as they were)
     */
    public GuestCpuOutcome[] guestCpuBeforeAndAfter(
            String aggregateId, HostFacts before, HostFacts after, boolean wasMember) {
        AggregateSnapshot snapshot = aggregates.counts(aggregateId);
        KindTally now = new KindTally(snapshot.kinds());
        if (wasMember) {
            now.remove(before.kind().id());
        }
        now.add(after.kind());
        KindTally then = now.copy();
        then.remove(after.kind().id());
        then.add(before.kind());
        KindLabels labels = KindLabels.of(List.of());
        return new GuestCpuOutcome[] {
            guestCpu(snapshot.policy(), then.kinds(), labels), guestCpu(snapshot.policy(), now.kinds(), labels)
        };
    }
}
