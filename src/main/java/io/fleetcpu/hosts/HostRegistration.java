package io.fleetcpu.hosts;

import io.fleetcpu.system.Credential;

/** Hosts as their agents describe them: {@code POST /hosts}, and what a registration would store. */
public interface HostRegistration {

    /** The host as the registration left it (with what it changed), and whether the registration created it. */
    record Registered(HostView host, boolean created) {}

    /**
     * Idempotent: the same report twice leaves the host as it was after the first, and the second writes nothing
     * but the host's lastSeenAt. An agent registers only its own hosts: the ones it registered first, or hosts no
     * agent has registered yet.
     *
     * @throws io.fleetcpu.system.InvalidRequestException when the report is incomplete or contradicts itself (422)
     * @throws io.fleetcpu.system.ForbiddenException when an agent registers another agent's host
     */
    Registered register(HostReport report, Credential registrant);

    /** What a registration would store, without storing anything (for what-if questions). */
    HostFacts preview(HostReport report);
}
