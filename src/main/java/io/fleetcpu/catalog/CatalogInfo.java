package io.fleetcpu.catalog;

import org.jspecify.annotations.Nullable;

/**
 * Which catalog answered: every result should say so, and whether such results are checked against libvirt.
 *
 * @param source where the cpu_map comes from
 * @param libvirtVersion the libvirt release the cpu_map is from
 * @param verifiedAgainstLibvirt whether fleetcpu's results with this map are compared with libvirt's own on the same
 *        inputs (the differential tests run libvirt 9.0.0 and, from a Debian unstable root, 12.8.0); false for the
 *        bundled libvirt 11.3 map (libvirt 11.3 is not run where fleetcpu is tested), for a map read from a directory
 *        and for the common part of two maps that differs from both
 * @param verification what was verified, in words
 * @param name the catalog as hosts, kinds and answers name it: {@code libvirt 9.0}, {@code libvirt 11.3}, a map a host's
 *        agent sent ({@code libvirt 12.5 (map 3f2a9c1e0b7d)}), or for an aggregate whose members run both, {@code
 *        libvirt 9.0 ∩ libvirt 11.3} (the part both maps define alike)
 * @param cpuMapDigest the map's {@link CpuMapDigest}; null for the part two maps define alike
 */
public record CatalogInfo(
        String source,
        @Nullable String libvirtVersion,
        boolean verifiedAgainstLibvirt,
        String verification,
        String name,
        @Nullable String cpuMapDigest) {}
