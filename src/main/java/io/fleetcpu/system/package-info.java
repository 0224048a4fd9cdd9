/**
 * What every feature stands on: credentials and roles, RFC 9457 problem+json errors, request limits and strict JSON,
 * the embedded PostgreSQL, the clock, and {@link io.fleetcpu.system.ComputeGate} (503 when too many computations
 * wait). Uses no feature package (only {@code libvirtxml}'s exception, to answer it).
 *
 * <p>This package is what other modules may use: the exceptions that become 4xx answers ({@code NotFoundException},
 * {@code ConflictException}, {@code InvalidRequestException}, …), a request's {@link io.fleetcpu.system.Credential}
 * and its {@link io.fleetcpu.system.Role}, the limits ({@code RequestLimitProperties}), {@code ComputeGate},
 * {@code JsonMergePatch}, {@code SecurityHeaders}' policies. How it is done lives in {@code system.internal}, which no
 * other module can reach: the token filter and the rules by path ({@code ApiTokenFilter}, {@code AccessRules}), the
 * credentials and token files, the problem answers ({@code Problems}, {@code ProblemAdvice}, {@code ErrorAnswers}),
 * the request body limits, strict JSON, the embedded PostgreSQL and its files, the OpenAPI configuration.
 */
@NullMarked
@ApplicationModule(
        displayName = "Tokens, errors, limits and the database",
        allowedDependencies = {"libvirtxml"})
package io.fleetcpu.system;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
