package io.fleetcpu.policy.migration;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The families of x86 machine types guests are started with, whose versioned members ({@code pc-q35-7.2},
 * {@code pc-i440fx-9.2}, RHEL's {@code pc-q35-rhel9.6.0}, a bug-fix {@code pc-q35-4.0.1}) keep a guest's device model
 * fixed across QEMU releases. The moving aliases ({@code q35}, {@code pc}) are not members: they name another
 * version after an upgrade. An upstream QEMU offers no RHEL type and a RHEL one no upstream type, so the two never
 * need comparing.
 */
public enum MachineTypeFamily {
    Q35(Pattern.compile("pc-q35-(?:rhel)?(\\d{1,4})\\.(\\d{1,3})(?:\\.(\\d{1,3}))?")),
    I440FX(Pattern.compile("pc-i440fx-(?:rhel)?(\\d{1,4})\\.(\\d{1,3})(?:\\.(\\d{1,3}))?"));

    /**
     * A versioned machine type of any family as QEMU names them: a family, a dash, and a version ({@code pc-q35-7.2},
     * {@code pc-i440fx-2.12}, {@code virt-9.2}).
     */
    private static final Pattern ANY_VERSIONED =
            Pattern.compile("[a-z][a-z0-9-]{0,40}-(?:rhel)?\\d{1,4}\\.\\d{1,3}(?:\\.\\d{1,3})?");

    private final Pattern versioned;

    MachineTypeFamily(Pattern versioned) {
        this.versioned = versioned;
    }

    /** As operators and QEMU name it: {@code q35}, {@code i440fx}. */
    public String operatorName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this is a versioned machine type of the family. */
    public boolean contains(String machineType) {
        return versioned.matcher(machineType).matches();
    }

    /** Newest first: {@code pc-q35-10.0} before {@code pc-q35-9.2}. Only for members of the family. */
    public Comparator<String> newestFirst() {
        return Comparator.comparingLong(this::version).reversed();
    }

    /** The family of a versioned machine type, if it is of one. */
    public static Optional<MachineTypeFamily> of(String machineType) {
        for (MachineTypeFamily family : values()) {
            if (family.contains(machineType)) {
                return Optional.of(family);
            }
        }
        return Optional.empty();
    }

    /**
     * Why a guest cannot be said to run with this machine type, if it cannot: a name that is not versioned (an alias
     * such as {@code q35} stands for another type on each host).
     */
    public static Optional<String> whyNotVersioned(String machineType) {
        if (ANY_VERSIONED.matcher(machineType).matches()) {
            return Optional.empty();
        }
        return Optional.of(
                "'" + machineType + "' is not a versioned machine type such as pc-q35-7.2: a guest runs with "
                        + "one (virsh dumpxml shows it), while an alias such as q35 or pc stands for another on each host");
    }

    /** The versioned machine types of every family among these. */
    public static Set<String> versioned(Collection<String> machineTypes) {
        Set<String> versioned = new TreeSet<>();
        for (String type : machineTypes) {
            if (of(type).isPresent()) {
                versioned.add(type);
            }
        }
        return versioned;
    }

    /** A member's version as a number to sort by: {@code pc-q35-7.2} → 7,002,000; {@code pc-q35-rhel9.6.0} → 9,006,000. */
    private long version(String machineType) {
        Matcher m = versioned.matcher(machineType);
        if (!m.matches()) {
            throw new IllegalArgumentException(machineType + " is not a versioned " + operatorName() + " machine type");
        }
        long patch = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        return (Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2))) * 1000 + patch;
    }
}
