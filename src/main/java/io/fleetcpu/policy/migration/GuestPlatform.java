package io.fleetcpu.policy.migration;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a guest runs with beyond its CPU, and what of it a host cannot take: a migration check's guest, or the guests
 * an aggregate's migration contract starts ({@link MigrationContract#guestPlatform()}).
 *
 * @param machineType the versioned machine type it runs with; null when not given
 * @param physAddrBits the physical address bits it sees; null when not given
 */
public record GuestPlatform(
        @Nullable String machineType, @Nullable Integer physAddrBits) {

    /** What stops the guest from moving to a host with these facts; empty when nothing known does. */
    public List<String> blockers(String host, MigrationFacts target) {
        List<String> blockers = new ArrayList<>();
        List<String> offered = target.machineTypes();
        if (machineType != null && offered != null && !offered.contains(machineType)) {
            blockers.add("host " + host + " does not offer machine type " + machineType + " (its QEMU"
                    + (target.qemuMajor() == null ? "" : " " + target.qemuMajor()) + " offers " + newest(host, target)
                    + "): QEMU cannot start the guest's device model there");
        }
        Integer bits = target.physAddrBits();
        if (physAddrBits != null && bits != null && bits < physAddrBits) {
            blockers.add("host " + host + " gives at most " + bits + " physical address bits; the guest sees "
                    + physAddrBits + ", so memory mapped above the host's limit would crash it there");
        }
        return blockers;
    }

    /** What the guest asked that a host with these facts did not report. */
    public List<String> unchecked(MigrationFacts target) {
        List<String> unchecked = new ArrayList<>();
        if (machineType != null && target.machineTypes() == null) {
            unchecked.add("machine type " + machineType + ": the host reported no machine types");
        }
        if (physAddrBits != null && target.physAddrBits() == null) {
            unchecked.add(physAddrBits + " physical address bits: the host did not report its own");
        }
        return unchecked;
    }

    /** The newest versioned q35 and i440fx types the host offers, as a contract of that host alone says them. */
    private static String newest(String host, MigrationFacts target) {
        var newest = MigrationContract.of(List.of(new MigrationContract.Member(host, target)))
                .machineTypes()
                .values();
        return newest.isEmpty() ? "no versioned q35 or i440fx type" : "at newest " + String.join(" and ", newest);
    }
}
