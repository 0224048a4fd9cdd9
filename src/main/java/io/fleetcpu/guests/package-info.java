/**
 * The guests on the fleet's hosts: what each aggregate's running and defined guests are configured with, how far a
 * change of the recommended CPU has rolled out, and which guests could not live-migrate to which member
 * ({@code GET /aggregates/{id}/guests}). Guests are reported by the agents with their hosts ({@code hosts} stores
 * them); their migration checks are the fleet's ({@code fleet}), over each guest's own CPU.
 */
@NullMarked
@ApplicationModule(
        displayName = "Guest inventory",
        allowedDependencies = {
            "aggregates",
            "fleet",
            "hosts",
            "libvirtxml",
            "policy",
            "policy :: guest",
            "policy :: migration",
            "system"
        })
package io.fleetcpu.guests;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
