package io.fleetcpu.hosts;

import java.time.Instant;
import java.util.List;

/**
 * Published inside a registration whose CPU facts are new or changed, after they are stored, so that
 * other features can record the drift and what it does to the aggregates.
 *
 * @param before the facts until now, or null for a host registering for the first time
 * @param aggregates the host's aggregates after the registration
 */
public record HostFactsRecorded(HostFacts before, HostFacts after, List<String> aggregates, Instant at) {
}
