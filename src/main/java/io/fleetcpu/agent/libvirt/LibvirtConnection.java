package io.fleetcpu.agent.libvirt;

import java.util.List;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * A connection to libvirt through {@link LibvirtNative}. Not thread-safe: libvirt reports errors per thread,
 * so use one connection from one thread at a time.
 */
public final class LibvirtConnection implements AutoCloseable {

    private static volatile LibvirtNative api;

    private final LibvirtNative lib;
    private Pointer conn;

    private LibvirtConnection(LibvirtNative lib, Pointer conn) {
        this.lib = lib;
        this.conn = conn;
    }

    /**
     * @param uri e.g. {@code qemu:///system}, or {@code test:///default} (libvirt's in-process test driver)
     * @throws LibvirtException when libvirt cannot be loaded or the connection fails
     */
    public static LibvirtConnection open(String uri) {
        LibvirtNative lib = library();
        Pointer conn = lib.virConnectOpen(uri);
        if (conn == null) {
            throw new LibvirtException("cannot connect to " + uri + ": " + lib.virGetLastErrorMessage());
        }
        return new LibvirtConnection(lib, conn);
    }

    /** Loads libvirt.so.0 once. @throws LibvirtException when it is not installed */
    public static LibvirtNative library() {
        LibvirtNative lib = api;
        if (lib == null) {
            try {
                lib = LibvirtNative.load();
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                throw new LibvirtException("libvirt (libvirt.so.0) cannot be loaded: " + e.getMessage(), e);
            }
            api = lib;
        }
        return lib;
    }

    /** libvirt's baseline of the given host {@code <cpu>} documents ({@code virConnectBaselineCPU}). */
    public String baselineCpu(List<String> hostCpuXml, boolean expandFeatures, boolean migratable) {
        int flags = (expandFeatures ? LibvirtNative.VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES : 0)
                | (migratable ? LibvirtNative.VIR_CONNECT_BASELINE_CPU_MIGRATABLE : 0);
        String[] xml = hostCpuXml.toArray(String[]::new);
        return takeString(lib.virConnectBaselineCPU(handle(), xml, xml.length, flags), "virConnectBaselineCPU");
    }

    /** {@code virsh domcapabilities}; any argument may be null for the hypervisor's default. */
    public String domainCapabilities(String emulator, String arch, String machine, String virtType) {
        return takeString(lib.virConnectGetDomainCapabilities(handle(), emulator, arch, machine, virtType, 0),
                "virConnectGetDomainCapabilities");
    }

    private String takeString(Pointer p, String call) {
        if (p == null) {
            String message = lib.virGetLastErrorMessage();
            throw new LibvirtException(message == null ? call + " failed" : message);
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
