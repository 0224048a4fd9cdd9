package io.fleetcpu.policy.migration;

import io.fleetcpu.libvirtxml.HostCapabilities;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Migration facts of real hosts, read from their {@code virsh capabilities} in {@code hostdata/}. */
public final class CapturedPlatforms {

    /** Intel with KVM, Debian 12's QEMU 7.2 and libvirt 9.0: 46 address bits, a 2 GHz TSC. */
    public static final MigrationFacts BROADWELL_QEMU_7 =
            facts("hostdata/capabilities-broadwell-kvm-host.xml", "7.2.22", "9.0.0");

    /** AMD, emulated, Debian 12's QEMU 7.2 and libvirt 9.0: 48 address bits, no TSC counter. */
    public static final MigrationFacts EPYC_QEMU_7 =
            facts("hostdata/capabilities-epyc-tcg-host.xml", "7.2.22", "9.0.0");

    /** The same AMD machine through QEMU 11.1 and libvirt 12.8: machine types pc-q35-5.2 to pc-q35-11.1. */
    public static final MigrationFacts EPYC_QEMU_11 =
            facts("hostdata/capabilities-epyc-tcg-libvirt-12.8-host.xml", "11.1.3", "12.8.0");

    /** The AMD machine's capabilities with QEMU 4.2.0's machine types: pc-q35-2.4 to pc-q35-4.2. */
    public static final MigrationFacts EPYC_QEMU_4 =
            facts("hostdata/capabilities-epyc-tcg-qemu-4.2-machines-host.xml", "4.2.0", "6.0.0");

    private CapturedPlatforms() {}

    /** The facts a host with this capabilities document and these versions reports. */
    public static MigrationFacts facts(String document, String qemu, String libvirt) {
        try (InputStream in = CapturedPlatforms.class.getResourceAsStream("/" + document)) {
            return MigrationFacts.of(
                    HostCapabilities.parse(
                            new String(Objects.requireNonNull(in, document).readAllBytes(), StandardCharsets.UTF_8)),
                    qemu,
                    libvirt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
