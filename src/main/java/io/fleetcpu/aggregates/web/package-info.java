/**
 * The aggregates' HTTP side: the aggregate as a resource, its answers, their representations and ETags. No other
 * module may use it.
 */
@NullMarked
package io.fleetcpu.aggregates.web;

import org.jspecify.annotations.NullMarked;
