package io.fleetcpu.testing;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuMapDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The x86 files of the bundled cpu_maps as an agent reads its libvirt's directory (index.xml and every x86_*.xml), and
 * maps made from them that the service does not bundle: what hosts' agents send.
 */
public final class CpuMapFiles {

    private CpuMapFiles() {}

    /** The bundled map's folder among the test run's classes. */
    public static Path directory(BundledMap map) {
        String folder = map == BundledMap.LIBVIRT_9_0 ? "cpu_map" : "cpu_map-libvirt-" + map.libvirtVersion();
        try {
            return Path.of(CpuMapFiles.class
                            .getClassLoader()
                            .getResource("catalog/" + folder + "/index.xml")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The x86 files of a folder laid out as libvirt installs its map, by name. */
    public static Map<String, byte[]> x86Files(Path directory) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> listed = Files.list(directory)) {
            for (Path file : (Iterable<Path>) listed::iterator) {
                if (CpuMapDigest.isX86File(file.getFileName().toString())) {
                    files.put(file.getFileName().toString(), Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * A bundled map as a distribution might ship it: the same definitions, one comment more in x86_features.xml, so
     * another digest, a map the service does not hold until an agent sends it.
     */
    public static Map<String, byte[]> patched(BundledMap map, String comment) {
        Map<String, byte[]> files = new LinkedHashMap<>(x86Files(directory(map)));
        String features = new String(files.get("x86_features.xml"), StandardCharsets.UTF_8);
        files.put(
                "x86_features.xml",
                (features.stripTrailing() + "\n<!-- " + comment + " -->\n").getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** The files as the body of {@code PUT /cpu-maps/{digest}}. */
    public static Map<String, Object> upload(Map<String, byte[]> files, String libvirtVersion) {
        Map<String, String> text = new LinkedHashMap<>();
        files.forEach((name, bytes) -> text.put(name, new String(bytes, StandardCharsets.UTF_8)));
        return Map.of("libvirtVersion", libvirtVersion, "files", text);
    }

    /** Writes the files into a folder, as libvirt installs them. */
    public static Path write(Map<String, byte[]> files, Path directory) {
        try {
            Files.createDirectories(directory);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(directory.resolve(file.getKey()), file.getValue());
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
