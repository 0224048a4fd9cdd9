/**
 * The implementations of the hosts interfaces, one job each, and the storage they share (docs/architecture.md).
 * Nothing outside this package may use it.
 */
@NullMarked
package io.fleetcpu.hosts.internal;

import org.jspecify.annotations.NullMarked;
