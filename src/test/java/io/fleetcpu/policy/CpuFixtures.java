package io.fleetcpu.policy;

import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.NamedCpu;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The real CPUs of {@code src/test/resources/cpudata}, read from the classpath. */
public final class CpuFixtures {

    /** A fixture: its file, kind, what libvirt 9.0 made of it, and the same CPU as host-shaped XML. */
    public record Fixture(
            String file, String kind, String vendor, boolean libvirtAccepts, CpuDescription cpu, String hostXml) {
        public NamedCpu named() {
            return new NamedCpu(file, cpu);
        }
    }

    private static List<Fixture> all;

    private CpuFixtures() {}

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
        CpuDefinition cpu = CpuDefinition.parse(xml);
        if (kind.equals("host")) {
            return new Fixture(
                    file,
                    kind,
                    vendor,
                    accepts,
                    new CpuDescription(cpu.arch(), cpu.vendor(), cpu.model(), cpu.requiredFeatureNames(), List.of()),
                    xml);
        }
        // Host shape cannot say "model minus a feature": the guest's disabled features are left out on both sides.
        CpuDescription host =
                new CpuDescription("x86_64", cpu.vendor(), cpu.model(), cpu.requiredFeatureNames(), List.of());
        return new Fixture(file, kind, vendor, accepts, host, hostXml(host));
    }

    /** {@code count} sets of 1 to 50 distinct fixtures of the pool, the same ones for the same seed. */
    public static List<List<Fixture>> randomSets(long seed, List<Fixture> pool, int count) {
        Random random = new Random(seed);
        List<List<Fixture>> sets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = 1 + random.nextInt(Math.min(50, pool.size()));
            List<Fixture> shuffled = new ArrayList<>(pool);
            Collections.shuffle(shuffled, random);
            sets.add(List.copyOf(shuffled.subList(0, size)));
        }
        return sets;
    }

    /** The host {@code <cpu>} libvirt reads for a description without disabled features. */
    public static String hostXml(CpuDescription cpu) {
        return CpuDefinition.host(cpu.arch(), cpu.model(), cpu.vendor(), cpu.requiredFeatures())
                .toHostCpuXml();
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
}
