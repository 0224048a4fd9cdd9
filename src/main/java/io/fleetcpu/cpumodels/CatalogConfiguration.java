package io.fleetcpu.cpumodels;

import java.nio.file.Path;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CatalogException;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.policy.GuestLevels;
import io.fleetcpu.policy.GuestVisibility;

/** Loads the CPU catalog once at start; every answer names the catalog it came from. */
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

    @Bean
    CpuCatalog cpuCatalog(CatalogProperties properties) {
        boolean versionSet = properties.libvirtVersion() != null && !properties.libvirtVersion().isBlank();
        if (properties.directory() == null || properties.directory().isBlank()) {
            if (!versionSet) {
                return CpuCatalog.bundled();
            }
            return CpuCatalog.bundled(BundledMap.of(properties.libvirtVersion()).orElseThrow(() -> new CatalogException(
                    "fleetcpu.catalog.libvirt-version=" + properties.libvirtVersion() + ": fleetcpu bundles the cpu_map of"
                            + " libvirt " + String.join(" and ", BundledMap.libvirtVersions())
                            + "; for another, set fleetcpu.catalog.directory to that libvirt's cpu_map directory")));
        }
        String version = !versionSet ? "unknown" : properties.libvirtVersion();
        return CpuCatalog.fromDirectory(Path.of(properties.directory()), version);
    }

    /** What guests can get on hosts that sent no hypervisor view: their CPU without KVM's host-only features. */
    @Bean
    GuestVisibility guestVisibility(CpuCatalog catalog) {
        return new GuestVisibility(catalog, HostOnlyFeatures.bundled());
    }

    /** The x86-64 microarchitecture level guests get on each host, from the same view. */
    @Bean
    GuestLevels guestLevels(CpuCatalog catalog, GuestVisibility visibility) {
        return new GuestLevels(catalog, visibility);
    }
}
