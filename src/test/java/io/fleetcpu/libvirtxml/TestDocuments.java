package io.fleetcpu.libvirtxml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The real libvirt files under {@code cpudata/} and the hand-written ones under {@code libvirtxml/}. */
final class TestDocuments {

    private TestDocuments() {}

    static Path resource(String name) {
        try {
            var url = TestDocuments.class.getClassLoader().getResource(name);
            if (url == null) {
                throw new IllegalStateException("test resource " + name + " not found");
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(String name) {
        return read(resource(name));
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Paths relative to {@code cpudata/}, e.g. {@code libvirt-9.9.0/x86_64-cpuid-A10-5800K-host.xml}. */
    static List<String> cpudataFiles(String suffix) {
        Path root = resource("cpudata");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(suffix) && p.contains("/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> hostFiles() {
        return cpudataFiles("-host.xml");
    }

    static List<String> guestFiles() {
        return cpudataFiles("-guest.xml");
    }

    static List<String> domcapsFiles() {
        return cpudataFiles(".x86_64.xml").stream()
                .filter(p -> p.startsWith("domcaps/"))
                .toList();
    }

    /** One line of {@code cpudata/MANIFEST.tsv}, computed independently with libvirt 9.0. */
    record ManifestEntry(
            String file,
            String kind,
            String vendor,
            String model,
            String signature,
            int featuresListed,
            boolean libvirtAccepts,
            String libvirtBaselineModel) {}

    static Map<String, ManifestEntry> manifest() {
        Map<String, ManifestEntry> entries = new HashMap<>();
        List<String> lines = read("cpudata/MANIFEST.tsv").lines().toList();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            entries.put(
                    f[0],
                    new ManifestEntry(f[0], f[1], f[2], f[3], f[4], Integer.parseInt(f[5]), f[6].equals("yes"), f[7]));
        }
        return entries;
    }
}
