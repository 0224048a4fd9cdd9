package io.fleetcpu.hosts;

import java.util.ArrayList;
import java.util.List;

/**
 * Published inside a host's registration, before its membership is stored, so that the aggregates
 * it names exist by then (created with the default policy when new). The listener that creates them
 * names them in {@link #created()}, so the registration's answer can show them (a misspelt name shows up there).
 */
public record AggregatesNamed(List<String> aggregateIds, List<String> created) {

    public AggregatesNamed(List<String> aggregateIds) {
        this(aggregateIds, new ArrayList<>());
    }
}
