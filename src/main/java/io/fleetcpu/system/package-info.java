/**
 * What every feature stands on: credentials and roles ({@link io.fleetcpu.system.ApiTokenFilter}),
 * RFC 9457 problem+json errors ({@link io.fleetcpu.system.Problems}, {@link io.fleetcpu.system.ProblemAdvice}),
 * request limits and strict JSON, the embedded PostgreSQL, the clock, and {@link io.fleetcpu.system.ComputeGate}
 * (503 when too many computations wait). Uses no feature package (only {@code libvirtxml}'s exception, to answer it).
 */
@NullMarked
@ApplicationModule(
        displayName = "Tokens, errors, limits and the database",
        allowedDependencies = {"libvirtxml"})
package io.fleetcpu.system;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
