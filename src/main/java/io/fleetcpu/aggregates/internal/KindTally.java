package io.fleetcpu.aggregates.internal;

import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.KindMembers;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** An aggregate's hosts counted by kind, changed on paper (what-if, drift). */
public final class KindTally {

    private final Map<String, Integer> counts;
    private final Map<String, CpuKindFacts> facts;

    public KindTally(List<KindMembers> kinds) {
        this(new LinkedHashMap<>(), new HashMap<>());
        kinds.forEach(k -> {
            counts.put(k.kindId(), k.hosts());
            facts.put(k.kindId(), k.facts());
        });
    }

    private KindTally(Map<String, Integer> counts, Map<String, CpuKindFacts> facts) {
        this.counts = counts;
        this.facts = facts;
    }

    public KindTally copy() {
        return new KindTally(new LinkedHashMap<>(counts), new HashMap<>(facts));
    }

    /** One host of the kind fewer. */
    public void remove(String kindId) {
        counts.computeIfPresent(kindId, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** One host of the kind more. */
    public void add(CpuKindFacts kind) {
        facts.putIfAbsent(kind.id(), kind);
        counts.merge(kind.id(), 1, Integer::sum);
    }

    public Map<String, Integer> counts() {
        return counts;
    }

    @Nullable
    public CpuKindFacts facts(String kindId) {
        return facts.get(kindId);
    }

    /** The kinds with hosts, by id. */
    public Map<String, CpuKindFacts> kinds() {
        Map<String, CpuKindFacts> kinds = new TreeMap<>();
        counts.keySet().forEach(id -> kinds.put(id, facts.get(id)));
        return kinds;
    }
}
