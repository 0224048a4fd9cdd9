package io.fleetcpu.configuration;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CatalogException;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.policy.Catalogs;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the CPU catalogs once at start (the configured one, and with the bundled maps both of them); every answer
 * names the catalog it came from.
 */
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

    @Bean
    CpuCatalog cpuCatalog(CatalogProperties properties) {
        String libvirtVersion = properties.libvirtVersion();
        if (libvirtVersion != null && libvirtVersion.isBlank()) {
            libvirtVersion = null;
        }
        if (properties.directory() == null || properties.directory().isBlank()) {
            if (libvirtVersion == null) {
                return CpuCatalog.bundled();
            }
            String set = libvirtVersion;
            return CpuCatalog.bundled(BundledMap.of(set)
                    .orElseThrow(() -> new CatalogException("fleetcpu.catalog.libvirt-version=" + set
                            + ": fleetcpu bundles the cpu_map of"
                            + " libvirt " + BundledMap.libvirtVersionsInWords()
                            + "; for another, set fleetcpu.catalog.directory to that libvirt's cpu_map directory")));
        }
        String version = libvirtVersion == null ? "unknown" : libvirtVersion;
        return CpuCatalog.fromDirectory(Path.of(properties.directory()), version);
    }

    /**
     * The catalogs hosts are read with: the map a host's agent sent ({@code Catalogs.StoredMaps}), else the bundled
     * map of its libvirt version, the configured one for hosts that do not say; a cpu_map directory, when set, for
     * every host.
     */
    @Bean
    Catalogs catalogs(
            CpuCatalog catalog,
            CatalogProperties properties,
            PolicyProperties policy,
            ObjectProvider<Catalogs.StoredMaps> stored) {
        Catalogs catalogs = properties.directory() == null
                        || properties.directory().isBlank()
                ? Catalogs.bundled(
                        catalog, HostOnlyFeatures.bundled(), stored.getIfAvailable(() -> Catalogs.StoredMaps.NONE))
                : Catalogs.only(catalog, HostOnlyFeatures.bundled());
        return catalogs.withObsoleteModels(policy.obsoleteModels());
    }
}
