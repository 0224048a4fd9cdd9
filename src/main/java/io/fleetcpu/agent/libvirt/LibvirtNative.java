package io.fleetcpu.agent.libvirt;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import org.jspecify.annotations.Nullable;

/**
 * The few functions of libvirt's C API ({@code libvirt.so.0}) that libvirt-java 0.5.4 lacks or hides:
 * baseline flags, the hypervisor's baseline and domain capabilities. Returned {@code char*} must be released with
 * {@link Native#free}.
 */
public interface LibvirtNative extends Library {

    int VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES = 1;
    int VIR_CONNECT_BASELINE_CPU_MIGRATABLE = 2;

    /** {@code virConnectCompareCPU} flag: an incompatible CPU is an error whose message names the reason. */
    int VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE = 1;
    /** {@code virCPUCompareResult}: -1 error, 0 incompatible, 1 identical, 2 superset. */
    int VIR_CPU_COMPARE_ERROR = -1;

    /** {@code virErrorNumber} values the agent tells apart. */
    int VIR_ERR_NO_SUPPORT = 3;

    int VIR_ERR_INVALID_ARG = 8;
    int VIR_ERR_SYSTEM_ERROR = 38;
    int VIR_ERR_ARGUMENT_UNSUPPORTED = 74;
    int VIR_ERR_OPERATION_UNSUPPORTED = 84;

    /** Tries the development name first, then the runtime soname that a plain {@code libvirt0} install has. */
    static LibvirtNative load() {
        try {
            return Native.load("virt", LibvirtNative.class);
        } catch (UnsatisfiedLinkError e) {
            return Native.load("libvirt.so.0", LibvirtNative.class);
        }
    }

    @Nullable
    Pointer virConnectOpen(String name);

    int virConnectClose(Pointer conn);

    @Nullable
    Pointer virConnectBaselineCPU(Pointer conn, String[] xmlCPUs, int ncpus, int flags);

    @Nullable
    Pointer virConnectBaselineHypervisorCPU(
            Pointer conn,
            @Nullable String emulator,
            @Nullable String arch,
            @Nullable String machine,
            @Nullable String virttype,
            String[] xmlCPUs,
            int ncpus,
            int flags);

    int virConnectCompareCPU(Pointer conn, String xmlDesc, int flags);

    /**
     * Every domain of the connection, running and defined ({@code flags} 0): {@code domains} receives an array of
     * {@code virDomainPtr} that the caller frees (each with {@link #virDomainFree}, the array with
     * {@link Native#free}); returns how many, or -1.
     */
    /** {@code virDomainGetXMLDesc} flag: the persistent definition, as configured, of a running domain too. */
    int VIR_DOMAIN_XML_INACTIVE = 2;

    int virConnectListAllDomains(Pointer conn, PointerByReference domains, int flags);

    /** {@code virsh dumpxml} of a domain ({@code flags} 0: the running definition of a running one); freed by the caller. */
    @Nullable
    Pointer virDomainGetXMLDesc(Pointer domain, int flags);

    /** 1 running, 0 not, -1 error. */
    int virDomainIsActive(Pointer domain);

    int virDomainFree(Pointer domain);

    @Nullable
    Pointer virConnectGetDomainCapabilities(
            Pointer conn,
            @Nullable String emulatorbin,
            @Nullable String arch,
            @Nullable String machine,
            @Nullable String virttype,
            int flags);

    /** Message of the calling thread's last error; owned by libvirt, do not free. */
    @Nullable
    String virGetLastErrorMessage();

    /** {@code virErrorNumber} of the calling thread's last error, 0 when there is none. */
    int virGetLastErrorCode();

    /** libvirt's global error callback ({@code virErrorFunc}); the error itself is ignored here. */
    interface ErrorCallback extends Callback {
        void invoke(Pointer userData, Pointer error);
    }

    /**
     * Replaces libvirt's default handler, which prints every error to stderr, also those the caller handles. The
     * last error stays readable through {@link #virGetLastErrorMessage()}.
     */
    void virSetErrorFunc(@Nullable Pointer userData, ErrorCallback handler);
}
