package io.fleetcpu.agent.libvirt;

import static io.fleetcpu.libvirtxml.XmlText.escape;

import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.libvirtxml.HostCapabilities;
import io.fleetcpu.libvirtxml.MalformedXmlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads what the fleetcpu agent reports about a compute node from its libvirt: the capabilities and versions
 * through libvirt-java, the expanded host CPU, domain capabilities and the hypervisor's CPU through
 * {@link LibvirtNative} (libvirt-java 0.5.4 has neither the baseline flags nor those calls).
 *
 * <p>Uses read-write connections: libvirt refuses domain capabilities and the hypervisor's baseline on read-only
 * ones. A question the driver cannot answer at all (the test driver has no domain capabilities) leaves its field
 * null with a note; any other failure is a {@link LibvirtException} whose message says what was asked of which
 * connection and libvirt's answer.
 */
public final class LibvirtHostReader {

    /**
     * @param uri e.g. {@code qemu:///system}
     * @throws LibvirtException when libvirt cannot be loaded or reached, or cannot describe this host
     */
    public LibvirtHostFacts read(String uri) {
        return read(uri, 0);
    }

    /**
     * @param uri       e.g. {@code qemu:///system}
     * @param maxGuests the most domains to read as well (their definitions as configured); 0 reads none
     * @throws LibvirtException when libvirt cannot be loaded or reached, or cannot describe this host
     */
    public LibvirtHostFacts read(String uri, int maxGuests) {
        HypervisorIdentity identity = HypervisorIdentity.read(uri);
        try (LibvirtConnection libvirt = LibvirtConnection.open(uri)) {
            LibvirtConnection.Domains domains = maxGuests > 0 ? libvirt.domains(maxGuests) : null;
            return describe(identity, libvirt, domains);
        }
    }

    /** The facts from what libvirt-java said and what the C API answers; a seam for tests. */
    static LibvirtHostFacts describe(HypervisorIdentity identity, CpuQueries libvirt) {
        return describe(identity, libvirt, null);
    }

    private static LibvirtHostFacts describe(
            HypervisorIdentity identity, CpuQueries libvirt, LibvirtConnection.@Nullable Domains domains) {
        String uri = identity.uri();
        List<String> notes = new ArrayList<>();
        HostCapabilities caps = readCapabilities(identity);
        CpuDefinition hostCpu = caps.cpu();
        if (hostCpu.model() == null) {
            throw new LibvirtException(uri + ": the host CPU in its capabilities has no model, so libvirt cannot "
                    + "expand its features" + driverHint(identity));
        }
        List<String> hostCpuXml = List.of(hostCpu.toHostCpuXml());
        String what = "host CPU " + hostCpu.model() + (hostCpu.vendor() == null ? "" : " (" + hostCpu.vendor() + ")");

        String expanded;
        try {
            expanded = libvirt.baselineCpu(hostCpuXml, true, false);
        } catch (LibvirtException e) {
            throw new LibvirtException(uri + ": libvirt cannot expand the " + what + ": " + e.getMessage(), e);
        }
        String migratable = null;
        try {
            migratable = libvirt.baselineCpu(hostCpuXml, true, true);
        } catch (LibvirtException e) {
            if (!e.unsupportedByDriver()) {
                throw new LibvirtException(
                        uri + ": libvirt cannot give the migratable form of the " + what + ": " + e.getMessage(), e);
            }
            notes.add("no migratable CPU: " + uri + " does not support VIR_CONNECT_BASELINE_CPU_MIGRATABLE ("
                    + e.getMessage() + ")");
        }

        DomainCapabilitiesAnswer domcaps = domainCapabilities(uri, caps, libvirt, notes);
        String hypervisorCpu = domcaps == null ? null : hypervisorCpu(uri, domcaps, libvirt, notes);

        String qemuVersion = null;
        if (identity.isQemu()) {
            qemuVersion = identity.hypervisorVersion();
        } else {
            notes.add("no QEMU version: the hypervisor of " + uri + " is " + identity.hypervisorType() + " "
                    + identity.hypervisorVersion());
        }
        return new LibvirtHostFacts(
                caps.hostUuid(),
                identity.capabilitiesXml(),
                domcaps == null ? null : domcaps.xml(),
                domcaps == null ? null : domcaps.domainType(),
                expanded,
                migratable,
                hypervisorCpu,
                identity.libvirtVersion(),
                qemuVersion,
                notes,
                domains);
    }

    private static HostCapabilities readCapabilities(HypervisorIdentity identity) {
        try {
            return HostCapabilities.parse(identity.capabilitiesXml());
        } catch (MalformedXmlException e) {
            throw new LibvirtException(
                    identity.uri() + " describes no host fleetcpu can register: " + e.getMessage()
                            + driverHint(identity),
                    e);
        }
    }

    private static String driverHint(HypervisorIdentity identity) {
        return identity.isTestDriver()
                ? " (libvirt's test driver reports neither a host UUID nor a CPU model; use the hypervisor's driver, "
                        + "e.g. qemu:///system)"
                : "";
    }

    /** A domain capabilities document, with the virt type it was asked for. */
    private record DomainCapabilitiesAnswer(String xml, String domainType) {}

    /**
     * For the host's arch, the default emulator and machine, kvm (hardware-accelerated) if the hypervisor gives it,
     * else qemu (emulated): a host without usable KVM still reports what its guests can get, and says so.
     */
    private static @Nullable DomainCapabilitiesAnswer domainCapabilities(
            String uri, HostCapabilities caps, CpuQueries libvirt, List<String> notes) {
        String arch = caps.arch();
        String kvmRefusal;
        if (caps.offersKvm()) {
            try {
                return new DomainCapabilitiesAnswer(libvirt.domainCapabilities(null, arch, null, "kvm"), "kvm");
            } catch (LibvirtException e) {
                if (e.unsupportedByDriver()) {
                    notes.add("no domain capabilities: " + uri + " does not support virConnectGetDomainCapabilities ("
                            + e.getMessage() + "); so no hypervisor CPU either");
                    return null;
                }
                kvmRefusal = "the hypervisor refused kvm for " + arch + " (" + e.getMessage() + ")";
            }
        } else {
            kvmRefusal = "the capabilities offer no kvm guests for " + arch;
        }
        try {
            String xml = libvirt.domainCapabilities(null, arch, null, "qemu");
            notes.add(kvmRefusal + "; domain capabilities and the hypervisor CPU are for emulated (qemu) guests");
            return new DomainCapabilitiesAnswer(xml, "qemu");
        } catch (LibvirtException e) {
            if (e.unsupportedByDriver()) {
                notes.add("no domain capabilities: " + uri + " does not support virConnectGetDomainCapabilities ("
                        + e.getMessage() + "); so no hypervisor CPU either");
                return null;
            }
            throw new LibvirtException(
                    uri + ": no domain capabilities for " + arch + ": " + kvmRefusal + ", and qemu: " + e.getMessage(),
                    e);
        }
    }

    /**
     * The host-model CPU of the domain capabilities with every feature spelled out, the way KubeVirt's node
     * labeller asks for it: what QEMU on this host can really give a guest, which may be less than the
     * physical CPU has.
     */
    private static @Nullable String hypervisorCpu(
            String uri, DomainCapabilitiesAnswer answer, CpuQueries libvirt, List<String> notes) {
        DomainCapabilities domcaps;
        try {
            domcaps = DomainCapabilities.parse(answer.xml());
        } catch (MalformedXmlException e) {
            notes.add("no hypervisor CPU: the domain capabilities cannot be read (" + e.getMessage()
                    + "); the document is kept as libvirt wrote it");
            return null;
        }
        if (!domcaps.hostModelSupported() || domcaps.hostModel() == null) {
            notes.add("no hypervisor CPU: " + domcaps.emulatorPath() + " (" + domcaps.domainType()
                    + ") does not support CPU mode host-model");
            return null;
        }
        try {
            return libvirt.baselineHypervisorCpu(
                    domcaps.emulatorPath(),
                    domcaps.arch(),
                    domcaps.machine(),
                    answer.domainType(),
                    List.of(hostModelCpuXml(domcaps.hostModel())),
                    true,
                    false);
        } catch (LibvirtException e) {
            if (e.unsupportedByDriver()) {
                notes.add("no hypervisor CPU: " + uri + " does not support virConnectBaselineHypervisorCPU ("
                        + e.getMessage() + ")");
                return null;
            }
            throw new LibvirtException(
                    uri + ": libvirt cannot expand the host-model CPU "
                            + domcaps.hostModel().model() + " of " + domcaps.emulatorPath() + " (" + answer.domainType()
                            + "): " + e.getMessage(),
                    e);
        }
    }

    /**
     * The {@code <mode name='host-model'>} of domain capabilities as a {@code <cpu>}, as {@code virsh
     * hypervisor-cpu-baseline} makes it from a domcapabilities file: its children, policies kept (a disabled
     * feature of the model must stay disabled). No {@code <arch>}: libvirt refuses it next to a policy.
     */
    static String hostModelCpuXml(CpuDefinition hostModel) {
        StringBuilder xml = new StringBuilder("<cpu>\n");
        xml.append("  <model");
        if (hostModel.modelFallback() != null) {
            xml.append(" fallback='").append(escape(hostModel.modelFallback())).append('\'');
        }
        // libvirt writes the host-model CPU's model whenever it offers host-model
        xml.append('>')
                .append(escape(Objects.requireNonNull(hostModel.model())))
                .append("</model>\n");
        if (hostModel.vendor() != null) {
            xml.append("  <vendor>").append(escape(hostModel.vendor())).append("</vendor>\n");
        }
        for (CpuFeature f : hostModel.features()) {
            xml.append("  <feature");
            if (f.policy() != null) {
                xml.append(" policy='").append(f.policy().libvirtName()).append('\'');
            }
            xml.append(" name='").append(escape(f.name())).append("'/>\n");
        }
        return xml.append("</cpu>\n").toString();
    }
}
