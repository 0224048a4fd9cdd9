package io.fleetcpu.libvirtxml;

import java.util.List;
import java.util.Map;
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
 * @param machines    {@code <arch><machine>}: the machine types offered under every domain type, in document order
 * @param domainMachines {@code <arch><domain><machine>}: a domain type's own list, where libvirt writes one
 */
public record GuestCapability(
        String osType,
        String arch,
        @Nullable String emulator,
        List<String> domainTypes,
        List<MachineType> machines,
        Map<String, List<MachineType>> domainMachines) {

    public GuestCapability {
        Objects.requireNonNull(osType, "osType");
        Objects.requireNonNull(arch, "arch");
        domainTypes = List.copyOf(domainTypes);
        machines = List.copyOf(machines);
        domainMachines = Map.copyOf(domainMachines);
    }

    /** The machine types guests of this domain type get: the domain's own list where it has one, else the arch's. */
    public List<MachineType> machines(String domainType) {
        List<MachineType> own = domainMachines.get(domainType);
        return own == null || own.isEmpty() ? machines : own;
    }
}
