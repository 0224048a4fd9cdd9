package io.fleetcpu.policy.render;

import static io.fleetcpu.policy.render.RenderExamples.ALL;
import static io.fleetcpu.policy.render.RenderExamples.CATALOG;
import static io.fleetcpu.policy.render.RenderExamples.RENDERER;
import static io.fleetcpu.policy.render.RenderExamples.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.boot.QemuLaunch;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.guest.GuestCpu;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * QEMU's {@code -cpu} value, checked against the QEMU installed here ({@code qemu-system-x86_64}, 7.2 on these
 * machines): its {@code -cpu help} lists the models and flags the translation table must hit, and QEMU itself must
 * start (paused, no devices) with every rendered argument. Skipped with a reason where QEMU is missing or cannot
 * start at all.
 */
class QemuCpuArgumentTest {

    private static final String QEMU = "qemu-system-x86_64";
    /** cpu_map models upstream QEMU 7.2 does not have (libvirt translates them to a QEMU model at start). */
    private static final Set<String> MODELS_QEMU_7_2_LACKS =
            Set.of("pentiumpro", "cpu64-rhel5", "cpu64-rhel6", "Icelake-Client", "Icelake-Client-noTSX");

    private static Set<String> qemuFlags;
    private static Set<String> qemuModels;
    private static String skipReason;
    /**
     * What is checked is whether QEMU takes each name, which does not depend on the machine: under emulation on every
     * machine, KVM or not (under KVM, QEMU would also warn about flags this host's CPU lacks). {@code
     * RecommendationsBootTest} starts this machine's own answers with KVM where it is there.
     */
    private static final String ACCEL = "tcg";

    @BeforeAll
    static void askQemu() {
        Run help = run(List.of(QEMU, "-cpu", "help"), null);
        if (help == null || help.exit != 0) {
            skipReason =
                    QEMU + " is not installed or does not answer -cpu help" + (help == null ? "" : ": " + help.output);
            return;
        }
        qemuModels = new TreeSet<>();
        qemuFlags = new TreeSet<>();
        boolean inFlags = false;
        for (String line : help.output.split("\n")) {
            if (line.startsWith("Recognized CPUID flags:")) {
                inFlags = true;
            } else if (inFlags) {
                for (String flag : line.strip().split("\\s+")) {
                    if (!flag.isEmpty()) {
                        qemuFlags.add(flag);
                    }
                }
            } else if (line.startsWith("x86 ")) {
                qemuModels.add(line.substring(4).strip().split("\\s+")[0]);
            }
        }
        QemuLaunch.Outcome plain = QemuLaunch.start(ACCEL, "qemu64");
        if (!plain.started()) {
            skipReason = QEMU + " cannot start a paused machine here: " + plain;
        }
    }

    // ---- the translation table against -cpu help --------------------------------------------------------------

    @Test
    void everyCatalogFeatureIsAQemuFlagOrKnowinglyAbsent() {
        assumeTrue(qemuFlags != null, () -> skipReason);
        assertThat(qemuFlags).as("QEMU's flag list").hasSizeGreaterThan(100).contains("vmx", "pclmulqdq");
        List<String> problems = new ArrayList<>();
        for (FeatureDefinition f : CATALOG.features()) {
            var qemuName = QemuFeatureNames.qemuName(f.name());
            if (qemuName.isPresent() && !qemuFlags.contains(qemuName.get())) {
                problems.add(f.name() + " -> " + qemuName.get() + " is not a flag QEMU lists");
            }
            if (qemuName.isEmpty()) {
                assertThat(QemuFeatureNames.whyAbsent(f.name())).as(f.name()).isPresent();
                if (qemuFlags.contains(f.name())) {
                    problems.add(f.name() + " is documented as absent but QEMU now lists it");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRenamingIsOneOfLibvirtsOwnAliases() {
        // cpu_map records QEMU's spelling as an alias of the feature; the table must agree with libvirt's data.
        int renamed = 0;
        for (FeatureDefinition f : CATALOG.features()) {
            var qemuName = QemuFeatureNames.qemuName(f.name());
            if (qemuName.isPresent() && !qemuName.get().equals(f.name())) {
                renamed++;
                assertThat(f.aliases()).as(f.name()).contains(qemuName.get());
            }
        }
        assertThat(renamed).isEqualTo(9);
    }

    @Test
    void catalogModelsQemuLacksAreTheKnownOnes() {
        assumeTrue(qemuModels != null, () -> skipReason);
        Set<String> lacking = new TreeSet<>();
        for (CpuModel m : CATALOG.models()) {
            if (!qemuModels.contains(m.name())) {
                lacking.add(m.name());
            }
        }
        assertThat(lacking).isEqualTo(new TreeSet<>(MODELS_QEMU_7_2_LACKS));
    }

    // ---- renderings -----------------------------------------------------------------------------------------------

    @Test
    void renderedArgumentsSplitBackIntoTheGuestCpu() {
        Map<String, String> libvirtByQemu = new HashMap<>();
        for (FeatureDefinition f : CATALOG.features()) {
            QemuFeatureNames.qemuName(f.name()).ifPresent(q -> libvirtByQemu.put(q, f.name()));
        }
        for (GuestCpu cpu : ALL) {
            if (cpu.mode() == GuestCpu.Mode.HOST_MODEL) {
                continue;
            }
            String arg = RENDERER.qemuCpuArgument(cpu).text();
            String[] parts = arg.split(",");
            assertThat(parts[0]).as(arg).isEqualTo(cpu.mode() == GuestCpu.Mode.CUSTOM ? cpu.model() : "host");
            List<CpuFeature> read = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                char sign = parts[i].charAt(0);
                assertThat(sign).as(arg).isIn('+', '-');
                String name = libvirtByQemu.get(parts[i].substring(1));
                assertThat(name).as("QEMU flag %s of %s", parts[i], arg).isNotNull();
                read.add(new CpuFeature(name, sign == '+' ? FeaturePolicy.REQUIRE : FeaturePolicy.DISABLE));
            }
            assertThat(read).as(arg).isEqualTo(cpu.features());
        }
        assertThat(RENDERER.qemuCpuArgument(RenderExamples.HASWELL_VMX_NO_SPEC_CTRL)
                        .text())
                .isEqualTo("Haswell-noTSX-IBRS,+vmx,-spec-ctrl");
        assertThat(RENDERER.qemuCpuArgument(RenderExamples.KVM64_RENAMED_FEATURES)
                        .text())
                .isEqualTo("kvm64,+pclmulqdq,+lahf-lm,+tsc-adjust,-syscall");
        assertThat(RENDERER.qemuCpuArgument(RenderExamples.PASSTHROUGH_PLAIN).text())
                .isEqualTo("host");
    }

    @Test
    void featuresQemuLacks() {
        // Disabling what QEMU never gives, or requiring what libvirt filters out before starting QEMU (bits the
        // guest kernel sets itself, RDT monitoring), needs no flag.
        assertThat(RENDERER.qemuCpuArgument(GuestCpu.custom(
                                "Haswell",
                                null,
                                false,
                                List.of(
                                        require("osxsave"),
                                        require("cmt"),
                                        require("mbm_local"),
                                        RenderExamples.disable("mbm_total"))))
                        .text())
                .isEqualTo("Haswell");
        assertThat(RENDERER.qemuCpuArgument(GuestCpu.custom("Haswell", null, false, List.of(require("pconfig")))))
                .isInstanceOfSatisfying(
                        Rendering.NotExpressible.class,
                        not -> assertThat(not.reason()).contains("QEMU has no flag for required feature 'pconfig'"));
    }

    @Test
    void hostModelHasNoQemuEquivalent() {
        for (GuestCpu cpu : List.of(RenderExamples.HOST_MODEL_VMX_NO_SPEC_CTRL, RenderExamples.HOST_MODEL_PLAIN)) {
            Rendering qemu = RENDERER.qemuCpuArgument(cpu);
            assertThat(qemu)
                    .isInstanceOfSatisfying(
                            Rendering.NotExpressible.class,
                            not -> assertThat(not.reason())
                                    .contains("host-model has no QEMU -cpu equivalent without the host's expansion"));
            assertThatThrownBy(qemu::text)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not expressible: host-model has no QEMU -cpu equivalent");
        }
    }

    // ---- QEMU itself --------------------------------------------------------------------------------------------

    @Test
    void qemuStartsWithEveryRenderedArgument() {
        assumeTrue(skipReason == null, () -> skipReason);
        // The control: QEMU does refuse a flag it does not know, so acceptance below means something.
        QemuLaunch.Outcome refused = QemuLaunch.start(ACCEL, "Haswell,+no-such-flag");
        assertThat(refused.started()).as(refused.output()).isFalse();
        assertThat(refused.output()).contains("no-such-flag");
        for (GuestCpu cpu : ALL) {
            if (cpu.mode() == GuestCpu.Mode.HOST_MODEL) {
                continue;
            }
            String arg = RENDERER.qemuCpuArgument(cpu).text();
            QemuLaunch.Outcome started = QemuLaunch.start(ACCEL, arg);
            assertThat(started.started())
                    .as("%s -cpu %s: %s", QEMU, arg, started)
                    .isTrue();
        }
    }

    @Test
    void qemuAcceptsEveryCatalogFeatureUnderItsQemuName() {
        assumeTrue(skipReason == null, () -> skipReason);
        Set<String> names = new LinkedHashSet<>();
        for (FeatureDefinition f : CATALOG.features()) {
            QemuFeatureNames.qemuName(f.name()).ifPresent(names::add);
        }
        for (char sign : new char[] {'+', '-'}) {
            StringBuilder arg = new StringBuilder("qemu64");
            names.forEach(n -> arg.append(',').append(sign).append(n));
            QemuLaunch.Outcome started = QemuLaunch.start(ACCEL, arg.toString());
            assertThat(started.started())
                    .as("%s -cpu %s: %s", QEMU, arg, started)
                    .isTrue();
        }
    }

    // ---- running QEMU -------------------------------------------------------------------------------------------

    private record Run(int exit, String output) {}

    private static Run run(List<String> command, String input) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(output unreadable: " + e.getMessage() + ")";
                }
            });
            try (OutputStream in = p.getOutputStream()) {
                if (input != null) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // QEMU exited before reading the monitor: its exit code and output say why
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Run(-1, "timed out after 60 s: " + String.join(" ", command));
            }
            return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            return new Run(-1, e.toString());
        }
    }
}
