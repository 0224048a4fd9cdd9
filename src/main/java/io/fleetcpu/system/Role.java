package io.fleetcpu.system;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a credential may do. Each configured token has exactly one role. */
public enum Role {

    /** A compute node's agent: registers its own host (POST /hosts) and nothing else. */
    AGENT(EnumSet.of(Access.REGISTER)),

    /** A dashboard or scheduler: reads, and the questions asked with POST that change nothing. */
    VIEWER(EnumSet.of(Access.READ)),

    /** A person or tool that runs the fleet: everything. */
    OPERATOR(EnumSet.of(Access.READ, Access.REGISTER, Access.OPERATE));

    private final Set<Access> allowed;

    Role(Set<Access> allowed) {
        this.allowed = allowed;
    }

    public boolean may(Access access) {
        return access == Access.OPEN || allowed.contains(access);
    }

    /** The role as the configuration and the documentation name it: agent, viewer, operator. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
