package io.fleetcpu.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The libvirt cpu_maps shipped inside fleetcpu (see {@code catalog/README.md} in the resources): each an unchanged copy
 * of a Debian package's {@code /usr/share/libvirt/cpu_map}, with a properties file of facts about it next to it.
 */
public enum BundledMap {
    /** libvirt 9.0.0 (Debian 12): the default, and the libvirt the differential tests run here. */
    LIBVIRT_9_0("9.0", "catalog/cpu_map/", "catalog/catalog.properties"),
    /** libvirt 11.3.0 (Debian 13): knows newer CPUs and features; its results are not compared with libvirt 11.3. */
    LIBVIRT_11_3("11.3", "catalog/cpu_map-libvirt-11.3/", "catalog/catalog-libvirt-11.3.properties");

    private final String libvirtVersion;
    private final String directoryResource;
    private final String factsResource;

    BundledMap(String libvirtVersion, String directoryResource, String factsResource) {
        this.libvirtVersion = libvirtVersion;
        this.directoryResource = directoryResource;
        this.factsResource = factsResource;
    }

    /** The libvirt release as operators write it: {@code 9.0}, {@code 11.3}. */
    public String libvirtVersion() {
        return libvirtVersion;
    }

    String directoryResource() {
        return directoryResource;
    }

    String factsResource() {
        return factsResource;
    }

    /** The bundled map of a libvirt release, written {@code 11.3} or {@code 11.3.0}. */
    public static Optional<BundledMap> of(String libvirtVersion) {
        String v = libvirtVersion.strip();
        return Arrays.stream(values())
                .filter(m -> v.equals(m.libvirtVersion) || v.equals(m.libvirtVersion + ".0"))
                .findFirst();
    }

    /** The releases of the bundled maps, for messages: {@code [9.0, 11.3]}. */
    public static List<String> libvirtVersions() {
        return Arrays.stream(values()).map(BundledMap::libvirtVersion).toList();
    }
}
