package io.fleetcpu.libvirtxml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@code virsh capabilities} ({@code virConnectGetCapabilities}) says about a host: its UUID (the host's key in
 * fleetcpu), its CPU, whether it migrates live, and which guests it can run under which domain types.
 *
 * @param hostUuid            {@code /capabilities/host/uuid}
 * @param cpu                 {@code /capabilities/host/cpu}: host shape, arch always present
 * @param liveMigration       whether {@code <migration_features>} has {@code <live/>}
 * @param migrationTransports {@code <uri_transport>} values, e.g. tcp, rdma
 * @param guests              the {@code <guest>} elements in document order
 * @param physAddrBits        {@code /capabilities/host/cpu/maxphysaddr/@bits}: the physical address bits the host
 *                            gives guests; null when libvirt does not say (before libvirt 8.7, or not known)
 * @param tsc                 {@code /capabilities/host/cpu/counter[@name='tsc']}; null when libvirt does not say
 */
public record HostCapabilities(
        UUID hostUuid,
        CpuDefinition cpu,
        boolean liveMigration,
        List<String> migrationTransports,
        List<GuestCapability> guests,
        @Nullable Integer physAddrBits,
        @Nullable TscCounter tsc) {

    private static final String DOCUMENT = "capabilities";
    // libvirt writes UUIDs in this form; java.util.UUID.fromString alone would take "1-2-3-4-5"
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public HostCapabilities {
        Objects.requireNonNull(hostUuid, "hostUuid");
        Objects.requireNonNull(cpu, "cpu");
        migrationTransports = List.copyOf(migrationTransports);
        guests = List.copyOf(guests);
    }

    /**
     * Reads a {@code virsh capabilities} document. Errors name the element at fault, e.g.
     * "capabilities: /capabilities/host/uuid is missing".
     */
    public static HostCapabilities parse(String xml) {
        XmlElement root = XmlElement.root(DOCUMENT, xml, "capabilities");
        XmlElement host = root.child("host");
        UUID uuid = readUuid(host.child("uuid"));
        XmlElement cpuElement = host.child("cpu");
        CpuDefinition cpu = CpuDefinition.read(cpuElement);
        if (cpu.arch() == null) {
            throw new MalformedXmlException(DOCUMENT, cpuElement.path() + "/arch", "is missing");
        }
        boolean live = false;
        List<String> transports = new ArrayList<>();
        Optional<XmlElement> migration = host.optionalChild("migration_features");
        if (migration.isPresent()) {
            live = migration.get().optionalChild("live").isPresent();
            migration
                    .get()
                    .optionalChild("uri_transports")
                    .ifPresent(t -> t.children("uri_transport").forEach(u -> transports.add(u.text())));
        }
        List<GuestCapability> guests =
                root.children("guest").stream().map(HostCapabilities::readGuest).toList();
        return new HostCapabilities(
                uuid, cpu, live, transports, guests, readPhysAddrBits(cpuElement), readTsc(cpuElement));
    }

    /**
     * The machine types the host offers guests of its own arch, under the domain type they run with here ({@code
     * kvm} where offered, else {@code qemu}); empty when the document lists none.
     */
    public List<MachineType> machineTypes() {
        String domainType = offersKvm() ? "kvm" : "qemu";
        return guests.stream()
                .filter(g -> g.arch().equals(arch()) && g.osType().equals("hvm"))
                .findFirst()
                .map(g -> g.machines(domainType))
                .orElse(List.of());
    }

    private static @Nullable Integer readPhysAddrBits(XmlElement cpu) {
        return cpu.optionalChild("maxphysaddr")
                .flatMap(m -> m.attribute("bits"))
                .map(bits -> positive(cpu, "maxphysaddr/@bits", bits, 64))
                .map(Math::toIntExact)
                .orElse(null);
    }

    private static @Nullable TscCounter readTsc(XmlElement cpu) {
        for (XmlElement counter : cpu.children("counter")) {
            if (counter.attribute("name").filter("tsc"::equals).isPresent()) {
                long frequency =
                        positive(cpu, "counter/@frequency", counter.requiredAttribute("frequency"), Long.MAX_VALUE);
                Boolean scaling =
                        counter.attribute("scaling").map("yes"::equals).orElse(null);
                return new TscCounter(frequency, scaling);
            }
        }
        return null;
    }

    private static long positive(XmlElement parent, String where, String text, long max) {
        try {
            long value = Long.parseLong(text);
            if (value > 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new MalformedXmlException(
                DOCUMENT, parent.path() + "/" + where, "is not a number from 1 to " + max + ": '" + text + "'");
    }

    /** The host's architecture, from its CPU. */
    public @Nullable String arch() {
        return cpu.arch();
    }

    /** Every domain type offered for any guest, each once, in document order (e.g. {@code [qemu, kvm]}). */
    public List<String> guestDomainTypes() {
        LinkedHashSet<String> types = new LinkedHashSet<>();
        guests.forEach(g -> types.addAll(g.domainTypes()));
        return List.copyOf(types);
    }

    /** Domain types offered for guests of this arch (any OS type). */
    public List<String> guestDomainTypes(@Nullable String guestArch) {
        LinkedHashSet<String> types = new LinkedHashSet<>();
        guests.stream().filter(g -> g.arch().equals(guestArch)).forEach(g -> types.addAll(g.domainTypes()));
        return List.copyOf(types);
    }

    /** Whether hardware-accelerated ({@code kvm}) guests of the host's own arch can run. */
    public boolean offersKvm() {
        return guestDomainTypes(arch()).contains("kvm");
    }

    private static UUID readUuid(XmlElement uuid) {
        String text = uuid.text();
        if (!UUID_FORM.matcher(text).matches()) {
            throw uuid.problem("is not a UUID: '" + text + "'");
        }
        return UUID.fromString(text);
    }

    private static GuestCapability readGuest(XmlElement guest) {
        String osType = guest.childText("os_type");
        XmlElement arch = guest.child("arch");
        String archName = arch.requiredAttribute("name");
        String emulator = arch.optionalChildText("emulator").orElse(null);
        List<String> types = new ArrayList<>();
        Map<String, List<MachineType>> domainMachines = new LinkedHashMap<>();
        for (XmlElement domain : arch.children("domain")) {
            String type = domain.requiredAttribute("type");
            types.add(type);
            List<MachineType> own =
                    domain.children("machine").stream().map(MachineType::read).toList();
            if (!own.isEmpty()) {
                domainMachines.put(type, own);
            }
        }
        List<MachineType> machines =
                arch.children("machine").stream().map(MachineType::read).toList();
        return new GuestCapability(osType, archName, emulator, types, machines, domainMachines);
    }
}
