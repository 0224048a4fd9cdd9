package io.fleetcpu.agent;

import io.fleetcpu.agent.libvirt.LibvirtHostFacts;
import io.fleetcpu.agent.libvirt.LibvirtHostReader;
import java.util.ArrayList;
import java.util.List;

/** libvirt itself, through {@link LibvirtHostReader}; libvirt.so is loaded only when a host is really read. */
final class LiveLibvirt implements LibvirtFactsSource {

    static final LiveLibvirt INSTANCE = new LiveLibvirt();

    private LiveLibvirt() {}

    @Override
    public LibvirtFacts read(String uri, int maxGuests) {
        LibvirtHostFacts facts = new LibvirtHostReader().read(uri, maxGuests);
        List<String> notes = new ArrayList<>(facts.notes());
        Registration.Guests guests = facts.domains() == null ? null : GuestInventory.of(facts.domains(), notes);
        return new LibvirtFacts(
                facts.capabilitiesXml(),
                facts.domainCapabilitiesXml(),
                facts.expandedCpuXml(),
                facts.migratableCpuXml(),
                facts.hypervisorCpuXml(),
                facts.libvirtVersion(),
                facts.qemuVersion(),
                facts.hostUuid().toString(),
                notes,
                guests);
    }
}
