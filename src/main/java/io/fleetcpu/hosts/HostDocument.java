package io.fleetcpu.hosts;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The raw libvirt documents kept for each host, so a better parser can read them again. */
public enum HostDocument {
    CAPABILITIES("capabilities", Host::getCapabilitiesXml),
    DOMAIN_CAPABILITIES("domain-capabilities", Host::getDomainCapabilitiesXml),
    EXPANDED_CPU("expanded-cpu", Host::getExpandedCpuXml),
    MIGRATABLE_CPU("migratable-cpu", Host::getMigratableCpuXml),
    HYPERVISOR_CPU("hypervisor-cpu", Host::getHypervisorCpuXml);

    private final String pathName;
    private final Function<Host, @Nullable String> content;

    HostDocument(String pathName, Function<Host, @Nullable String> content) {
        this.pathName = pathName;
        this.content = content;
    }

    public String pathName() {
        return pathName;
    }

    @Nullable
    public String content(Host host) {
        return content.apply(host);
    }

    public static @Nullable HostDocument fromPathName(String name) {
        for (HostDocument d : values()) {
            if (d.pathName.equals(name)) {
                return d;
            }
        }
        return null;
    }
}
