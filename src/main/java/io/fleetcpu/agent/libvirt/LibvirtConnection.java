package io.fleetcpu.agent.libvirt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A connection to libvirt through {@link LibvirtNative}. Not thread-safe: libvirt reports errors per thread,
 * so use one connection from one thread at a time.
 */
public final class LibvirtConnection implements AutoCloseable, CpuQueries {

    private static volatile @Nullable LibvirtNative api;
    // Held for as long as libvirt may call it: JNA frees a callback whose Java object is collected.
    private static final LibvirtNative.ErrorCallback QUIET = (userData, error) -> {};

    private final LibvirtNative lib;
    private final String uri;
    private @Nullable Pointer conn;

    private LibvirtConnection(LibvirtNative lib, String uri, Pointer conn) {
        this.lib = lib;
        this.uri = uri;
        this.conn = conn;
    }

    /**
     * A read-write connection: libvirt refuses domain capabilities and the hypervisor's baseline on read-only
     * ones ("read only access prevents virConnectGetDomainCapabilities").
     *
     * @param uri e.g. {@code qemu:///system}, or {@code test:///default} (libvirt's in-process test driver)
     * @throws LibvirtException when libvirt cannot be loaded or the connection fails
     */
    public static LibvirtConnection open(String uri) {
        LibvirtNative lib = library();
        Pointer conn = lib.virConnectOpen(uri);
        if (conn == null) {
            throw cannotConnect(uri, lib.virGetLastErrorMessage(), lib.virGetLastErrorCode());
        }
        return new LibvirtConnection(lib, uri, conn);
    }

    /**
     * Loads libvirt.so.0 once and silences libvirt's default error printer (every error reaches the caller as a
     * {@link LibvirtException} instead; libvirt-java, in the same process, reads errors the same way).
     *
     * @throws LibvirtException when it is not installed
     */
    public static LibvirtNative library() {
        LibvirtNative lib = api;
        if (lib == null) {
            synchronized (LibvirtConnection.class) {
                lib = api;
                if (lib == null) {
                    try {
                        lib = LibvirtNative.load();
                    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                        throw new LibvirtException(
                                "libvirt (libvirt.so.0) cannot be loaded: " + e.getMessage()
                                        + " (Debian: apt-get install libvirt0)",
                                e);
                    }
                    lib.virSetErrorFunc(null, QUIET);
                    api = lib;
                }
            }
        }
        return lib;
    }

    /** The message for a failed connection, with the likely cause for drivers that live in a daemon. */
    static LibvirtException cannotConnect(String uri, @Nullable String libvirtMessage, int code) {
        String message =
                "cannot connect to " + uri + ": " + (libvirtMessage == null ? "no reason given" : libvirtMessage);
        if (!uri.startsWith("test:")) {
            message += " (is libvirtd running?)";
        }
        return new LibvirtException(message, code);
    }

    public String uri() {
        return uri;
    }

    /** libvirt's baseline of the given host {@code <cpu>} documents ({@code virConnectBaselineCPU}). */
    @Override
    public String baselineCpu(List<String> hostCpuXml, boolean expandFeatures, boolean migratable) {
        String[] xml = hostCpuXml.toArray(String[]::new);
        return takeString(
                lib.virConnectBaselineCPU(handle(), xml, xml.length, flags(expandFeatures, migratable)),
                "virConnectBaselineCPU");
    }

    /** {@code virsh domcapabilities}; any argument may be null for the hypervisor's default. */
    @Override
    public String domainCapabilities(
            @Nullable String emulator, @Nullable String arch, @Nullable String machine, @Nullable String virtType) {
        return takeString(
                lib.virConnectGetDomainCapabilities(handle(), emulator, arch, machine, virtType, 0),
                "virConnectGetDomainCapabilities");
    }

    /**
     * {@code virsh hypervisor-cpu-baseline}: the CPU the hypervisor can give a guest that runs on every one of
     * these CPUs. Unlike {@link #baselineCpu}, it knows what QEMU and KVM can really provide.
     */
    @Override
    public String baselineHypervisorCpu(
            @Nullable String emulator,
            @Nullable String arch,
            @Nullable String machine,
            @Nullable String virtType,
            List<String> cpuXml,
            boolean expandFeatures,
            boolean migratable) {
        String[] xml = cpuXml.toArray(String[]::new);
        return takeString(
                lib.virConnectBaselineHypervisorCPU(
                        handle(),
                        emulator,
                        arch,
                        machine,
                        virtType,
                        xml,
                        xml.length,
                        flags(expandFeatures, migratable)),
                "virConnectBaselineHypervisorCPU");
    }

    /**
     * {@code virConnectCompareCPU}: how a {@code <cpu>} compares with the CPU of the host this connection's driver
     * runs on (the QEMU driver: the host CPU of {@code virsh capabilities}).
     *
     * @param flags e.g. {@link LibvirtNative#VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE}
     * @return libvirt's {@code virCPUCompareResult}: 0 incompatible, 1 identical, 2 superset
     * @throws LibvirtException with libvirt's message when it fails, which with FAIL_INCOMPATIBLE includes an
     *                          incompatible CPU ("the CPU is incompatible with host CPU: ...")
     */
    public int compareCpu(String xml, int flags) {
        int result = lib.virConnectCompareCPU(handle(), xml, flags);
        if (result == LibvirtNative.VIR_CPU_COMPARE_ERROR) {
            String message = lib.virGetLastErrorMessage();
            throw new LibvirtException(
                    message == null ? "virConnectCompareCPU failed" : message, lib.virGetLastErrorCode());
        }
        return result;
    }

    /**
     * A domain as libvirt describes it: its persistent definition ({@code virsh dumpxml --inactive}: the CPU and
     * machine type as configured, not as expanded at start), and whether it runs.
     *
     * @param xml the whole document; callers keep only what they need of it (never disks, networks or metadata)
     */
    public record Domain(String xml, boolean running) {}

    /**
     * The connection's domains, running and defined, at most {@code max} of them ({@code virConnectListAllDomains},
     * then {@code virDomainGetXMLDesc} of each with {@code VIR_DOMAIN_XML_INACTIVE}); in libvirt's order.
     *
     * @return the domains, and how many there were in all (more than {@code max} when some were left out)
     */
    public Domains domains(int max) {
        PointerByReference array = new PointerByReference();
        int count = lib.virConnectListAllDomains(handle(), array, 0);
        if (count < 0) {
            String message = lib.virGetLastErrorMessage();
            throw new LibvirtException(
                    message == null ? "virConnectListAllDomains failed" : message, lib.virGetLastErrorCode());
        }
        Pointer domains = array.getValue();
        List<Domain> read = new ArrayList<>(Math.min(count, max));
        try {
            for (int i = 0; i < count; i++) {
                Pointer domain = domains.getPointer((long) i * Native.POINTER_SIZE);
                if (read.size() < max) {
                    try {
                        read.add(new Domain(
                                takeString(
                                        lib.virDomainGetXMLDesc(domain, LibvirtNative.VIR_DOMAIN_XML_INACTIVE),
                                        "virDomainGetXMLDesc"),
                                lib.virDomainIsActive(domain) == 1));
                    } catch (LibvirtException goneMeanwhile) {
                        // undefined between the listing and this read: it is no longer a guest of the host
                    }
                }
            }
        } finally {
            for (int i = 0; i < count; i++) {
                lib.virDomainFree(domains.getPointer((long) i * Native.POINTER_SIZE));
            }
            if (domains != null) {
                Native.free(Pointer.nativeValue(domains));
            }
        }
        return new Domains(read, count);
    }

    /** Some of a connection's domains, and how many it has. */
    public record Domains(List<Domain> read, int total) {

        public Domains {
            read = List.copyOf(read);
        }
    }

    private static int flags(boolean expandFeatures, boolean migratable) {
        return (expandFeatures ? LibvirtNative.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES : 0)
                | (migratable ? LibvirtNative.VIR_CONNECT_BASELINE_CPU_MIGRATABLE : 0);
    }

    private String takeString(@Nullable Pointer p, String call) {
        if (p == null) {
            String message = lib.virGetLastErrorMessage();
            int code = lib.virGetLastErrorCode();
            throw new LibvirtException(message == null ? call + " failed" : message, code);
        }
        try {
            return p.getString(0, "UTF-8");
        } finally {
            Native.free(Pointer.nativeValue(p));
        }
    }

    private Pointer handle() {
        if (conn == null) {
            throw new IllegalStateException("libvirt connection is closed");
        }
        return conn;
    }

    @Override
    public void close() {
        if (conn != null) {
            lib.virConnectClose(conn);
            conn = null;
        }
    }
}
