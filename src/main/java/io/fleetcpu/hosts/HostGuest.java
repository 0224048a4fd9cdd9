package io.fleetcpu.hosts;

import io.fleetcpu.policy.guest.GuestConfiguration;
import java.util.Objects;
import java.util.UUID;

/**
 * A guest (libvirt domain) of a host, as its agent reported it. Its name and UUID are tenant data.
 *
 * @param running       whether it ran at the report (else it is defined and shut off)
 * @param configuration its CPU and machine type as configured
 */
public record HostGuest(UUID uuid, String name, boolean running, GuestConfiguration configuration) {

    public HostGuest {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(configuration, "configuration");
    }
}
