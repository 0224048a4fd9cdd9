package io.fleetcpu.libvirtxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds every real file, written back by {@link CpuDefinition#toHostCpuXml()}, to libvirt's own
 * {@code virsh -c test:///default cpu-baseline} and checks libvirt reads it as MANIFEST.tsv says it did (same model,
 * or the same refusal). Skipped where virsh is not installed.
 */
class ManifestAgreementTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsVirsh() {
        assumeTrue(run(List.of("virsh", "--version")).exitCode() == 0, "virsh is not installed");
    }

    static List<TestDocuments.ManifestEntry> entries() {
        return TestDocuments.manifest().values().stream()
                .sorted(java.util.Comparator.comparing(TestDocuments.ManifestEntry::file))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void libvirtReadsWhatWeWriteAsItReadTheOriginal(TestDocuments.ManifestEntry entry) throws IOException {
        String original = TestDocuments.read("cpudata/" + entry.file());
        CpuDefinition cpu = switch (entry.kind()) {
            case "domcaps" -> DomainCapabilities.parse(original).hostModel();
            case "guest" -> CpuDefinition.parse(original).withArch("x86_64");
            default -> CpuDefinition.parse(original);
        };
        Path input = Files.writeString(dir.resolve(entry.file().replace('/', '_')), cpu.toHostCpuXml());

        Result result = run(List.of("virsh", "-c", "test:///default", "cpu-baseline", input.toString()));

        if (entry.libvirtAccepts()) {
            assertThat(result.exitCode()).as(result.output()).isZero();
            CpuDefinition baseline = CpuDefinition.parse(result.output());
            assertThat(baseline.model()).isEqualTo(entry.libvirtBaselineModel());
            assertThat(baseline.vendor()).isEqualTo(entry.vendor());
        } else {
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.output()).contains(refusalOf(entry));
        }
    }

    private static String refusalOf(TestDocuments.ManifestEntry entry) {
        String line = TestDocuments.read("cpudata/MANIFEST.tsv")
                .lines()
                .filter(l -> l.startsWith(entry.file() + "\t"))
                .findFirst()
                .orElseThrow();
        return line.split("\t")[9];
    }

    record Result(int exitCode, String output) {}

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
