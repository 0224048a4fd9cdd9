package io.fleetcpu.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.boot.QemuLaunch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * libvirt 12.8 and QEMU 11, as the Debian unstable root made by {@code .ci/libvirt-12.8-root} holds them, run through
 * {@code chroot}: {@code virsh -c test:///default cpu-baseline} and {@code cpu-compare} (libvirt's CPU code with its
 * own 12.8 cpu_map, in process) and {@code qemu-system-x86_64}. The root is
 * {@code -Dfleetcpu.libvirt12.root=…}, else {@code $FLEETCPU_LIBVIRT12_ROOT}, else
 * {@code /var/cache/fleetcpu/libvirt-12.8-root}. Documents are written into the root's {@code /tmp} and named by their
 * path inside it. Tests call {@link #unavailable()} and skip with its reason (assumeTrue) where the root is missing;
 * {@code .ci/run} makes the root and fails when such a test was skipped.
 */
public final class Libvirt128 {

    public static final String DEFAULT_ROOT = "/var/cache/fleetcpu/libvirt-12.8-root";
    /** The file {@code .ci/libvirt-12.8-root} writes last: the root is complete. */
    public static final String MARKER = ".fleetcpu-root-complete";

    private static final AtomicLong FILES = new AtomicLong();
    private static @Nullable String unavailable;
    private static boolean probed;

    /** A command's exit code and what it printed (standard output, then standard error). */
    public record Result(int exitCode, String output, String error) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** The output when it succeeded, else {@code REFUSED: } and libvirt's error, as the other tests write it. */
        public String outputOrRefusal() {
            return ok() ? output : "REFUSED: " + error.strip();
        }
    }

    private Libvirt128() {}

    public static Path root() {
        String property = System.getProperty("fleetcpu.libvirt12.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("FLEETCPU_LIBVIRT12_ROOT");
        return Path.of(env != null && !env.isBlank() ? env : DEFAULT_ROOT);
    }

    /** Why libvirt 12.8 cannot be run here, or null when it can (its virsh says 12.8.x). */
    public static synchronized @Nullable String unavailable() {
        if (probed) {
            return unavailable;
        }
        probed = true;
        Path root = root();
        if (!Files.isRegularFile(root.resolve(MARKER))) {
            unavailable = "no complete libvirt 12.8 root at " + root + " (no " + MARKER
                    + "): make it with .ci/libvirt-12.8-root (needs root and Debian's mirror; 1 to 2 minutes)";
            return unavailable;
        }
        Result version = run(List.of("virsh", "--version"), 30, true);
        if (!version.ok()) {
            unavailable = "cannot run virsh in " + root + " through chroot (needs root): "
                    + version.error().strip();
        } else if (!version.output().strip().startsWith("12.8.")) {
            unavailable = "the virsh in " + root + " is " + version.output().strip() + ", not libvirt 12.8";
        }
        return unavailable;
    }

    /**
     * Skips the calling test, with the reason, where libvirt 12.8 cannot run here. Tests call it, not their class's
     * {@code @BeforeAll}: a class skipped there leaves no test case in Surefire's report, and {@code .ci/run} would not
     * see the skip.
     */
    public static void assumeAvailable() {
        String why = unavailable();
        assumeTrue(why == null, () -> "libvirt 12.8 not available: " + why);
    }

    private static @Nullable String qemuDriverUnavailable;
    private static boolean qemuDriverProbed;

    /** The same, and where libvirt 12.8's QEMU driver ({@code qemu:///embed}) does not start in the root. */
    public static synchronized void assumeQemuDriver() {
        assumeAvailable();
        if (!qemuDriverProbed) {
            qemuDriverProbed = true;
            Result probe = qemuVirsh("uri");
            if (!probe.ok()) {
                qemuDriverUnavailable = "libvirt 12.8's QEMU driver (qemu:///embed) does not start in " + root()
                        + " (libvirt-daemon-driver-qemu; .ci/libvirt-12.8-root installs it): " + probe.error();
            }
        }
        assumeTrue(qemuDriverUnavailable == null, () -> qemuDriverUnavailable);
    }

    /** {@code virsh --version} in the root. */
    public static String virshVersion() {
        return run(List.of("virsh", "--version"), 30, true).output().strip();
    }

    /** {@code qemu-system-x86_64 --version} in the root, its first line. */
    public static String qemuVersion() {
        return run(List.of("qemu-system-x86_64", "--version"), 30, true)
                .output()
                .lines()
                .findFirst()
                .orElse("");
    }

    /**
     * {@code virsh -c test:///default cpu-baseline} of the {@code <cpu>} documents, written one after the other into
     * one file (virsh reads every {@code <cpu>} of it).
     *
     * @param features   {@code --features} (VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES)
     * @param migratable {@code --migratable} (VIR_CONNECT_BASELINE_CPU_MIGRATABLE)
     */
    public static Result cpuBaseline(List<String> cpuXmls, boolean features, boolean migratable) {
        List<String> command = new ArrayList<>(List.of("virsh", "-q", "-c", "test:///default", "cpu-baseline"));
        if (features) {
            command.add("--features");
        }
        if (migratable) {
            command.add("--migratable");
        }
        return withFile(String.join("", cpuXmls), command);
    }

    /** {@code virsh -c test:///default cpu-compare} of one {@code <cpu>} document with the test driver's host CPU. */
    public static Result cpuCompare(String cpuXml) {
        return withFile(cpuXml, new ArrayList<>(List.of("virsh", "-q", "-c", "test:///default", "cpu-compare")));
    }

    /**
     * {@code virsh -c qemu:///embed?root=… cpu-baseline}: libvirt 12.8's QEMU driver, run in process (no daemon), which
     * takes {@code --migratable} where the test driver refuses it. It needs {@code /proc} and {@code /sys} in the
     * root: they are mounted in a mount namespace of its own ({@code unshare --mount}), gone when virsh ends.
     */
    public static Result qemuCpuBaseline(List<String> cpuXmls, boolean features, boolean migratable) {
        List<String> command = new ArrayList<>(List.of("cpu-baseline"));
        if (features) {
            command.add("--features");
        }
        if (migratable) {
            command.add("--migratable");
        }
        return withFile(String.join("", cpuXmls), embeddedQemu(command));
    }

    /**
     * {@code virsh -c qemu:///embed?root=… cpu-compare} of one {@code <cpu>} with the host CPU libvirt 12.8 reads from
     * this machine; {@code --error} makes an incompatible CPU an error that says why.
     */
    public static Result qemuCpuCompare(String cpuXml, boolean error) {
        List<String> command = new ArrayList<>(List.of("cpu-compare"));
        if (error) {
            command.add("--error");
        }
        return withFile(cpuXml, embeddedQemu(command));
    }

    /** Any virsh command on libvirt 12.8's embedded QEMU driver. */
    public static Result qemuVirsh(String... arguments) {
        return run(embeddedQemu(new ArrayList<>(List.of(arguments))), 120, false);
    }

    private static List<String> embeddedQemu(List<String> virshArguments) {
        List<String> command = new ArrayList<>(List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount -t proc proc \"$0/proc\" && mount -t sysfs sysfs \"$0/sys\" && exec chroot \"$0\" \"$@\"",
                root().toString(),
                "virsh",
                "-q",
                "-c",
                "qemu:///embed?root=/var/tmp/fleetcpu-embed"));
        command.addAll(virshArguments);
        return command;
    }

    /** Any virsh command in the root, on {@code test:///default}. */
    public static Result virsh(String... arguments) {
        List<String> command = new ArrayList<>(List.of("virsh", "-q", "-c", "test:///default"));
        command.addAll(List.of(arguments));
        return run(command, 60, true);
    }

    /**
     * Starts the root's QEMU 11 under TCG with this {@code -cpu} value, paused, and quits it through QMP, as
     * {@link QemuLaunch#start} does with the machine's QEMU.
     */
    public static QemuLaunch.Outcome startQemu(String cpuArgument) {
        return QemuLaunch.start(List.of("chroot", root().toString()), "tcg", cpuArgument);
    }

    private static Result withFile(String content, List<String> command) {
        Path dir = root().resolve("tmp");
        String name = "fleetcpu-" + ProcessHandle.current().pid() + "-" + FILES.incrementAndGet() + ".xml";
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, content);
            command.add("/tmp/" + name);
            return run(command, 60, command.get(0).equals("virsh"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left in the root's /tmp: harmless
            }
        }
    }

    /** @param chroot run {@code command} in the root through chroot; else as it is */
    private static Result run(List<String> inRoot, int timeoutSeconds, boolean chroot) {
        List<String> command = new ArrayList<>(chroot ? List.of("chroot", root().toString()) : List.of());
        command.addAll(inRoot);
        try {
            Path err = Files.createTempFile("libvirt128-", ".err");
            try {
                Process p = new ProcessBuilder(command)
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, out, "timed out after " + timeoutSeconds + " s");
                }
                return new Result(p.exitValue(), out, Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", e.toString());
        }
    }
}
