package io.fleetcpu.aggregates;

import io.fleetcpu.hosts.HostFacts;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The guests a change of an aggregate's hosts would strand, for {@link WhatIfService}. The guest inventory answers it
 * ({@code guests}, a module that uses this one, so the question is asked through this port).
 */
public interface StrandedGuests {

    /**
     * @param added      the hosts the change adds (registered or described inline)
     * @param removed    the members it takes out
     * @param nameGuests whether the caller may read guest names and UUIDs (tenant data); else they are withheld
     */
    WhatIfView.Stranded stranded(String aggregateId, List<HostFacts> added, Set<UUID> removed, boolean nameGuests);
}
