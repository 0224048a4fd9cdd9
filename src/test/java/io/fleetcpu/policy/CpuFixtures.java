package io.fleetcpu.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.fleetcpu.libvirtxml.SecureXml;

/** The real CPUs of {@code src/test/resources/cpudata}, read from the classpath. */
public final class CpuFixtures {

    /** A fixture: its file, kind, what libvirt 9.0 made of it, and the same CPU as host-shaped XML. */
    public record Fixture(String file, String kind, String vendor, boolean libvirtAccepts, CpuDescription cpu,
                          String hostXml) {
        public NamedCpu named() {
            return new NamedCpu(file, cpu);
        }
    }

    private static List<Fixture> all;

    private CpuFixtures() {
    }

    public static synchronized List<Fixture> all() {
        if (all == null) {
            List<Fixture> out = new ArrayList<>();
            for (String line : read("cpudata/MANIFEST.tsv").split("\n")) {
                String[] c = line.split("\t");
                if (c[0].equals("file") || !(c[1].equals("host") || c[1].equals("guest"))) {
                    continue;
                }
                out.add(load(c[0], c[1], c[2], c[6].equals("yes")));
            }
            all = List.copyOf(out);
        }
        return all;
    }

    public static Fixture get(String file) {
        return all().stream().filter(f -> f.file().equals(file)).findFirst().orElseThrow();
    }

    /** Accepted by libvirt 9.0, host files of 9.9.0 and 5.6.0 and the 9.9.0 guest files turned into hosts. */
    public static List<Fixture> accepted() {
        return all().stream().filter(Fixture::libvirtAccepts).toList();
    }

    private static Fixture load(String file, String kind, String vendor, boolean accepts) {
        String xml = read("cpudata/" + file);
        Element cpu = SecureXml.parse(xml).getDocumentElement();
        String arch = text(cpu, "arch");
        String model = text(cpu, "model");
        String v = text(cpu, "vendor");
        List<String> required = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        for (Element f : children(cpu, "feature")) {
            (f.getAttribute("policy").equals("disable") ? disabled : required).add(f.getAttribute("name"));
        }
        if (kind.equals("host")) {
            return new Fixture(file, kind, vendor, accepts, new CpuDescription(arch, v, model, required, List.of()), xml);
        }
        // Host shape cannot say "model minus a feature": the guest's disabled features are left out on both sides.
        CpuDescription host = new CpuDescription("x86_64", v, model, required, List.of());
        return new Fixture(file, kind, vendor, accepts, host, hostXml(host));
    }

    /** The host {@code <cpu>} libvirt reads for a description without disabled features. */
    public static String hostXml(CpuDescription cpu) {
        StringBuilder s = new StringBuilder("<cpu>\n");
        if (cpu.arch() != null) {
            s.append("  <arch>").append(cpu.arch()).append("</arch>\n");
        }
        if (cpu.model() != null) {
            s.append("  <model>").append(cpu.model()).append("</model>\n");
        }
        if (cpu.vendor() != null) {
            s.append("  <vendor>").append(cpu.vendor()).append("</vendor>\n");
        }
        cpu.requiredFeatures().forEach(f -> s.append("  <feature name='").append(f).append("'/>\n"));
        return s.append("</cpu>\n").toString();
    }

    private static String read(String resource) {
        try (InputStream in = CpuFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Element parent, String tag) {
        List<Element> c = children(parent, tag);
        return c.isEmpty() ? null : c.get(0).getTextContent().trim();
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    static Document parse(String xml) {
        return SecureXml.parse(xml);
    }
}
