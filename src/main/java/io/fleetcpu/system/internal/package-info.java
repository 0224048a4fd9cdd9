/**
 * The door every request passes: credentials and roles, body limits, strict JSON, problem answers, the embedded
 * PostgreSQL and the clock. No other module may use it.
 */
@NullMarked
package io.fleetcpu.system.internal;

import org.jspecify.annotations.NullMarked;
