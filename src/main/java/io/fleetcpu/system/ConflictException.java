package io.fleetcpu.system;

import java.util.List;

/**
 * The request is well formed but the fleet's state does not allow the answer; answered 409, naming
 * the hosts that are in the way.
 */
public class ConflictException extends RuntimeException {

    private final String title;
    private final List<String> hosts;

    public ConflictException(String title, String message, List<String> hosts) {
        super(message);
        this.title = title;
        this.hosts = List.copyOf(hosts);
    }

    public String title() {
        return title;
    }

    public List<String> hosts() {
        return hosts;
    }
}
