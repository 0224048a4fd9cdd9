package io.fleetcpu.policy.migration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What guests of a group of hosts must be started with, beyond their CPU, to move live between any two of them: the
 * newest versioned machine type of each family every member offers, the physical address bits every member can give,
 * and the TSC frequency they share; with notes on what is unknown, what was skipped and where members differ.
 * Computed from the members' {@link MigrationFacts}; a fact unknown for one member is not promised for any.
 *
 * @param machineType the one to start guests with: the one the policy pins, else q35's where every member offers
 *     one, else i440fx's; null when none is common or a member's machine types are unknown
 * @param machineTypes family ({@code q35}, {@code i440fx}) → the newest versioned machine type of it that every
 *     member offers and none marks deprecated, or the newest every member offers when all of those are deprecated
 *     somewhere (with a note); never a moving alias ({@code q35}, {@code pc})
 * @param physAddrBits the fewest physical address bits among the members; null when a member's are unknown
 * @param tscFrequency the TSC frequency every member has, in Hz; null when they differ or one is unknown
 * @param notes what an operator should know: unknown facts, deprecated types skipped, different frequencies or
 *     major versions, each naming the members
 */
public record MigrationContract(
        @Nullable String machineType,
        Map<String, String> machineTypes,
        @Nullable Integer physAddrBits,
        @Nullable Long tscFrequency,
        List<String> notes) {

    public MigrationContract {
        machineTypes = Collections.unmodifiableMap(new LinkedHashMap<>(machineTypes));
        notes = List.copyOf(notes);
    }

    /** One member of the group: a name operators know it by, and its facts. */
    public record Member(String name, MigrationFacts facts) {}

    /** The contract of a group of hosts (at least one). */
    public static MigrationContract of(List<Member> members) {
        return of(members, null);
    }

    /**
     * The contract of a group of hosts (at least one) whose guests are started with the machine type a policy pins:
     * it is the contract's whatever the hosts offer, and the notes name the hosts that do not offer it, mark it
     * deprecated, or did not say.
     *
     * @param pinnedMachineType a versioned machine type, or null for the newest the hosts share
     */
    public static MigrationContract of(List<Member> members, @Nullable String pinnedMachineType) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a migration contract needs at least one member");
        }
        List<String> notes = new ArrayList<>();
        Map<String, String> machineTypes = machineTypes(members, notes);
        String machineType = machineTypes.getOrDefault("q35", machineTypes.get("i440fx"));
        if (pinnedMachineType != null) {
            machineType = pinnedMachineType;
            pinned(members, pinnedMachineType, notes);
        }
        Integer bits = physAddrBits(members, notes);
        Long tsc = tscFrequency(members, notes);
        differentMajors(members, MigrationFacts::qemuMajor, "QEMU", notes);
        differentMajors(members, MigrationFacts::libvirtMajor, "libvirt", notes);
        return new MigrationContract(machineType, machineTypes, bits, tsc, notes);
    }

    private static Map<String, String> machineTypes(List<Member> members, List<String> notes) {
        List<String> unknown = members.stream()
                .filter(m -> m.facts().machineTypes() == null)
                .map(Member::name)
                .toList();
        if (!unknown.isEmpty()) {
            notes.add("no machine type is promised: " + names(unknown)
                    + " reported none (their capabilities list no machine types for their arch)");
            return Map.of();
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        for (MachineTypeFamily family : MachineTypeFamily.values()) {
            Set<String> common = null;
            for (Member member : members) {
                Set<String> offered = new TreeSet<>();
                for (String type : Objects.requireNonNull(member.facts().machineTypes())) {
                    if (family.contains(type)) {
                        offered.add(type);
                    }
                }
                if (common == null) {
                    common = offered;
                } else {
                    common.retainAll(offered);
                }
            }
            List<String> newestFirst = Objects.requireNonNull(common).stream()
                    .sorted(family.newestFirst())
                    .toList();
            if (newestFirst.isEmpty()) {
                continue;
            }
            Map<String, List<String>> deprecatedOn = new LinkedHashMap<>();
            for (String type : newestFirst) {
                List<String> deprecating = members.stream()
                        .filter(m -> m.facts().deprecatedMachineTypes().contains(type))
                        .map(Member::name)
                        .toList();
                if (deprecating.isEmpty()) {
                    chosen.put(family.operatorName(), type);
                    break;
                }
                deprecatedOn.put(type, deprecating);
            }
            if (!chosen.containsKey(family.operatorName())) {
                // every common one is deprecated somewhere: still the newest, which works until QEMU drops it
                String newest = newestFirst.get(0);
                chosen.put(family.operatorName(), newest);
                notes.add(newest + " is the newest " + family.operatorName()
                        + " machine type every host offers, and it is "
                        + "deprecated on " + names(Objects.requireNonNull(deprecatedOn.get(newest)))
                        + ": a QEMU release will drop it; upgrade the older hosts' QEMU so that a newer one is shared");
            } else if (!deprecatedOn.isEmpty()) {
                notes.add(String.join(", ", deprecatedOn.keySet()) + " skipped: deprecated on "
                        + names(deprecatedOn.values().stream()
                                .flatMap(List::stream)
                                .distinct()
                                .toList()));
            }
        }
        if (chosen.isEmpty()) {
            notes.add("no versioned q35 or i440fx machine type is offered by every host: guests cannot be started so "
                    + "that they can move between all of them");
        }
        return chosen;
    }

    /** What guests started under this contract run with beyond their CPU. */
    public GuestPlatform guestPlatform() {
        return new GuestPlatform(machineType, physAddrBits);
    }

    /** What the hosts make of the machine type a policy pins. */
    private static void pinned(List<Member> members, String pinned, List<String> notes) {
        List<String> lacking = new ArrayList<>();
        List<String> deprecating = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Member member : members) {
            List<String> offered = member.facts().machineTypes();
            if (offered == null) {
                unknown.add(member.name());
            } else if (!offered.contains(pinned)) {
                lacking.add(member.name());
            } else if (member.facts().deprecatedMachineTypes().contains(pinned)) {
                deprecating.add(member.name());
            }
        }
        String what = "the machine type the policy pins, " + pinned + ",";
        if (!lacking.isEmpty()) {
            notes.add(what + " is not offered by " + names(lacking)
                    + ": guests started with it will not start or migrate there");
        }
        if (!deprecating.isEmpty()) {
            notes.add(what + " is deprecated on " + names(deprecating) + ": a QEMU release will drop it");
        }
        if (!unknown.isEmpty()) {
            notes.add(what + " cannot be checked on " + names(unknown) + ": they reported no machine types");
        }
    }

    /** The fewest bits of any member: a guest given more would crash on the hosts with fewer. */
    private static @Nullable Integer physAddrBits(List<Member> members, List<String> notes) {
        Map<Integer, List<String>> byBits = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (Member member : members) {
            Integer bits = member.facts().physAddrBits();
            if (bits == null) {
                unknown.add(member.name());
            } else {
                byBits.computeIfAbsent(bits, b -> new ArrayList<>()).add(member.name());
            }
        }
        if (!unknown.isEmpty()) {
            notes.add("no physical address bits are promised: unknown for " + names(unknown));
            return null;
        }
        int fewest = byBits.keySet().iterator().next();
        if (byBits.size() > 1) {
            notes.add("physical address bits differ: "
                    + byBits.entrySet().stream()
                            .map(e -> e.getKey() + " (" + names(e.getValue()) + ")")
                            .collect(Collectors.joining(", "))
                    + "; guests get " + fewest + ", the fewest, so that they can move to every host");
        }
        return fewest;
    }

    private static @Nullable Long tscFrequency(List<Member> members, List<String> notes) {
        Map<Long, List<String>> byFrequency = new TreeMap<>();
        boolean allKnown = true;
        for (Member member : members) {
            Long frequency = member.facts().tscFrequency();
            if (frequency == null) {
                allKnown = false;
            } else {
                byFrequency.computeIfAbsent(frequency, f -> new ArrayList<>()).add(member.name());
            }
        }
        if (byFrequency.size() > 1) {
            notes.add("TSC frequencies differ: "
                    + byFrequency.entrySet().stream()
                            .map(e -> e.getKey() + " Hz (" + names(e.getValue()) + ")")
                            .collect(Collectors.joining(", "))
                    + "; guests given invtsc cannot move between them");
            return null;
        }
        return allKnown && byFrequency.size() == 1
                ? byFrequency.keySet().iterator().next()
                : null;
    }

    private static void differentMajors(
            List<Member> members, Function<MigrationFacts, @Nullable Integer> major, String what, List<String> notes) {
        Map<Integer, List<String>> byMajor = new TreeMap<>();
        for (Member member : members) {
            Integer version = major.apply(member.facts());
            if (version != null) {
                byMajor.computeIfAbsent(version, v -> new ArrayList<>()).add(member.name());
            }
        }
        if (byMajor.size() > 1) {
            notes.add("hosts run different major versions of " + what + ": "
                    + byMajor.entrySet().stream()
                            .map(e -> what + " " + e.getKey() + " (" + names(e.getValue()) + ")")
                            .collect(Collectors.joining(", "))
                    + "; releases change what a named CPU model and a machine type mean, so test migrations "
                    + "between them before relying on them");
        }
    }

    private static String names(List<String> names) {
        return String.join(", ", names);
    }
}
