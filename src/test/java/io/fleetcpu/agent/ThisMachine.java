package io.fleetcpu.agent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.agent.libvirt.LibvirtConnection;
import io.fleetcpu.agent.libvirt.LibvirtException;

/** The libvirtd of the machine the tests run on, which the end-to-end tests of the agent read. */
final class ThisMachine {

    /** The QEMU driver of the system libvirtd, or what {@code -Dfleetcpu.libvirt.qemu.uri} names. */
    static final String LIBVIRT_URI = System.getProperty("fleetcpu.libvirt.qemu.uri", "qemu:///system");

    private ThisMachine() {}

    /** Skips the test where no libvirtd answers (CI starts one, and fails when the test was skipped). */
    static void assumeLibvirtd() {
        try (LibvirtConnection probe = LibvirtConnection.open(LIBVIRT_URI)) {
            // reachable: from here on a failure is a failure
        } catch (LibvirtException | LinkageError e) {
            assumeTrue(false, "no libvirtd at " + LIBVIRT_URI + ": " + e.getMessage());
        }
    }
}
