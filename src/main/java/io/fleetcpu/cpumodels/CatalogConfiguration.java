package io.fleetcpu.cpumodels;

import java.nio.file.Path;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.fleetcpu.catalog.CpuCatalog;

/** Loads the CPU catalog once at start; every answer names the catalog it came from. */
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

    @Bean
    CpuCatalog cpuCatalog(CatalogProperties properties) {
        if (properties.directory() == null || properties.directory().isBlank()) {
            return CpuCatalog.bundled();
        }
        String version = properties.libvirtVersion() == null ? "unknown" : properties.libvirtVersion();
        return CpuCatalog.fromDirectory(Path.of(properties.directory()), version);
    }
}
