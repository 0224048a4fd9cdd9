package io.fleetcpu.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What names one cpu_map whoever holds it: the SHA-256 of its x86 part, the files libvirt reads for x86
 * ({@code index.xml} and the {@code x86_*.xml} files), taken in name order, each as its name, a newline, its length in
 * bytes in decimal, a newline and its bytes. An agent computes it over its libvirt's {@code cpu_map} directory, the
 * service over what the agent uploads and over the maps it bundles: the same files give the same digest.
 */
public final class CpuMapDigest {

    /** How a digest is written: 64 lower-case hexadecimal digits. */
    public static final Pattern FORM = Pattern.compile("[0-9a-f]{64}");

    private static final Pattern X86_FILE = Pattern.compile("x86_[A-Za-z0-9_.+-]+\\.xml");

    private CpuMapDigest() {}

    /** Whether a file of a cpu_map directory belongs to its x86 part, the part the digest is taken over. */
    public static boolean isX86File(String name) {
        return name.equals("index.xml") || X86_FILE.matcher(name).matches();
    }

    /** The digest of these files, by name. */
    public static String of(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                sha.update((file.getKey() + "\n" + file.getValue().length + "\n").getBytes(StandardCharsets.UTF_8));
                sha.update(file.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
