package io.fleetcpu.boot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code qemu-system-x86_64 -S} with a {@code -cpu} value, paused, with nothing attached, and quits it
 * through QMP: QEMU's own verdict on a {@code -cpu} value, beside libvirt's.
 */
public final class QemuLaunch {

    /** Started (and quit), or what QEMU printed when it refused. */
    public record Outcome(boolean started, String output) {

        @Override
        public String toString() {
            return started ? "QEMU started" : "QEMU refused: " + output.strip();
        }
    }

    private QemuLaunch() {}

    /** {@code kvm} where this process may use {@code /dev/kvm}, else {@code tcg} (emulation). */
    public static String accelerator() {
        Path kvm = Path.of("/dev/kvm");
        return Files.isReadable(kvm) && Files.isWritable(kvm) ? "kvm" : "tcg";
    }

    /**
     * @param accel {@code kvm} or {@code tcg}; under {@code tcg}, {@code host} (KVM only) is started as {@code max},
     *     which takes the same flags
     */
    public static Outcome start(String accel, String cpuArgument) {
        return start(List.of(), accel, cpuArgument);
    }

    /**
     * The same with a command before QEMU's: {@code chroot ROOT} starts the QEMU of another root (QEMU 11 in
     * {@code io.fleetcpu.testing.Libvirt128}'s).
     */
    public static Outcome start(List<String> prefix, String accel, String cpuArgument) {
        return start(prefix, accel, cpuArgument, "pc");
    }

    /** The same with this {@code -machine}. */
    public static Outcome start(List<String> prefix, String accel, String cpuArgument, String machine) {
        return startWith(prefix, accel, List.of("-machine", machine, "-cpu", cpuArgument));
    }

    /**
     * QEMU started with these arguments as an operator pastes them ({@code format=qemu}: {@code -machine … -cpu …}),
     * plus what any start here needs (the accelerator, memory, no devices, no display).
     */
    public static Outcome startWith(List<String> prefix, String accel, List<String> arguments) {
        List<String> given = new ArrayList<>(arguments);
        int cpuAt = given.indexOf("-cpu") + 1;
        if (cpuAt > 0 && cpuAt < given.size()) {
            String cpuArgument = given.get(cpuAt);
            if (accel.equals("tcg") && (cpuArgument.equals("host") || cpuArgument.startsWith("host,"))) {
                given.set(cpuAt, "max" + cpuArgument.substring(4));
            }
        }
        List<String> command = new ArrayList<>(prefix);
        command.add("qemu-system-x86_64");
        command.addAll(given);
        command.addAll(List.of("-accel", accel, "-m", "64", "-nodefaults", "-display", "none", "-S", "-qmp", "stdio"));
        Process process = null;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(("{\"execute\": \"qmp_capabilities\"}\n{\"execute\": \"quit\"}\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                return new Outcome(false, "QEMU did not quit within 60 s: " + output);
            }
            // QMP greets only once the machine is created; a refused -cpu ends QEMU before that.
            boolean started = process.exitValue() == 0 && output.contains("\"QMP\"");
            return new Outcome(started, output);
        } catch (IOException e) {
            return new Outcome(false, "cannot run qemu-system-x86_64: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
