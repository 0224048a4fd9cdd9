package io.fleetcpu.policy.render;

import static io.fleetcpu.policy.render.RenderExamples.ALL;
import static io.fleetcpu.policy.render.RenderExamples.RENDERER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.guest.GuestCpu;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nova.conf's {@code [libvirt]} section, read back as nova would: oslo.config's INI rules (sections, {@code key =
 * value}, whole-line {@code #}/{@code ;} comments), {@code cpu_model_extra_flags} as a ListOpt split on commas
 * and stripped, a leading {@code -} meaning disable. No INI library is on the test classpath, so the section is
 * read by a strict reader here and, where python3 is installed, by Python's configparser as a second, real one.
 */
class NovaConfRenderingTest {

    @Test
    void everyExampleReadsBackAsTheSameCpu() {
        for (GuestCpu cpu : ALL) {
            String ini = RENDERER.novaConf(cpu).text();
            checkAgainst(cpu, ini, readIni(ini));
        }
    }

    @Test
    void theMachineTypeEveryHostOffersIsNovasMachineTypeForX86() {
        for (GuestCpu cpu : ALL) {
            String ini = RENDERER.novaConf(
                            cpu, cpu.mode() == GuestCpu.Mode.CUSTOM ? List.of(cpu.model()) : List.of(), "pc-q35-7.2")
                    .text();
            Map<String, String> libvirt = readIni(ini).get("libvirt");
            assertThat(libvirt).as(ini).containsEntry("hw_machine_type", "x86_64=pc-q35-7.2");
            checkAgainst(cpu, ini, readIni(ini));
            assertThat(readIni(RENDERER.novaConf(cpu).text()).get("libvirt")).doesNotContainKey("hw_machine_type");
        }
    }

    @Test
    void pythonConfigparserReadsTheSameSection(@TempDir Path dir) throws Exception {
        assumeTrue(python3Works(), "python3 is not installed here; the strict Java reader still checks the section");
        for (GuestCpu cpu : ALL) {
            String ini = RENDERER.novaConf(cpu).text();
            Path file = dir.resolve("nova.conf");
            Files.writeString(file, ini);
            Process p = new ProcessBuilder("python3", "-c", """
                    import configparser, sys
                    c = configparser.ConfigParser(interpolation=None)
                    c.read(sys.argv[1])
                    assert c.sections() == ['libvirt'], c.sections()
                    for k, v in c['libvirt'].items():
                        print(k + '\\t' + v)
                    """, file.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            Map<String, Map<String, String>> sections = new LinkedHashMap<>();
            Map<String, String> section = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                if (!line.isEmpty()) {
                    String[] kv = line.split("\t", 2);
                    section.put(kv[0], kv[1]);
                }
            }
            sections.put("libvirt", section);
            checkAgainst(cpu, ini, sections);
        }
    }

    @Test
    void customWithRequiredAndDisabledFlags() {
        assertThat(RENDERER.novaConf(RenderExamples.HASWELL_VMX_NO_SPEC_CTRL).text())
                .isEqualTo("""
                [libvirt]
                # nova cannot write fallback='forbid'; libvirt may substitute a close model where Haswell-noTSX-IBRS is unknown
                # '-flag' disables a flag; nova Victoria and older only enable flags and would read it as a name
                cpu_mode = custom
                cpu_models = Haswell-noTSX-IBRS
                cpu_model_extra_flags = vmx, -spec-ctrl
                """);
    }

    @Test
    void hostModesNeverSetCpuModels() {
        // nova refuses to start when cpu_models is set and cpu_mode is not custom
        assertThat(RENDERER.novaConf(RenderExamples.HOST_MODEL_PLAIN).text())
                .isEqualTo("[libvirt]\ncpu_mode = host-model\n");
        assertThat(RENDERER.novaConf(RenderExamples.PASSTHROUGH_INVTSC_NO_SPEC_CTRL)
                        .text())
                .doesNotContain("cpu_models")
                .contains(
                        "cpu_mode = host-passthrough\n",
                        "cpu_model_extra_flags = invtsc, -spec-ctrl\n",
                        "# host-passthrough already gives every flag");
    }

    @Test
    void aVendorNovaCannotExpressIsAComment() {
        String ini = RENDERER.novaConf(RenderExamples.KVM64_INTEL).text();
        assertThat(ini)
                .contains("# nova has no setting for the CPU vendor: kvm64 runs on any vendor's host, not only Intel");
        assertThat(readIni(ini).get("libvirt")).doesNotContainKey("cpu_vendor");
    }

    private static void checkAgainst(GuestCpu cpu, String ini, Map<String, Map<String, String>> sections) {
        assertThat(sections).as(ini).containsOnlyKeys("libvirt");
        Map<String, String> libvirt = sections.get("libvirt");
        assertThat(libvirt.get("cpu_mode")).as(ini).isEqualTo(cpu.mode().libvirtName());
        if (cpu.mode() == GuestCpu.Mode.CUSTOM) {
            assertThat(listOpt(libvirt.get("cpu_models"))).as(ini).containsExactly(cpu.model());
        } else {
            assertThat(libvirt).as(ini).doesNotContainKey("cpu_models");
        }
        List<CpuFeature> flags = new ArrayList<>();
        for (String flag : listOpt(libvirt.get("cpu_model_extra_flags"))) {
            // nova's reading: '-' disables, '+' or nothing requires; names are case-insensitive
            String name = flag.toLowerCase(java.util.Locale.ROOT);
            flags.add(
                    name.startsWith("-")
                            ? new CpuFeature(name.substring(1), FeaturePolicy.DISABLE)
                            : new CpuFeature(name.replaceFirst("^\\+", ""), FeaturePolicy.REQUIRE));
        }
        assertThat(flags).as(ini).isEqualTo(cpu.features());
    }

    private static List<String> listOpt(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).toList();
    }

    /** Strict: every line is blank, a whole-line comment, a section header or {@code key = value}, keys unique. */
    static Map<String, Map<String, String>> readIni(String text) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                assertThat(line).as("section header").matches("\\[[A-Za-z0-9_]+]");
                current = new LinkedHashMap<>();
                assertThat(sections.put(line.substring(1, line.length() - 1), current))
                        .as("repeated " + line)
                        .isNull();
                continue;
            }
            assertThat(current).as("key outside a section: " + line).isNotNull();
            int eq = line.indexOf('=');
            assertThat(eq).as("not key = value: " + line).isPositive();
            String key = line.substring(0, eq).strip();
            assertThat(key).matches("[a-z_]+");
            assertThat(current.put(key, line.substring(eq + 1).strip()))
                    .as("repeated key " + key)
                    .isNull();
        }
        return sections;
    }

    private static boolean python3Works() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import configparser")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
