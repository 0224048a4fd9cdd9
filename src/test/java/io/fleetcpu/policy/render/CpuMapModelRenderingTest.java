package io.fleetcpu.policy.render;

import static io.fleetcpu.policy.render.RenderExamples.CATALOG;
import static io.fleetcpu.policy.render.RenderExamples.CUSTOM;
import static io.fleetcpu.policy.render.RenderExamples.RENDERER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.guest.GuestCpu;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A full cpu_map model (the seed's hand-written {@code SandyBridge-vmx}), read back with a DOM parser and, the
 * strongest check, loaded by {@link CpuCatalog#fromDirectory} from a map holding only it.
 */
class CpuMapModelRenderingTest {

    /** The seed's list: SandyBridge's features and vmx, written by hand. */
    private static final List<String> SEED_SANDYBRIDGE_VMX = List.of(
            "aes",
            "apic",
            "avx",
            "clflush",
            "cmov",
            "cx16",
            "cx8",
            "de",
            "fpu",
            "fxsr",
            "lahf_lm",
            "lm",
            "mca",
            "mce",
            "mmx",
            "msr",
            "mtrr",
            "nx",
            "pae",
            "pat",
            "pclmuldq",
            "pge",
            "pni",
            "popcnt",
            "pse",
            "pse36",
            "rdtscp",
            "sep",
            "sse",
            "sse2",
            "sse4.1",
            "sse4.2",
            "ssse3",
            "syscall",
            "tsc",
            "tsc-deadline",
            "x2apic",
            "xsave",
            "vmx");

    @Test
    void theSeedsSandyBridgeVmxHasExactlyTheHandWrittenFeatures(@TempDir Path dir) throws Exception {
        String xml = RENDERER.cpuMapModel(RenderExamples.SANDYBRIDGE_VMX, "SandyBridge-vmx")
                .text();
        Element model = single(parse(xml).getDocumentElement(), "model");
        assertThat(model.getAttribute("name")).isEqualTo("SandyBridge-vmx");
        assertThat(featureNames(model)).containsExactlyInAnyOrderElementsOf(SEED_SANDYBRIDGE_VMX);
        Loaded loaded = load(dir, "SandyBridge-vmx", xml);
        assertThat(loaded.model().vendor()).isEqualTo("Intel");
        assertThat(loaded.featureNames()).containsExactlyInAnyOrderElementsOf(SEED_SANDYBRIDGE_VMX);
    }

    @Test
    void everyCustomExampleSpellsOutModelPlusRequiredMinusDisabled(@TempDir Path dir) throws Exception {
        int n = 0;
        for (GuestCpu cpu : CUSTOM) {
            String name = "Fleet-" + (n++);
            String xml = RENDERER.cpuMapModel(cpu, name).text();
            CpuModel base = CATALOG.model(cpu.model()).orElseThrow();
            FeatureSet expected = base.features()
                    .union(CATALOG.featureSet(cpu.featureNames(FeaturePolicy.REQUIRE)))
                    .minus(CATALOG.featureSet(cpu.featureNames(FeaturePolicy.DISABLE)));

            Element model = single(parse(xml).getDocumentElement(), "model");
            assertThat(model.getAttribute("name")).isEqualTo(name);
            // catalog order, every feature once
            assertThat(featureNames(model)).as(xml).containsExactlyElementsOf(CATALOG.featureNames(expected));
            Element decode = single(model, "decode");
            assertThat(decode.getAttribute("host")).isEqualTo("off");
            assertThat(decode.getAttribute("guest")).isEqualTo("off");
            String vendor = base.vendor() != null ? base.vendor() : cpu.vendor();
            NodeList vendors = model.getElementsByTagName("vendor");
            if (vendor == null) {
                assertThat(vendors.getLength()).as(xml).isZero();
            } else {
                assertThat(((Element) vendors.item(0)).getAttribute("name")).isEqualTo(vendor);
            }

            Loaded loaded = load(dir.resolve(name), name, xml);
            assertThat(loaded.featureNames()).as(xml).isEqualTo(CATALOG.featureNames(expected));
            assertThat(loaded.model().vendor()).isEqualTo(vendor);
            assertThat(loaded.model().decodeHost()).isFalse();
            assertThat(loaded.model().decodeGuest()).isFalse();
        }
    }

    @Test
    void refusesHostModesAndBadOrTakenNames() {
        for (GuestCpu cpu : List.of(RenderExamples.HOST_MODEL_VMX_NO_SPEC_CTRL, RenderExamples.PASSTHROUGH_PLAIN)) {
            assertThat(RENDERER.cpuMapModel(cpu, "Mine"))
                    .isEqualTo(new Rendering.NotExpressible(CpuConfigRenderer.CPU_MAP_NEEDS_A_MODEL));
        }
        assertThat(CpuConfigRenderer.CPU_MAP_NEEDS_A_MODEL).contains("needs a named model");
        assertThat(RENDERER.newModelNameProblem("SandyBridge-vmx")).isEmpty();
        assertThat(RENDERER.newModelNameProblem("SandyBridge"))
                .hasValueSatisfying(problem -> assertThat(problem).contains("already has model SandyBridge"));
        for (String bad :
                new String[] {null, "", "-vmx", "Sandy Bridge", "a,b", "x+vmx", "a'b", "<m>", "x".repeat(65)}) {
            assertThatThrownBy(() -> RENDERER.cpuMapModel(RenderExamples.SANDYBRIDGE_VMX, bad))
                    .as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a CPU model name");
        }
        assertThatThrownBy(() -> RENDERER.cpuMapModel(RenderExamples.SANDYBRIDGE_VMX, "SandyBridge"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has model SandyBridge");
        assertThatThrownBy(() -> RENDERER.cpuMapModel(RenderExamples.SANDYBRIDGE_VMX, "haswell-notsx"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has model Haswell-noTSX");
        assertThatThrownBy(() -> RENDERER.cpuMapModel(RenderExamples.SANDYBRIDGE_VMX, "host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mode word");
    }

    /** A map of the bundled vendors and features plus this one model, read as libvirt lays it out. */
    /** A model as libvirt would read it from a map, and its features by name (positions are the map's own). */
    private record Loaded(CpuModel model, List<String> featureNames) {}

    private static Loaded load(Path dir, String name, String modelXml) throws IOException {
        Files.createDirectories(dir);
        for (String file : List.of("x86_vendors.xml", "x86_features.xml")) {
            try (InputStream in = bundled(file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        Files.writeString(dir.resolve("x86_" + name + ".xml"), modelXml);
        Files.writeString(dir.resolve("index.xml"), """
                <cpus>
                  <arch name='x86'>
                    <include filename='x86_vendors.xml'/>
                    <include filename='x86_features.xml'/>
                    <include filename='x86_%s.xml'/>
                  </arch>
                </cpus>
                """.formatted(name));
        CpuCatalog catalog = CpuCatalog.fromDirectory(dir, "test");
        assertThat(catalog.models()).extracting(CpuModel::name).containsExactly(name);
        // Same x86_features.xml, so the same feature indexes as the bundled catalog.
        assertThat(catalog.features()).hasSameSizeAs(CATALOG.features());
        CpuModel model = catalog.model(name).orElseThrow();
        return new Loaded(model, catalog.featureNames(model.features()));
    }

    private static InputStream bundled(String file) {
        InputStream in = CpuMapModelRenderingTest.class.getClassLoader().getResourceAsStream("catalog/cpu_map/" + file);
        assertThat(in).as(file).isNotNull();
        return in;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element single(Element parent, String tag) {
        NodeList list = parent.getElementsByTagName(tag);
        assertThat(list.getLength()).as("<" + tag + "> elements").isEqualTo(1);
        return (Element) list.item(0);
    }

    private static List<String> featureNames(Element model) {
        List<String> names = new ArrayList<>();
        NodeList list = model.getElementsByTagName("feature");
        for (int i = 0; i < list.getLength(); i++) {
            names.add(((Element) list.item(i)).getAttribute("name"));
        }
        return names;
    }
}
