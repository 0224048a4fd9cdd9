package io.fleetcpu.hosts;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Published inside a registration whose CPU facts are new or changed, in its transaction, before the host's row and
 * memberships are written (they lock their aggregates' counts until the transaction ends, so they are written
 * last), so that other features can record the drift and what it does to the aggregates.
 *
 * @param before the facts until now, or null for a host registering for the first time
 * @param aggregatesBefore the host's aggregates until now
 * @param aggregates the host's aggregates after the registration
 */
public record HostFactsRecorded(
        @Nullable HostFacts before,
        HostFacts after,
        List<String> aggregatesBefore,
        List<String> aggregates,
        Instant at) {}
