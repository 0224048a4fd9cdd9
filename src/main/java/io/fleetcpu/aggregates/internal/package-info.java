/**
 * The aggregates' machinery: the entity and its repository, snapshots and versions, the engines and answer caches, the
 * port that creates missing aggregates. No other module may use it.
 */
@NullMarked
package io.fleetcpu.aggregates.internal;

import org.jspecify.annotations.NullMarked;
