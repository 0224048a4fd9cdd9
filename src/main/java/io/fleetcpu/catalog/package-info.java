/**
 * libvirt's CPU map, read as libvirt reads it: {@link io.fleetcpu.catalog.CpuCatalog} (models, feature
 * definitions, the one expansion rule {@code expand}: model + required - disabled), the bundled maps of libvirt 9.0
 * and 11.3 ({@link io.fleetcpu.catalog.BundledMap}), feature sets as bit sets and the features KVM never gives
 * guests. Plain Java (no Spring, no storage, no libvirt); may use only {@code libvirtxml}.
 */
@NullMarked
@ApplicationModule(
        displayName = "libvirt's CPU map",
        allowedDependencies = {"libvirtxml"})
package io.fleetcpu.catalog;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
