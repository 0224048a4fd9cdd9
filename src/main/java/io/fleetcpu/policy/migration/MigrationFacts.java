package io.fleetcpu.policy.migration;

import io.fleetcpu.libvirtxml.HostCapabilities;
import io.fleetcpu.libvirtxml.MachineType;
import io.fleetcpu.libvirtxml.TscCounter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a live migration needs of a host beyond its CPU's features: the machine types its QEMU offers, the physical
 * address bits it gives guests, its TSC, and the major versions of its QEMU and libvirt. Every fact is unknown (null)
 * where the host did not report it: nothing is guessed.
 *
 * @param machineTypes the machine types the host's QEMU offers guests of its arch, all but the moving aliases
 *     (deprecated ones too), in the order libvirt lists them; null when unknown
 * @param deprecatedMachineTypes those of them QEMU marks deprecated
 * @param machineTypeAliases each moving alias ({@code pc}, {@code q35}) and the versioned type it stands for on this
 *     host
 * @param physAddrBits the physical address bits libvirt gives guests ({@code <maxphysaddr bits>})
 * @param tscFrequency the host's TSC frequency in Hz, where libvirt reports an invariant TSC
 * @param tscScaling whether KVM can give guests another TSC frequency; null when not said
 * @param qemuMajor the major version of the host's QEMU ({@code 7} for 7.2.22)
 * @param libvirtMajor the major version of the host's libvirt
 */
public record MigrationFacts(
        @Nullable List<String> machineTypes,
        List<String> deprecatedMachineTypes,
        Map<String, String> machineTypeAliases,
        @Nullable Integer physAddrBits,
        @Nullable Long tscFrequency,
        @Nullable Boolean tscScaling,
        @Nullable Integer qemuMajor,
        @Nullable Integer libvirtMajor) {

    /** Nothing known: a host that sent no capabilities and no versions, or one stored before fleetcpu kept these. */
    public static final MigrationFacts UNKNOWN =
            new MigrationFacts(null, List.of(), Map.of(), null, null, null, null, null);

    public MigrationFacts {
        machineTypes = machineTypes == null ? null : List.copyOf(machineTypes);
        deprecatedMachineTypes = List.copyOf(deprecatedMachineTypes);
        machineTypeAliases = Collections.unmodifiableMap(new LinkedHashMap<>(machineTypeAliases));
    }

    /**
     * The facts a host's documents and versions give.
     *
     * @param machines the {@code <machine>} list of {@code virsh capabilities} for the host's arch and domain type;
     *     empty when the document lists none (then unknown)
     */
    public static MigrationFacts of(
            List<MachineType> machines,
            @Nullable Integer physAddrBits,
            @Nullable TscCounter tsc,
            @Nullable String qemuVersion,
            @Nullable String libvirtVersion) {
        Set<String> versioned = new LinkedHashSet<>();
        List<String> deprecated = new ArrayList<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        for (MachineType machine : machines) {
            if (machine.canonical() != null) {
                aliases.put(machine.name(), machine.canonical());
            } else if (versioned.add(machine.name())) {
                if (machine.deprecated()) {
                    deprecated.add(machine.name());
                }
            }
        }
        return new MigrationFacts(
                versioned.isEmpty() ? null : List.copyOf(versioned),
                deprecated,
                aliases,
                physAddrBits,
                tsc == null ? null : tsc.frequency(),
                tsc == null ? null : tsc.scaling(),
                major(qemuVersion),
                major(libvirtVersion));
    }

    /**
     * What a host's {@code virsh capabilities} (null: none sent) and versions give: how a registration reads them,
     * and how migration V16 reads what host rows keep.
     */
    public static MigrationFacts of(
            @Nullable HostCapabilities capabilities, @Nullable String qemuVersion, @Nullable String libvirtVersion) {
        return capabilities == null
                ? of(List.of(), null, null, qemuVersion, libvirtVersion)
                : of(
                        capabilities.machineTypes(),
                        capabilities.physAddrBits(),
                        capabilities.tsc(),
                        qemuVersion,
                        libvirtVersion);
    }

    /** Whether nothing at all is known. */
    public boolean unknown() {
        return equals(UNKNOWN);
    }

    /** The number a version starts with ({@code 7} for {@code 7.2.22}); null when it starts with none. */
    static @Nullable Integer major(@Nullable String version) {
        if (version == null) {
            return null;
        }
        int end = 0;
        while (end < version.length() && version.charAt(end) >= '0' && version.charAt(end) <= '9') {
            end++;
        }
        // no release has a major of more than a few digits: anything longer is not a version
        return end == 0 || end > 6 ? null : Integer.valueOf(version.substring(0, end));
    }
}
