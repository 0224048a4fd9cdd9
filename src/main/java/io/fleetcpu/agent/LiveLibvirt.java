package io.fleetcpu.agent;

import io.fleetcpu.agent.libvirt.LibvirtHostFacts;
import io.fleetcpu.agent.libvirt.LibvirtHostReader;

/** libvirt itself, through {@link LibvirtHostReader}; libvirt.so is loaded only when a host is really read. */
final class LiveLibvirt implements LibvirtFactsSource {

    static final LiveLibvirt INSTANCE = new LiveLibvirt();

    private LiveLibvirt() {}

    @Override
    public LibvirtFacts read(String uri) {
        LibvirtHostFacts facts = new LibvirtHostReader().read(uri);
        return new LibvirtFacts(
                facts.capabilitiesXml(),
                facts.domainCapabilitiesXml(),
                facts.expandedCpuXml(),
                facts.migratableCpuXml(),
                facts.hypervisorCpuXml(),
                facts.libvirtVersion(),
                facts.qemuVersion(),
                facts.hostUuid().toString(),
                facts.notes());
    }
}
