package io.fleetcpu.hosts.internal;

import io.fleetcpu.system.Credential;
import io.fleetcpu.system.ForbiddenException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A host belongs to the agent credential that registered it first (its token's fingerprint is kept with the host):
 * another agent credential cannot rename it, change its CPU or move it between aggregates. Operators are not bound.
 * A host with no agent yet (registered by an operator, or before credentials had roles) is bound by the first agent
 * that registers it. To give a host to another agent credential, an operator deletes it and its agent registers it
 * again.
 */
@Component
class AgentBinding {

    private final JdbcClient jdbc;

    AgentBinding(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The fingerprint a registration's quick path must find on the host: the agent's, or null for an operator. */
    static @Nullable String requiredOnHost(Credential registrant) {
        return registrant.isAgent() ? registrant.fingerprint() : null;
    }

    /** Before anything is written: refuses an agent when the host belongs to another agent credential. */
    void check(UUID hostId, Credential registrant) {
        if (registrant.isAgent()) {
            jdbc.sql("select agent_credential from host where id = :id")
                    .param("id", hostId)
                    .query((rs, i) -> rs.getString(1))
                    .list()
                    .forEach(bound -> refuseOther(hostId, bound, registrant));
        }
    }

    /** With the host's row locked: refuses an agent when the stored host (null: none) is another agent's. */
    void check(UUID hostId, @Nullable Host stored, Credential registrant) {
        if (registrant.isAgent() && stored != null) {
            refuseOther(hostId, stored.agentCredential(), registrant);
        }
    }

    /** Binds a host that belongs to no agent yet (new, or registered by an operator) to the registering agent. */
    void claim(Host host, Credential registrant) {
        if (registrant.isAgent() && host.agentCredential() == null) {
            host.bindToAgent(registrant.fingerprint());
        }
    }

    private static void refuseOther(UUID hostId, @Nullable String bound, Credential registrant) {
        if (bound != null && !bound.equals(registrant.fingerprint())) {
            throw new ForbiddenException("host " + hostId + " is registered with another agent credential: an agent "
                    + "registers only the hosts it registered first, and nothing was changed. If this host has "
                    + "really moved to this credential, an operator deletes it (DELETE /hosts/" + hostId
                    + ") and this agent registers it again");
        }
    }
}
