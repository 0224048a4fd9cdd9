package io.fleetcpu.hosts;

import java.util.List;

/**
 * The guests a host's last registration reported.
 *
 * @param total  how many domains the host has: more than {@code guests} when the agent's cap left some out
 * @param guests those reported
 */
public record HostGuests(int total, List<HostGuest> guests) {

    public HostGuests {
        guests = List.copyOf(guests);
        if (total < guests.size()) {
            throw new IllegalArgumentException("a host has at least the " + guests.size() + " guests it reports");
        }
    }

    /** Guests the agent's cap left out. */
    public int omitted() {
        return total - guests.size();
    }
}
