package io.fleetcpu.agent;

import io.fleetcpu.policy.NestedState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@link KernelFacts} from procfs and sysfs under a root directory: {@code /} on a host, a folder built by a
 * test elsewhere. Every failure is a {@link CollectionException} naming the file, never a bare {@link IOException}.
 */
public final class KernelReader {

    /** Checked in this order; a host loads at most one of them. */
    private static final List<String> KVM_MODULES = List.of("kvm_intel", "kvm_amd");

    private final Path root;

    public KernelReader(Path root) {
        this.root = root;
    }

    /** @param hostnameOverride the name to report instead of the kernel's, or null to read the kernel's */
    public KernelFacts read(@Nullable String hostnameOverride) {
        String release = firstLine("proc/sys/kernel/osrelease", true);
        String hostname = hostnameOverride != null ? hostnameOverride : firstLine("proc/sys/kernel/hostname", true);
        String flag = virtualizationFlag();
        String module = null;
        NestedState nested = NestedState.UNKNOWN;
        for (String candidate : KVM_MODULES) {
            if (Files.isDirectory(file("sys/module/" + candidate))) {
                module = candidate;
                nested = nested(candidate);
                break;
            }
        }
        return new KernelFacts(release, hostname, module, nested, flag);
    }

    /** {@code vmx} (Intel VT-x) or {@code svm} (AMD-V) from the first {@code flags} line of /proc/cpuinfo. */
    private @Nullable String virtualizationFlag() {
        for (String line : lines("proc/cpuinfo")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equals("flags")) {
                continue;
            }
            List<String> flags = List.of(line.substring(colon + 1).strip().split("\\s+"));
            if (flags.contains("vmx")) {
                return "vmx";
            }
            if (flags.contains("svm")) {
                return "svm";
            }
            return null;
        }
        return null;
    }

    /** kvm_intel writes {@code Y}/{@code N}, kvm_amd {@code 1}/{@code 0} (older kernels swap them): accept both. */
    private NestedState nested(String module) {
        String value = firstLine("sys/module/" + module + "/parameters/nested", false);
        if (value == null) {
            return NestedState.UNKNOWN;
        }
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "Y", "1" -> NestedState.ENABLED;
            case "N", "0" -> NestedState.DISABLED;
            default -> NestedState.UNKNOWN;
        };
    }

    private @Nullable String firstLine(String relative, boolean required) {
        Path path = file(relative);
        if (!required && !Files.exists(path)) {
            return null;
        }
        List<String> lines = lines(relative);
        String first = lines.isEmpty() ? "" : lines.get(0).strip();
        if (first.isEmpty()) {
            throw new CollectionException("cannot read " + shown(relative) + ": the file is empty");
        }
        return first;
    }

    private List<String> lines(String relative) {
        Path path = file(relative);
        try {
            return Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CollectionException("cannot read " + shown(relative) + ": no such file", e);
        } catch (IOException e) {
            throw new CollectionException("cannot read " + shown(relative) + ": " + reason(e), e);
        }
    }

    private Path file(String relative) {
        return root.resolve(relative);
    }

    private String shown(String relative) {
        return root.toString().equals("/")
                ? "/" + relative
                : root.resolve(relative).toString();
    }

    private static String reason(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
