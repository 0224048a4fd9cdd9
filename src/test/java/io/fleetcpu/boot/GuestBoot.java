package io.fleetcpu.boot;

import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Starts a minimal guest (no disk, no network, 64 MiB, one vCPU) with a given libvirt {@code <cpu>} on a real
 * libvirtd, then destroys and undefines it, whatever happened: the proof that libvirt and QEMU accept a CPU.
 */
public final class GuestBoot {

    private static final String PREFIX = "fleetcpu-boot-";

    /** Started, or libvirt's refusal word for word. */
    public record Outcome(boolean started, String message) {

        @Override
        public String toString() {
            return started ? "domain started" : "libvirt refused: " + message;
        }
    }

    private GuestBoot() {}

    /** @param domainType {@code kvm} or {@code qemu}, as the host's domain capabilities offer */
    public static Outcome boot(String uri, String domainType, String cpuXml) {
        return boot(uri, domainType, cpuXml, null);
    }

    /** The same, with this machine type in {@code <os><type machine=…>} (null: libvirt's default). */
    public static Outcome boot(String uri, String domainType, String cpuXml, @Nullable String machineType) {
        return boot(uri, domainType, cpuXml, machineType, name -> {});
    }

    /**
     * The same; {@code whileRunning} is given the domain's name while it runs (when it started), before it is
     * destroyed.
     */
    public static Outcome boot(
            String uri, String domainType, String cpuXml, @Nullable String machineType, Consumer<String> whileRunning) {
        String name = PREFIX + UUID.randomUUID().toString().substring(0, 8);
        String xml = "<domain type='" + domainType + "'>\n  <name>" + name + "</name>\n"
                + "  <memory unit='MiB'>64</memory>\n  <vcpu>1</vcpu>\n"
                + "  <os><type arch='x86_64'" + (machineType == null ? "" : " machine='" + machineType + "'")
                + ">hvm</type></os>\n" + cpuXml.strip() + "\n"
                + "  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>\n</domain>\n";
        Connect connect = null;
        Domain domain = null;
        try {
            connect = new Connect(uri, false);
            domain = connect.domainDefineXML(xml);
            domain.create();
            boolean running = domain.isActive() == 1;
            if (running) {
                whileRunning.accept(name);
            }
            return new Outcome(running, "domain defined but not running");
        } catch (LibvirtException e) {
            return new Outcome(false, e.getMessage());
        } finally {
            cleanUp(domain);
            if (connect != null) {
                try {
                    connect.close();
                } catch (LibvirtException e) {
                    // the connection goes with the test process anyway
                }
            }
        }
    }

    private static void cleanUp(Domain domain) {
        if (domain == null) {
            return;
        }
        try {
            if (domain.isActive() == 1) {
                domain.destroy();
            }
        } catch (LibvirtException e) {
            // undefine below still removes the definition
        }
        try {
            domain.undefine();
        } catch (LibvirtException e) {
            // Already gone (another process cleaned up fleetcpu-boot-* domains): nothing is left behind.
            if (!String.valueOf(e.getMessage()).contains("Domain not found")) {
                throw new IllegalStateException("could not undefine a test domain: " + e.getMessage(), e);
            }
        }
    }
}
