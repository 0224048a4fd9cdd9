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
    LIBVIRT_11_3("11.3", "catalog/cpu_map-libvirt-11.3/", "catalog/catalog-libvirt-11.3.properties"),
    /**
     * libvirt 12.8.0 (Debian unstable): the CPUs and features of 2025 and 2026 (cet-ss, EPYC-Turin, Xeon 6, …); its
     * results are compared with libvirt 12.8 itself, run from a Debian unstable root.
     */
    LIBVIRT_12_8("12.8", "catalog/cpu_map-libvirt-12.8/", "catalog/catalog-libvirt-12.8.properties");

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

    /** The releases of the bundled maps, for messages: {@code [9.0, 11.3, 12.8]}. */
    public static List<String> libvirtVersions() {
        return Arrays.stream(values()).map(BundledMap::libvirtVersion).toList();
    }

    /** The same in words: {@code 9.0, 11.3 and 12.8}. */
    public static String libvirtVersionsInWords() {
        List<String> versions = libvirtVersions();
        return String.join(", ", versions.subList(0, versions.size() - 1)) + " and "
                + versions.get(versions.size() - 1);
    }
}
