package io.fleetcpu.catalog;

/** Which catalog answered: every result should say so. */
public record CatalogInfo(String source, String libvirtVersion) {
}
