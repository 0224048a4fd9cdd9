package io.fleetcpu.configuration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which CPU catalog fleetcpu reads.
 *
 * @param directory a libvirt {@code cpu_map} directory (with {@code index.xml}); unset, one of the bundled maps is
 *        used
 * @param libvirtVersion without a directory, which bundled map: {@code 9.0} (the default) or {@code 11.3}; with a
 *        directory, the libvirt version that directory comes from, reported with every answer
 */
@ConfigurationProperties("fleetcpu.catalog")
public record CatalogProperties(
        @Nullable String directory, @Nullable String libvirtVersion) {}
