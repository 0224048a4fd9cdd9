package io.fleetcpu.catalog;

import io.fleetcpu.libvirtxml.MalformedXmlException;
import io.fleetcpu.libvirtxml.SecureXml;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads a libvirt cpu_map (index.xml and the files its x86 part includes: vendors, features, models) into a
 * {@link CpuCatalog}, the way libvirt's {@code cpu_map.c} and {@code cpu_x86.c} read it, and refuses a map fleetcpu
 * could not judge like libvirt (two features sharing a CPUID bit, a model naming an unknown feature...).
 */
final class CpuMapReader {

    private CpuMapReader() {}

    /** One of the maps shipped inside fleetcpu, with the facts file that says where it comes from. */
    static CpuCatalog readBundled(BundledMap map) {
        Properties facts = new Properties();
        try (InputStream in = open(map.factsResource())) {
            facts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CatalogException("cannot read " + map.factsResource(), e);
        }
        return load(
                digest -> new CatalogInfo(
                        facts.getProperty("source"),
                        facts.getProperty("libvirt.version"),
                        Boolean.parseBoolean(facts.getProperty("verified.against.libvirt")),
                        facts.getProperty("verification"),
                        "libvirt " + map.libvirtVersion(),
                        digest),
                name -> open(map.directoryResource() + name));
    }

    /** A cpu_map laid out as libvirt installs it (e.g. {@code /usr/share/libvirt/cpu_map}). */
    static CpuCatalog readDirectory(Path dir, @Nullable String libvirtVersion) {
        return load(
                digest -> new CatalogInfo(
                        dir.toAbsolutePath().toString(),
                        libvirtVersion,
                        false,
                        "a cpu_map read from a directory; fleetcpu's results with it are not compared with libvirt's",
                        "libvirt " + libvirtVersion,
                        digest),
                name -> {
                    checkName(name);
                    try {
                        return Files.newInputStream(dir.resolve(name));
                    } catch (NoSuchFileException e) {
                        throw new CatalogException("cpu_map file missing: " + dir.resolve(name), e);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** A cpu_map sent as its files (a host's agent uploads its libvirt's x86 files). */
    static CpuCatalog readFiles(Map<String, byte[]> sent, @Nullable String libvirtVersion) {
        String digest = CpuMapDigest.of(sent);
        String release = releaseOf(libvirtVersion);
        return load(
                read -> new CatalogInfo(
                        "the cpu_map of libvirt " + (libvirtVersion == null ? "(release not said)" : libvirtVersion)
                                + " sent by a host's agent (sha256 " + digest + ")",
                        libvirtVersion,
                        false,
                        "the map of the hosts' own libvirt, read as libvirt reads it; fleetcpu's results with it are"
                                + " not compared with that libvirt's",
                        "libvirt " + release + " (map " + digest.substring(0, 12) + ")",
                        digest),
                name -> {
                    checkName(name);
                    byte[] file = sent.get(name);
                    if (file == null) {
                        throw new CatalogException("cpu_map file missing: " + name + " (index.xml includes it)");
                    }
                    return new ByteArrayInputStream(file);
                });
    }

    /** {@code 12.5} of {@code 12.5.0}; {@code unknown} when not said. */
    private static String releaseOf(@Nullable String libvirtVersion) {
        if (libvirtVersion == null || libvirtVersion.isBlank()) {
            return "unknown";
        }
        String[] parts = libvirtVersion.strip().split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : parts[0];
    }

    private static void checkName(String name) {
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new CatalogException("cpu_map include outside the map directory: " + name);
        }
    }

    private interface MapFiles {
        InputStream open(String name);
    }

    private static InputStream open(String resource) {
        InputStream in = CpuMapReader.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new CatalogException("resource missing from the classpath: " + resource);
        }
        return in;
    }

    private static byte[] bytes(MapFiles files, String name) {
        try (InputStream in = files.open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CatalogException("cannot read cpu_map file " + name, e);
        }
    }

    private static Document parse(String name, byte[] content) {
        try {
            return SecureXml.parse(new ByteArrayInputStream(content));
        } catch (MalformedXmlException e) {
            throw new CatalogException("cpu_map file " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads index.xml and the files its x86 part includes, then the map from them; the catalog's facts are made with
     * the digest of those files ({@link CpuMapDigest}), the part of the map the catalog is.
     */
    private static CpuCatalog load(Function<String, CatalogInfo> info, MapFiles files) {
        Map<String, byte[]> read = new LinkedHashMap<>();
        read.put("index.xml", bytes(files, "index.xml"));
        Element x86 = children(parse("index.xml", read.get("index.xml")).getDocumentElement(), "arch").stream()
                .filter(a -> "x86".equals(a.getAttribute("name")))
                .findFirst()
                .orElseThrow(() -> new CatalogException("index.xml has no x86 part"));
        Loader loader = new Loader();
        for (String file : includes(x86)) {
            byte[] content = read.computeIfAbsent(file, f -> bytes(files, f));
            loader.read(file, parse(file, content).getDocumentElement());
        }
        if (loader.features.isEmpty() || loader.models.isEmpty()) {
            throw new CatalogException("cpu_map has no x86 features or models");
        }
        return new CpuCatalog(
                info.apply(CpuMapDigest.of(read)),
                loader.features,
                loader.models,
                List.copyOf(loader.vendors.keySet()));
    }

    /**
     * The files an arch of index.xml includes, in order. Since libvirt 10 the includes of models stand inside
     * {@code <group name='...'>} elements (e.g. "Intel-based QEMU generic CPU models"); libvirt reads a group's
     * includes in place, as if they stood directly in the arch, and so does this.
     */
    private static List<String> includes(Element arch) {
        List<String> files = new ArrayList<>();
        for (Node n = arch.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                switch (e.getTagName()) {
                    case "include" -> files.add(e.getAttribute("filename"));
                    case "group" -> files.addAll(includes(e));
                    default -> throw new CatalogException("index.xml: unexpected element <" + e.getTagName() + ">");
                }
            }
        }
        return files;
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

    private static final class Loader {
        final List<FeatureDefinition> features = new ArrayList<>();
        final Map<String, FeatureDefinition> featuresByName = new HashMap<>();
        final Map<String, String> bitOwners = new HashMap<>();
        final List<CpuModel> models = new ArrayList<>();
        final Map<String, CpuModel> modelsByName = new HashMap<>();
        final Map<String, String> vendors = new LinkedHashMap<>();

        void read(String file, Element root) {
            for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element e)) {
                    continue;
                }
                switch (e.getTagName()) {
                    case "vendor" -> vendors.put(required(e, "name", file), e.getAttribute("string"));
                    case "feature" -> readFeature(file, e);
                    case "model" -> readModel(file, e);
                    default -> throw new CatalogException(file + ": unexpected element <" + e.getTagName() + ">");
                }
            }
        }

        private void readFeature(String file, Element e) {
            String name = required(e, "name", file);
            if (featuresByName.containsKey(name)) {
                throw new CatalogException(file + ": feature " + name + " defined twice");
            }
            List<String> bits = new ArrayList<>();
            for (Element cpuid : children(e, "cpuid")) {
                String leaf = "cpuid " + hex(cpuid.getAttribute("eax_in"), file) + "."
                        + hex(cpuid.getAttribute("ecx_in"), file);
                for (String reg : List.of("eax", "ebx", "ecx", "edx")) {
                    addBits(bits, leaf + " " + reg, cpuid.getAttribute(reg), file);
                }
            }
            for (Element msr : children(e, "msr")) {
                String index = "msr " + hex(required(msr, "index", file), file);
                addBits(bits, index + " eax", msr.getAttribute("eax"), file);
                addBits(bits, index + " edx", msr.getAttribute("edx"), file);
            }
            if (bits.isEmpty()) {
                throw new CatalogException(file + ": feature " + name + " stands for no CPUID or MSR bit");
            }
            // Features are compared as sets of names; that equals libvirt's comparison of CPUID bits only while
            // no two features share a bit, so refuse a map where they do.
            for (String bit : bits) {
                String owner = bitOwners.putIfAbsent(bit, name);
                if (owner != null) {
                    throw new CatalogException(file + ": features " + owner + " and " + name + " share " + bit);
                }
            }
            List<String> aliases = children(e, "alias").stream()
                    .map(a -> a.getAttribute("name"))
                    .toList();
            FeatureDefinition feature = new FeatureDefinition(
                    features.size(), name, !"no".equals(e.getAttribute("migratable")), bits, aliases);
            features.add(feature);
            featuresByName.put(name, feature);
        }

        private void readModel(String file, Element e) {
            String name = required(e, "name", file);
            if (modelsByName.containsKey(name)) {
                throw new CatalogException(file + ": model " + name + " defined twice");
            }
            String vendor = null;
            List<SignatureRange> signatures = new ArrayList<>();
            FeatureSet.Builder set = FeatureSet.builder();
            // An included model passes on its vendor, signatures and features (libvirt's x86ModelParseAncestor);
            // the model's own <vendor> or <signature> elements then replace the inherited ones.
            List<Element> parents = children(e, "model");
            if (parents.size() > 1) {
                throw new CatalogException(file + ": model " + name + " includes more than one model");
            }
            String includes = null;
            for (Element p : parents) {
                includes = required(p, "name", file);
                CpuModel parent = modelsByName.get(required(p, "name", file));
                if (parent == null) {
                    throw new CatalogException(file + ": model " + name + " includes model " + p.getAttribute("name")
                            + " that is not defined before it");
                }
                vendor = parent.vendor();
                signatures.addAll(parent.signatures());
                set.addAll(parent.features());
            }
            boolean decodeHost = true;
            boolean decodeGuest = true;
            for (Element d : children(e, "decode")) {
                decodeHost = onOff(d, "host", file);
                decodeGuest = onOff(d, "guest", file);
            }
            List<Element> sigs = children(e, "signature");
            if (!sigs.isEmpty()) {
                signatures.clear();
                for (Element s : sigs) {
                    signatures.add(new SignatureRange(
                            number(s, "family", file),
                            number(s, "model", file),
                            s.hasAttribute("stepping") ? s.getAttribute("stepping") : null));
                }
            }
            for (Element v : children(e, "vendor")) {
                vendor = required(v, "name", file);
                if (!vendors.containsKey(vendor)) {
                    throw new CatalogException(file + ": model " + name + " names unknown vendor " + vendor);
                }
            }
            FeatureSet.Builder removed = FeatureSet.builder();
            List<String> removedOrder = new ArrayList<>();
            for (Element f : children(e, "feature")) {
                FeatureDefinition feature = featuresByName.get(required(f, "name", file));
                if (feature == null) {
                    throw new CatalogException(
                            file + ": model " + name + " names unknown feature " + f.getAttribute("name"));
                }
                // removed='yes' marks a feature the model used to have; libvirt keeps it out of the model's data.
                if ("yes".equals(f.getAttribute("removed"))) {
                    removed.add(feature.index());
                    removedOrder.add(feature.name());
                } else if ("yes".equals(f.getAttribute("added"))) {
                    // added='yes' (libvirt 11.x: the vmx-* capabilities of Skylake-Server, Cascadelake-Server, …)
                    // marks a feature added to an existing model later on. libvirt does not count it as part of the
                    // model: such features "will not be considered part of the CPU model and will be described
                    // explicitly via additional <feature/> elements" (libvirt commit 5fbfa5ab8a3b, "cpu: x86: Add
                    // support for adding features to existing CPU models"). A CPU naming the model without listing
                    // them does not have them, and a guest naming the model is not asked for them.
                    continue;
                } else {
                    set.add(feature.index());
                }
            }
            CpuModel model = new CpuModel(
                    name,
                    vendor,
                    includes,
                    set.build(),
                    decodeHost,
                    decodeGuest,
                    signatures,
                    models.size(),
                    removed.build(),
                    removedOrder);
            models.add(model);
            modelsByName.put(name, model);
        }

        private static boolean onOff(Element e, String attr, String file) {
            String v = e.getAttribute(attr);
            return switch (v) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new CatalogException(file + ": decode " + attr + "='" + v + "' is neither on nor off");
            };
        }

        private static void addBits(List<String> bits, String register, String value, String file) {
            if (value.isEmpty()) {
                return;
            }
            long v = Long.decode(value);
            for (int bit = 0; bit < 32; bit++) {
                if ((v >>> bit & 1) != 0) {
                    bits.add(register + " bit " + bit);
                }
            }
        }

        private static String hex(String value, String file) {
            if (value.isEmpty()) {
                return "0x00000000";
            }
            try {
                return String.format(Locale.ROOT, "0x%08x", Long.decode(value));
            } catch (NumberFormatException e) {
                throw new CatalogException(file + ": not a number: " + value, e);
            }
        }

        private static int number(Element e, String attr, String file) {
            try {
                return Integer.parseInt(required(e, attr, file));
            } catch (NumberFormatException ex) {
                throw new CatalogException(file + ": " + attr + " is not a number", ex);
            }
        }

        private static String required(Element e, String attr, String file) {
            String v = e.getAttribute(attr);
            if (v.isEmpty()) {
                throw new CatalogException(file + ": <" + e.getTagName() + "> without " + attr);
            }
            return v;
        }
    }
}
