package io.fleetcpu.hosts;

import java.util.Collection;
import java.util.List;

/**
 * The aggregates a host's registration names exist before its membership is stored: those missing are made, with the
 * default policy. Implemented by the aggregates feature and called by the registration, in its transaction: a port,
 * as {@link AdmissionCheck} is, so that hosts never depend on aggregates.
 */
public interface NamedAggregates {

    /**
     * Makes those of these aggregates that do not exist yet, with the default policy.
     *
     * @return the ids it made, sorted (the registration's answer shows them: a misspelt name shows up there)
     */
    List<String> createMissing(Collection<String> aggregateIds);
}
