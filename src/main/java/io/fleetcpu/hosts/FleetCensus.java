package io.fleetcpu.hosts;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The fleet's hosts counted by kind of CPU, from the counts the database keeps (cpu_kind_hosts and aggregate_kind,
 * kept by triggers in the transaction that adds, deletes or re-kinds a host): reading them costs O(kinds), never a
 * scan of the host table. The read side of hosts: an aggregate's or the fleet's kinds with their members, hosts named
 * per kind, and the inventory.
 */
public interface FleetCensus {

    /** The hosts of one kind of CPU, with what a dashboard groups them by. */
    record KindCount(String kindId, String arch, String vendor, String model, boolean modelKnown, long hosts) {}

    /** Every kind of CPU that has hosts, by id. */
    List<KindCount> hostsByKind();

    /** The fleet's hosts by the catalog (cpu_map) their CPU is read with ({@code CpuKindFacts.catalog}). */
    Map<String, Long> hostsByCatalog();

    /**
     * The aggregate's hosts counted by kind, from the counts the database keeps: no host row is read. Call it inside
     * the caller's transaction to read it in one snapshot with the aggregate's version.
     *
     * @param examples name the first few hosts of each kind
     */
    List<KindMembers> kindsIn(String aggregateId, boolean examples);

    /** Every host of the fleet counted by kind. */
    List<KindMembers> kindsInFleet(boolean examples);

    /** The kind of the aggregate's first host by hostname, whose model libvirt's baseline prefers; null when empty. */
    @Nullable
    String firstHostKind(String aggregateId);

    /** The kind of each of these hosts that is in the aggregate; hosts that are not are left out. */
    Map<UUID, String> kindsOfMembers(String aggregateId, Collection<UUID> hostIds);

    /** Every hostname of these kinds (in the aggregate, when given), by kind, ordered by hostname. */
    Map<String, List<String>> hostnamesByKind(Collection<String> kindIds, @Nullable String aggregateId);

    /** Kinds counted elsewhere, with their facts. */
    List<KindMembers> kinds(Map<String, Integer> counts);

    /** The fleet counted the ways a dashboard shows it. */
    InventoryView inventory();
}
