package io.fleetcpu.agent;

import io.fleetcpu.catalog.CpuMapDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The x86 part of this host's libvirt's cpu_map ({@code index.xml} and the {@code x86_*.xml} files of
 * {@code /usr/share/libvirt/cpu_map}), which the service reads the host with, and its digest ({@link CpuMapDigest}).
 */
record HostCpuMap(Path directory, Map<String, byte[]> files, String digest) {

    /** Where Debian, Ubuntu, Fedora and RHEL install libvirt's map. */
    static final String DEFAULT_DIRECTORY = "/usr/share/libvirt/cpu_map";

    /** The map in this directory, or null when there is none (no {@code index.xml}: libvirt's map is elsewhere). */
    static @Nullable HostCpuMap read(Path directory) throws IOException {
        if (!Files.isRegularFile(directory.resolve("index.xml"))) {
            return null;
        }
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> listed = Files.list(directory)) {
            for (Path file : (Iterable<Path>) listed::iterator) {
                String name = file.getFileName().toString();
                if (CpuMapDigest.isX86File(name) && Files.isRegularFile(file)) {
                    files.put(name, Files.readAllBytes(file));
                }
            }
        }
        return new HostCpuMap(directory, files, CpuMapDigest.of(files));
    }

    /** The body of {@code PUT /cpu-maps/{digest}}: the files as text, and the libvirt they come from. */
    String uploadJson(JsonMapper json, @Nullable String libvirtVersion) {
        Map<String, String> text = new LinkedHashMap<>();
        files.forEach((name, bytes) -> text.put(name, new String(bytes, StandardCharsets.UTF_8)));
        Map<String, Object> body = new LinkedHashMap<>();
        if (libvirtVersion != null) {
            body.put("libvirtVersion", libvirtVersion);
        }
        body.put("files", text);
        return json.writeValueAsString(body);
    }
}
