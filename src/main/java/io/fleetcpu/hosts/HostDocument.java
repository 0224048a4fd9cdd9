package io.fleetcpu.hosts;

import org.jspecify.annotations.Nullable;

/** The raw libvirt documents kept for each host, so a better parser can read them again. */
public enum HostDocument {
    CAPABILITIES("capabilities"),
    DOMAIN_CAPABILITIES("domain-capabilities"),
    EXPANDED_CPU("expanded-cpu"),
    MIGRATABLE_CPU("migratable-cpu"),
    HYPERVISOR_CPU("hypervisor-cpu");

    private final String pathName;

    HostDocument(String pathName) {
        this.pathName = pathName;
    }

    public String pathName() {
        return pathName;
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
