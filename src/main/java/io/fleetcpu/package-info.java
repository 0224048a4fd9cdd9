/**
 * fleetcpu: stores what compute-node agents report of their hosts' CPUs and answers which guest CPU each aggregate
 * of hosts should run. Only {@link io.fleetcpu.FleetcpuApplication} lives here: it starts the service, or the agent
 * ({@code java -jar fleetcpu.jar agent}) without Spring. The map of the packages is {@code docs/architecture.md}.
 */
@NullMarked
package io.fleetcpu;

import org.jspecify.annotations.NullMarked;
