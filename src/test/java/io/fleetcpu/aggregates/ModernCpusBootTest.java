package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.boot.QemuLaunch;
import io.fleetcpu.testing.ApiTest;
import io.fleetcpu.testing.Libvirt128;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The boot proof for modern CPUs: every real CPU of {@code cpudata/libvirt-newer} (Sapphire Rapids, Xeon 6, EPYC
 * Genoa, Ryzen 9000, …), registered as a host whose agent reports libvirt 12.8.0 (so read with libvirt 12.8's map),
 * alone and with two older CPUs of its vendor from {@code cpudata/libvirt-9.9.0}; the {@code qemuCpu} of each
 * aggregate's recommended CPU is started in QEMU 11 (the root of {@code .ci/libvirt-12.8-root}) under TCG, paused and
 * quit through QMP ({@link Libvirt128#startQemu}). QEMU refuses a model or feature name it does not know
 * ({@code Property '…' not found}), so a start proves every name of the answer; it warns about features TCG lacks,
 * which is no refusal. An aggregate answered {@code 409} is printed with its reason. Skipped where the root is
 * missing; CI makes it and requires this test.
 */
class ModernCpusBootTest extends ApiTest {

    /** Older CPUs of each vendor, read in full by every bundled map: Broadwell and Skylake-Server; Zen 1 and Zen 2. */
    private static final Map<String, List<String>> OLDER = Map.of(
            "Intel",
            List.of(
                    "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v4-host.xml",
                    "libvirt-9.9.0/x86_64-cpuid-Xeon-Gold-6148-host.xml"),
            "AMD",
            List.of(
                    "libvirt-9.9.0/x86_64-cpuid-EPYC-7601-32-Core-host.xml",
                    "libvirt-9.9.0/x86_64-cpuid-Ryzen-9-3900X-12-Core-host.xml"));

    /**
     * Skips the test (not the class: a class skipped in {@code @BeforeAll} leaves no test case in Surefire's report,
     * and {@code .ci/run} would not see the skip) where the root is missing.
     */
    private static void assumeQemu11() {
        String why = Libvirt128.unavailable();
        assumeTrue(why == null, () -> "libvirt 12.8 and QEMU 11 not available: " + why);
        System.out.println(
                "modern-cpus: starting answers in " + Libvirt128.qemuVersion() + " (TCG), " + Libvirt128.root());
    }

    private static List<String> newerCpus() {
        try (Stream<Path> files = Files.list(Path.of(
                ModernCpusBootTest.class.getResource("/cpudata/libvirt-newer").toURI()))) {
            return files.map(p -> "libvirt-newer/" + p.getFileName())
                    .filter(f -> f.endsWith("-host.xml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String vendorOf(String file) {
        return cpuData(file).contains("<vendor>AMD</vendor>") ? "AMD" : "Intel";
    }

    private int hosts;

    private void register(String aggregate, String file) {
        hosts++;
        Map<String, Object> body = new LinkedHashMap<>(registration(
                String.format("00000000-0000-4000-8000-%012d", 12800 + hosts),
                "modern-" + hosts,
                List.of(aggregate),
                file));
        body.put("versions", Map.of("libvirt", "12.8.0", "qemu", "11.1.3"));
        Answer registered = post("/hosts", body);
        assertThat(registered.status()).as(registered.body()).isIn(200, 201);
    }

    /** What one aggregate's answer did in QEMU 11: a start, a refusal by QEMU, or a 409 of the service. */
    private record Verdict(String aggregate, String members, int status, String answer, String qemu, boolean started) {
        @Override
        public String toString() {
            return aggregate + " [" + members + "]: "
                    + (status == 200 ? answer + " -> " + qemu : status + " " + answer);
        }
    }

    private Verdict boot(String aggregate, List<String> members) {
        members.forEach(file -> register(aggregate, file));
        Answer answer = get("/aggregates/" + aggregate + "/recommended-cpu");
        String names = String.join(
                ", ",
                members.stream()
                        .map(f -> f.replaceFirst(".*x86_64-cpuid-", "").replace("-host.xml", ""))
                        .toList());
        if (answer.status() != 200) {
            JsonNode json = answer.json();
            return new Verdict(
                    aggregate, names, answer.status(), json.path("detail").asString(), "", false);
        }
        JsonNode cpu = answer.json();
        assertThat(cpu.path("catalog").path("name").asString()).isEqualTo("libvirt 12.8");
        assertThat(cpu.path("catalog").path("verifiedAgainstLibvirt").asBoolean())
                .isTrue();
        String mode = cpu.path("mode").asString();
        String what = mode + (cpu.hasNonNull("model") ? " " + cpu.get("model").asString() : "");
        if (!cpu.hasNonNull("qemuCpu")) {
            // QEMU cannot express the answer (host-model, or a required feature QEMU has no property for): the
            // qemu format says why
            Answer why = get("/aggregates/" + aggregate + "/recommended-cpu?format=qemu");
            return new Verdict(
                    aggregate,
                    names,
                    200,
                    what + " " + cpu.path("features") + " (no -cpu value: " + why.status() + " "
                            + why.body().strip() + ")",
                    "not started",
                    false);
        }
        String qemuCpu = cpu.get("qemuCpu").asString();
        QemuLaunch.Outcome qemu = Libvirt128.startQemu(qemuCpu);
        long warnings = qemu.output()
                .lines()
                .filter(l -> l.contains("TCG doesn't support requested feature"))
                .count();
        String verdict = qemu.started()
                ? "QEMU 11 started" + (warnings > 0 ? " (" + warnings + " features TCG lacks, warned)" : "")
                : "QEMU 11 refused: "
                        + qemu.output()
                                .lines()
                                .filter(l -> !l.contains("TCG doesn't support") && !l.startsWith("{"))
                                .toList();
        return new Verdict(aggregate, names, 200, what + ", -cpu " + qemuCpu, verdict, qemu.started());
    }

    @Test
    void everyModernCpuAloneAndWithOlderCpusOfItsVendorStartsInQemu11() {
        assumeQemu11();
        List<Verdict> verdicts = new ArrayList<>();
        int n = 0;
        for (String file : newerCpus()) {
            n++;
            verdicts.add(boot("modern-alone-" + n, List.of(file)));
            List<String> mixed = new ArrayList<>(List.of(file));
            mixed.addAll(OLDER.get(vendorOf(file)));
            verdicts.add(boot("modern-mixed-" + n, mixed));
        }
        verdicts.forEach(v -> System.out.println("modern-cpus: " + v));
        List<Verdict> answered =
                verdicts.stream().filter(v -> v.status() == 200).toList();
        List<Verdict> refused = verdicts.stream().filter(v -> v.status() != 200).toList();
        System.out.println("modern-cpus: " + answered.size() + " of " + verdicts.size() + " aggregates answered, "
                + answered.stream().filter(Verdict::started).count() + " of them started in QEMU 11; "
                + refused.size() + " refused by the service");
        assertThat(newerCpus()).hasSize(14);
        assertThat(answered.stream().filter(v -> !v.started()).map(Verdict::toString))
                .as("answers QEMU 11 refused")
                .isEmpty();
        assertThat(refused.stream().map(Verdict::status))
                .as("refusals are 409s")
                .allMatch(s -> s == 409);
        assertThat(answered).as("aggregates answered").isNotEmpty();
    }
}
