package io.fleetcpu.libvirtxml;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One {@code <guest>} of {@code virsh capabilities}: guests of this OS type and arch can run under these domain
 * types ({@code kvm} means hardware-accelerated, {@code qemu} means emulated).
 *
 * @param osType      {@code <os_type>}: hvm, xen, exe, …
 * @param arch        {@code <arch name>}
 * @param emulator    {@code <arch><emulator>}, or null
 * @param domainTypes {@code <arch><domain type>} in document order
 */
public record GuestCapability(
        String osType, String arch, @Nullable String emulator, List<String> domainTypes) {

    public GuestCapability {
        Objects.requireNonNull(osType, "osType");
        Objects.requireNonNull(arch, "arch");
        domainTypes = List.copyOf(domainTypes);
    }
}
