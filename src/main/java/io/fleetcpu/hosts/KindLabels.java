package io.fleetcpu.hosts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * How answers name kinds of CPU. The engine computes over kinds and names them by id; answers name each by its first
 * host, with how many more share its CPU: "compute-017" for a kind of one host, "compute-017 (+41 alike)" for more.
 */
public final class KindLabels implements UnaryOperator<String> {

    private final Map<String, String> names;

    private KindLabels(Map<String, String> names) {
        this.names = names;
    }

    /** Names for these kinds; a kind without example hosts keeps its id. */
    public static KindLabels of(List<KindMembers> kinds) {
        Map<String, String> names = new HashMap<>();
        Map<String, Long> uses = kinds.stream()
                .filter(k -> !k.exampleHosts().isEmpty())
                .collect(java.util.stream.Collectors.groupingBy(
                        k -> k.exampleHosts().get(0).hostname(), java.util.stream.Collectors.counting()));
        for (KindMembers kind : kinds) {
            if (!kind.exampleHosts().isEmpty()) {
                KindMembers.HostRef first = kind.exampleHosts().get(0);
                // Two hosts may share a hostname (a re-imaged machine): those are told apart by their ids.
                String host = uses.getOrDefault(first.hostname(), 1L) > 1
                        ? first.hostname() + " (" + first.id() + ")"
                        : first.hostname();
                names.put(kind.kindId(), kind.hosts() > 1 ? host + " (+" + (kind.hosts() - 1) + " alike)" : host);
            }
        }
        return new KindLabels(names);
    }

    /** Adds names for kinds given by name (hosts not stored, as what-if's inline reports). */
    public KindLabels with(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(names);
        more.forEach(all::putIfAbsent);
        return new KindLabels(all);
    }

    /** The name of one kind. */
    public String name(String kindId) {
        return names.getOrDefault(kindId, kindId);
    }

    /** A name, or a sentence, with every kind id in it replaced by the kind's name. */
    @Override
    public @Nullable String apply(@Nullable String text) {
        if (text == null) {
            return null;
        }
        String named = names.get(text);
        if (named != null) {
            return named;
        }
        String result = text;
        for (Map.Entry<String, String> e : names.entrySet()) {
            if (result.contains(e.getKey())) {
                result = result.replace(e.getKey(), e.getValue());
            }
        }
        return result;
    }
}
