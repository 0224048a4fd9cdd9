package io.fleetcpu.agent;

import io.fleetcpu.agent.libvirt.LibvirtException;

/** Where the agent gets libvirt's view of the host; a test double in tests, libvirt itself on a host. */
@FunctionalInterface
public interface LibvirtFactsSource {

    /**
     * @param uri       a libvirt connection URI, e.g. {@code qemu:///system}
     * @param maxGuests the most domains to report; 0 reports none (and leaves {@link LibvirtFacts#guests()} null)
     * @throws LibvirtException when libvirt cannot be loaded, reached, or cannot answer
     */
    LibvirtFacts read(String uri, int maxGuests);
}
