package io.fleetcpu.libvirtxml;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a live migration needs of a guest's domain XML ({@code virsh dumpxml}): who it is, its CPU, the machine type
 * it was started with, and the physical address bits it sees. Everything else in the document (devices, memory, …) is not
 * read.
 *
 * @param name          {@code <name>}
 * @param uuid          {@code <uuid>}
 * @param arch          {@code <os><type arch>}
 * @param machineType   {@code <os><type machine>}: the versioned type libvirt expanded an alias to at start
 * @param cpu           {@code <cpu>} as written (a guest CPU names no arch: libvirt refuses {@code <arch>} beside
 *                      {@code match}); null when the domain has no {@code <cpu>} (QEMU's default model)
 * @param maxPhysAddr   {@code <cpu><maxphysaddr>}; null when absent
 */
public record GuestDomain(
        @Nullable String name,
        @Nullable String uuid,
        @Nullable String arch,
        @Nullable String machineType,
        @Nullable CpuDefinition cpu,
        @Nullable MaxPhysAddr maxPhysAddr) {

    private static final String DOCUMENT = "domain";

    /**
     * {@code <maxphysaddr mode bits limit>}.
     *
     * @param mode  {@code emulate} (the guest sees {@code bits}) or {@code passthrough} (the host's own, at most
     *              {@code limit})
     * @param bits  the bits given with {@code emulate}; null when left out
     * @param limit the most bits {@code passthrough} gives; null when left out
     */
    public record MaxPhysAddr(
            String mode, @Nullable Integer bits, @Nullable Integer limit) {}

    /** Reads a {@code <domain>} document. Errors name the element at fault, e.g. "domain: /domain/os/type ...". */
    public static GuestDomain parse(String xml) {
        XmlElement domain = XmlElement.root(DOCUMENT, xml, "domain");
        String name = domain.optionalChildText("name").orElse(null);
        String uuid = domain.optionalChildText("uuid").orElse(null);
        XmlElement type = domain.optionalChild("os")
                .flatMap(os -> os.optionalChild("type"))
                .orElse(null);
        String arch = type == null ? null : type.attribute("arch").orElse(null);
        String machine = type == null ? null : type.attribute("machine").orElse(null);
        var cpuElement = domain.optionalChild("cpu");
        CpuDefinition cpu = null;
        MaxPhysAddr maxPhysAddr = null;
        if (cpuElement.isPresent()) {
            cpu = CpuDefinition.read(cpuElement.get());
            maxPhysAddr = cpuElement
                    .get()
                    .optionalChild("maxphysaddr")
                    .map(GuestDomain::readMaxPhysAddr)
                    .orElse(null);
        }
        return new GuestDomain(name, uuid, arch, machine, cpu, maxPhysAddr);
    }

    private static MaxPhysAddr readMaxPhysAddr(XmlElement element) {
        String mode = element.attributeOneOf("mode", List.of("emulate", "passthrough"))
                .orElseThrow(() -> element.attributeProblem("mode", "is missing"));
        Integer bits = bits(element, "bits");
        Integer limit = bits(element, "limit");
        if (mode.equals("emulate") && bits == null) {
            throw element.attributeProblem("bits", "is missing: mode 'emulate' gives the guest these bits");
        }
        return new MaxPhysAddr(mode, bits, limit);
    }

    private static @Nullable Integer bits(XmlElement element, String attribute) {
        Integer bits = element.intAttribute(attribute).orElse(null);
        if (bits != null && (bits < 1 || bits > 64)) {
            throw element.attributeProblem(attribute, "is not a number of bits from 1 to 64: " + bits);
        }
        return bits;
    }
}
