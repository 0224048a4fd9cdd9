package io.fleetcpu.aggregates.internal;

/**
 * Everything an aggregate's answers depend on, as two numbers kept in PostgreSQL: {@code policy} changes with its
 * description and policy, {@code members} with its members and their kinds of CPU (database triggers change it in
 * the transaction that makes the change). Equal versions, equal answers, on every instance.
 */
public record AggregateVersion(String aggregate, java.time.Instant created, long policy, long members) {}
