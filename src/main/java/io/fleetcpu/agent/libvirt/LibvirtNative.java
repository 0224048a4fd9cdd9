package io.fleetcpu.agent.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few functions of libvirt's C API ({@code libvirt.so.0}) that libvirt-java 0.5.4 lacks or hides:
 * baseline flags and domain capabilities. Returned {@code char*} must be released with {@link Native#free}.
 */
public interface LibvirtNative extends Library {

    int VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES = 1;
    int VIR_CONNECT_BASELINE_CPU_MIGRATABLE = 2;

    /** Tries the development name first, then the runtime soname that a plain {@code libvirt0} install has. */
    static LibvirtNative load() {
        try {
            return Native.load("virt", LibvirtNative.class);
        } catch (UnsatisfiedLinkError e) {
            return Native.load("libvirt.so.0", LibvirtNative.class);
        }
    }

    Pointer virConnectOpen(String name);

    int virConnectClose(Pointer conn);

    Pointer virConnectBaselineCPU(Pointer conn, String[] xmlCPUs, int ncpus, int flags);

    Pointer virConnectBaselineHypervisorCPU(Pointer conn, String emulator, String arch, String machine,
                                            String virttype, String[] xmlCPUs, int ncpus, int flags);

    Pointer virConnectGetDomainCapabilities(Pointer conn, String emulatorbin, String arch, String machine,
                                            String virttype, int flags);

    /** Message of the calling thread's last error; owned by libvirt, do not free. */
    String virGetLastErrorMessage();
}
