package io.fleetcpu.policy.baseline;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which libvirt driver's {@code virConnectBaselineCPU} a baseline answers as. Both run libvirt's CPU code on the
 * cpu_map (virCPUBaseline, then virCPUExpandFeatures for the EXPAND_FEATURES form); the QEMU driver
 * (qemuConnectBaselineCPU) copies the baseline through virQEMUCapsCPUFilterFeatures in between, dropping the
 * features it never passes to QEMU whatever their policy. The model, vendor and the other features stay as the
 * CPU code chose them. Which features it drops depends on the libvirt release ({@link #droppedFeatures(String)}):
 * the engine follows the release of the map it reads with.
 */
public enum LibvirtDriver {

    /**
     * libvirtd's QEMU driver ({@code qemu:///system}): what an operator's {@code virsh cpu-baseline} says. libvirt 9.0
     * drops the bits the guest kernel sets itself (osxsave, ospke) and Intel RDT monitoring (cmt, mbm_total,
     * mbm_local), which QEMU does not virtualise; libvirt 11.3 also the three VMX capabilities of its map that QEMU has
     * no property for ({@code vmx-ept-uc}, {@code vmx-ept-wb}, {@code vmx-invvpid-single-context}); libvirt 12.8 also
     * {@code ht} and {@code cmp_legacy}, which QEMU sets from the guest's topology. Established with each release's
     * own QEMU driver run in process ({@code qemu:///embed}) on a host CPU listing every feature of its map: 12.8 in
     * Libvirt128QemuDriverDifferentialTest, 11.3 once by hand in a Debian 13 root (docs/catalogs.md).
     */
    QEMU(
            Set.of("cmt", "mbm_total", "mbm_local", "osxsave", "ospke"),
            List.of(
                    new Since(11, 3, Set.of("vmx-ept-uc", "vmx-ept-wb", "vmx-invvpid-single-context")),
                    new Since(12, 8, Set.of("ht", "cmp_legacy")))),

    /**
     * libvirt's in-process test driver ({@code test:///default}): the CPU code alone, dropping nothing. libvirt's own
     * test driver refuses the MIGRATABLE form (9.0 and 12.8 alike); here it is the CPU code's answer to it.
     */
    TEST(Set.of(), List.of());

    /** Features a driver drops from the given libvirt release on (the release it was established with). */
    private record Since(int major, int minor, Set<String> features) {
        boolean covers(int major, int minor) {
            return major > this.major || (major == this.major && minor >= this.minor);
        }
    }

    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)");

    private final Set<String> droppedFeatures;
    private final List<Since> laterDropped;

    LibvirtDriver(Set<String> droppedFeatures, List<Since> laterDropped) {
        this.droppedFeatures = droppedFeatures;
        this.laterDropped = laterDropped;
    }

    /** The features this driver of libvirt 9.0 leaves out of every baseline it answers (every later release too). */
    public Set<String> droppedFeatures() {
        return droppedFeatures;
    }

    /**
     * The features this driver of the given libvirt release leaves out of every baseline and guest CPU.
     *
     * @param libvirtVersion a catalog's {@code libvirtVersion} ({@code 9.0.0}, {@code 12.8.0}, or for the common part
     *     of two maps {@code 11.3.0 and 12.8.0}: then what either release drops, since a guest of that catalog may be
     *     started by either); null for a map of unknown release, read as libvirt 9.0
     */
    public Set<String> droppedFeatures(@Nullable String libvirtVersion) {
        if (libvirtVersion == null || laterDropped.isEmpty()) {
            return droppedFeatures;
        }
        Set<String> all = new HashSet<>(droppedFeatures);
        Matcher m = RELEASE.matcher(libvirtVersion);
        while (m.find()) {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            laterDropped.stream().filter(s -> s.covers(major, minor)).forEach(s -> all.addAll(s.features()));
        }
        return Set.copyOf(all);
    }

    /** The scheme of the driver's connection URI: {@code qemu}, {@code test}. */
    public String uriScheme() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LibvirtDriver> ofUriScheme(String scheme) {
        return Arrays.stream(values()).filter(d -> d.uriScheme().equals(scheme)).findFirst();
    }
}
