package io.fleetcpu.aggregates;

import io.fleetcpu.aggregates.internal.AggregateSnapshot;
import io.fleetcpu.aggregates.internal.KindTally;
import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.FleetCensus;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostRecords;
import io.fleetcpu.hosts.HostRegistration;
import io.fleetcpu.hosts.HostReport;
import io.fleetcpu.hosts.KindLabels;
import io.fleetcpu.policy.CpuPolicy;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.migration.MigrationContract;
import io.fleetcpu.system.ComputeGate;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import io.fleetcpu.system.NotFoundException;
import io.fleetcpu.system.RequestLimitProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** What adding and removing hosts would do to an aggregate's CPU: the request checked whole, nothing written. */
@Service
public class WhatIfService {

    private final AggregateService aggregates;
    private final HostRecords hosts;
    private final HostRegistration registration;
    private final FleetCensus census;
    private final GuestCpuService guestCpus;
    private final ComputeGate gate;
    private final RequestLimitProperties limits;
    private final StrandedGuests stranded;

    WhatIfService(
            AggregateService aggregates,
            HostRecords hosts,
            HostRegistration registration,
            FleetCensus census,
            GuestCpuService guestCpus,
            ComputeGate gate,
            RequestLimitProperties limits,
            StrandedGuests stranded) {
        this.aggregates = aggregates;
        this.hosts = hosts;
        this.registration = registration;
        this.census = census;
        this.guestCpus = guestCpus;
        this.gate = gate;
        this.limits = limits;
        this.stranded = stranded;
    }

    /**
     * What the change a request describes would do; refuses it whole, naming each wrong entry. Nothing is written.
     * Every what-if is a computation of its own (no two ask the same), so it takes its turn at the gate whole.
     */
    public WhatIfView whatIf(String aggregateId, WhatIfRequest request) {
        return whatIf(aggregateId, request, false);
    }

    /** @param nameGuests whether the stranded guests are named (the caller may read tenant data) */
    public WhatIfView whatIf(String aggregateId, WhatIfRequest request, boolean nameGuests) {
        List<FieldProblem> tooMany = new ArrayList<>();
        checkSize(tooMany, "addHosts", request.addHosts());
        checkSize(tooMany, "addReports", request.addReports());
        checkSize(tooMany, "removeHosts", request.removeHosts());
        if (!tooMany.isEmpty()) {
            throw new InvalidRequestException(tooMany);
        }
        return gate.run(() -> compute(aggregateId, request, nameGuests));
    }

    private void checkSize(List<FieldProblem> problems, String field, @Nullable List<?> entries) {
        if (entries != null) {
            RequestLimitProperties.checkCount(
                    problems, field, entries.size(), limits.maxWhatIfHosts(), "hosts", "max-what-if-hosts");
        }
    }

    private WhatIfView compute(String aggregateId, WhatIfRequest request, boolean nameGuests) {
        AggregateSnapshot snapshot = aggregates.snapshot(aggregateId);
        List<FieldProblem> problems = new ArrayList<>();
        List<HostFacts> added = new ArrayList<>();
        List<String> addIds = request.addHosts() == null ? List.of() : request.addHosts();
        for (int i = 0; i < addIds.size(); i++) {
            try {
                added.add(hosts.facts(UUID.fromString(String.valueOf(addIds.get(i)))));
            } catch (IllegalArgumentException | NotFoundException e) {
                problems.add(
                        new FieldProblem("addHosts[" + i + "]", "'" + addIds.get(i) + "' is not a registered host"));
            }
        }
        List<HostReport> reports = request.addReports() == null ? List.of() : request.addReports();
        for (int i = 0; i < reports.size(); i++) {
            if (reports.get(i) == null) {
                problems.add(new FieldProblem("addReports[" + i + "]", "null: give a host as POST /hosts takes it"));
                continue;
            }
            try {
                added.add(registration.preview(reports.get(i)));
            } catch (InvalidRequestException e) {
                String prefix = "addReports[" + i + "].";
                e.problems().forEach(p -> problems.add(new FieldProblem(prefix + p.field(), p.problem())));
            }
        }
        List<String> removeIds = request.removeHosts() == null ? List.of() : request.removeHosts();
        List<UUID> removeUuids = removeIds.stream()
                .map(WhatIfService::uuidOrNull)
                .filter(Objects::nonNull)
                .toList();
        Map<UUID, String> removed = census.kindsOfMembers(aggregateId, removeUuids);
        for (int i = 0; i < removeIds.size(); i++) {
            UUID id = uuidOrNull(removeIds.get(i));
            if (id == null || !removed.containsKey(id)) {
                problems.add(new FieldProblem(
                        "removeHosts[" + i + "]",
                        "'" + removeIds.get(i) + "' is not a host of aggregate '" + aggregateId + "'"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        Map<UUID, String> replaced = census.kindsOfMembers(
                aggregateId, added.stream().map(HostFacts::id).toList());
        KindTally now = new KindTally(snapshot.kinds());
        KindTally after = now.copy();
        removed.values().forEach(after::remove);
        Map<String, String> addedNames = new LinkedHashMap<>();
        for (HostFacts host : added) {
            String was = replaced.get(host.id());
            if (was != null && !removed.containsKey(host.id())) {
                after.remove(was);
            }
            after.add(host.kind());
            addedNames.merge(host.kind().id(), host.hostname(), (a, b) -> a + ", " + b);
        }
        KindLabels labels = KindLabels.of(snapshot.kinds()).with(addedNames);
        GuestCpuOutcome before = guestCpus.guestCpu(snapshot.policy(), now.kinds(), labels);
        GuestCpuOutcome then = guestCpus.guestCpu(snapshot.policy(), after.kinds(), labels);
        // the two sides may be computed with different catalogs (a host of another libvirt version joins or
        // leaves): their features are compared by name, each side's set read with its own catalog
        List<String> featuresBefore = before.featureNames();
        List<String> featuresAfter = then.featureNames();
        List<String> gained = featuresBefore == null || featuresAfter == null
                ? List.of()
                : featuresAfter.stream()
                        .filter(f -> !featuresBefore.contains(f))
                        .toList();
        List<String> lost = featuresBefore == null || featuresAfter == null
                ? List.of()
                : featuresBefore.stream()
                        .filter(f -> !featuresAfter.contains(f))
                        .toList();
        List<RecommendedCpuView.BelowBaseline> blocking = new ArrayList<>();
        for (String kind : after.counts().keySet()) {
            // every counted kind has its facts
            List<String> missing =
                    guestCpus.missingOn(before, HostFacts.ofKind(kind, Objects.requireNonNull(after.facts(kind))));
            if (!missing.isEmpty()) {
                blocking.add(new RecommendedCpuView.BelowBaseline(labels.name(kind), missing));
            }
        }
        MigrationContract contractBefore = contract(snapshot.policy(), now, labels);
        MigrationContract contractAfter = contract(snapshot.policy(), after, labels);
        List<WhatIfView.PlatformBlockingHost> platformBlocking = new ArrayList<>();
        if (contractBefore != null) {
            for (String kind : after.counts().keySet()) {
                List<String> blockers = contractBefore
                        .guestPlatform()
                        .blockers(
                                labels.name(kind),
                                Objects.requireNonNull(after.facts(kind)).migration());
                if (!blockers.isEmpty()) {
                    platformBlocking.add(new WhatIfView.PlatformBlockingHost(labels.name(kind), blockers));
                }
            }
        }
        return new WhatIfView(
                aggregateId,
                side(now.counts(), labels, before, contractBefore),
                side(after.counts(), labels, then, contractAfter),
                gained,
                lost,
                blocking,
                platformBlocking,
                stranded.stranded(aggregateId, added, removed.keySet(), nameGuests));
    }

    private static @Nullable UUID uuidOrNull(@Nullable String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The migration contract of one side's hosts; null without hosts. */
    private static @Nullable MigrationContract contract(CpuPolicy policy, KindTally side, KindLabels labels) {
        Map<String, CpuKindFacts> kinds = side.kinds();
        return kinds.isEmpty() ? null : RecommendationService.migrationContract(policy, kinds, side.counts(), labels);
    }

    private static WhatIfView.Side side(
            Map<String, Integer> kinds,
            KindLabels labels,
            GuestCpuOutcome outcome,
            @Nullable MigrationContract contract) {
        GuestCpu cpu = outcome.cpu();
        return new WhatIfView.Side(
                kinds.values().stream().mapToInt(Integer::intValue).sum(),
                kinds.entrySet().stream()
                        .map(e -> new WhatIfView.KindCount(e.getKey(), labels.name(e.getKey()), e.getValue()))
                        .toList(),
                outcome.describe(),
                cpu == null ? null : cpu.mode().libvirtName(),
                cpu == null ? null : cpu.model(),
                cpu == null
                        ? List.of()
                        : cpu.features().stream()
                                .map(RecommendedCpuView.Feature::of)
                                .toList(),
                contract == null ? null : MigrationContractView.of(contract));
    }
}
