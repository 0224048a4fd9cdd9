package io.fleetcpu.hosts;

import java.util.List;

/**
 * Published inside a host's registration, before its membership is stored, so that the aggregates
 * it names exist by then (created with the default policy when new).
 */
public record AggregatesNamed(List<String> aggregateIds) {
}
