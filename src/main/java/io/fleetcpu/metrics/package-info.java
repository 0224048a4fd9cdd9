/**
 * The fleet's gauges on {@code /actuator/prometheus} (docs/metrics.md): hosts by kind from the
 * database's counts, and figures of each aggregate's kept answers, refreshed before a scrape when due. May use
 * {@code hosts} ({@code FleetCensus}), {@code aggregates} ({@code AggregateFigures}) and {@code catalog}.
 */
@NullMarked
@ApplicationModule(
        displayName = "Fleet metrics",
        allowedDependencies = {"aggregates", "catalog", "guests", "hosts", "system"})
package io.fleetcpu.metrics;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
