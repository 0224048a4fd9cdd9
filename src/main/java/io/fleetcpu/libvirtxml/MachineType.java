package io.fleetcpu.libvirtxml;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One {@code <machine>} a host's QEMU offers for an arch ({@code virsh capabilities}, {@code <guest><arch>}): a
 * versioned machine type ({@code pc-q35-7.2}), or a moving alias ({@code q35}, {@code pc}) with the versioned type it
 * stands for today.
 *
 * @param name       the element's text
 * @param canonical  {@code @canonical}: for an alias, the versioned type it stands for; null for a versioned type
 * @param deprecated {@code @deprecated='yes'}: QEMU will drop it
 */
public record MachineType(String name, @Nullable String canonical, boolean deprecated) {

    public MachineType {
        Objects.requireNonNull(name, "name");
    }

    static MachineType read(XmlElement machine) {
        return new MachineType(
                machine.text(),
                machine.attribute("canonical").orElse(null),
                machine.attribute("deprecated").map("yes"::equals).orElse(false));
    }
}
