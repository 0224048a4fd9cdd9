package io.fleetcpu.cpumodels;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which CPU catalog fleetcpu reads.
 *
 * @param directory a libvirt {@code cpu_map} directory (with {@code index.xml}); unset, the bundled
 *        copy of libvirt 9.0.0's map is used
 * @param libvirtVersion the libvirt version that directory comes from, reported with every answer
 */
@ConfigurationProperties("fleetcpu.catalog")
public record CatalogProperties(String directory, String libvirtVersion) {
}
