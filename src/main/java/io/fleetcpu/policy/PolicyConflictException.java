package io.fleetcpu.policy;

import java.util.List;

/** The policy cannot be met by these hosts, and it says to refuse rather than recommend something less. */
public class PolicyConflictException extends RuntimeException {

    private final List<String> hosts;

    public PolicyConflictException(String message, List<String> hosts) {
        super(message);
        this.hosts = List.copyOf(hosts);
    }

    /** The hosts in the way. */
    public List<String> hosts() {
        return hosts;
    }
}
