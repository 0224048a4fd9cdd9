import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.NamedCpu;
import io.fleetcpu.policy.grouping.Grouping;
import io.fleetcpu.policy.grouping.MigrationDomains;
import io.fleetcpu.policy.grouping.Strategy;
import io.fleetcpu.policy.render.OpenStackCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Groups a fleet of 100,000 hosts of about 60 real CPU kinds into migration domains and reports the median wall
 * time of each strategy, next to a reference measured in the same run on the same machine (expanding every host's
 * CPU into its feature set once, the least a per-host approach would pay), so the figure survives a noisy machine.
 *
 * Usage: bench/run [hosts] [kinds] [runs]
 */
public final class FleetBench {

    private static final List<List<String>> MICROCODE_REMOVALS = List.of(
            List.of("hle", "rtm"),
            List.of("rtm"),
            List.of("mpx"),
            List.of("avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"));

    public static void main(String[] args) throws IOException {
        int hostCount = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int wantedKinds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        Path cpudata = Path.of("src/test/resources/cpudata");

        CpuCatalog catalog = CpuCatalog.bundled();
        BaselineCalculator calculator = new BaselineCalculator(catalog);
        MigrationDomains engine = new MigrationDomains(calculator);

        List<CpuDescription> kinds = kinds(catalog, calculator, cpudata, wantedKinds);
        List<NamedCpu> fleet = fleet(kinds, hostCount, new Random(42));
        System.out.printf(
                "fleet: %,d hosts, %d distinct CPU kinds (real CPUs from %s, some with TSX/MPX/AVX-512 "
                        + "removed as microcode updates do)%n",
                fleet.size(), kinds.size(), cpudata);
        System.out.printf("runs: %d measured after %d warm-up, median wall time, 1 thread%n%n", runs, runs);

        String[][] cases = {
            {"max-features", null},
            {"min-domains", null},
            {"min-domains", "SandyBridge"},
            {"max-features", "Haswell-noTSX"}
        };
        Map<String, double[]> results = new LinkedHashMap<>();
        double[] reference = new double[runs];
        double[] hashing = new double[runs];
        for (int round = 0; round < 2; round++) { // round 0 warms up
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                long sink = 0;
                for (NamedCpu host : fleet) {
                    sink += calculator.expand(host).hashCode();
                }
                long t1 = System.nanoTime();
                Map<CpuDescription, Integer> byCpu = new HashMap<>();
                for (NamedCpu host : fleet) {
                    byCpu.merge(host.cpu(), 1, Integer::sum);
                }
                long t2 = System.nanoTime();
                if (sink == 42 || byCpu.isEmpty()) {
                    System.out.println();
                }
                if (round == 1) {
                    reference[r] = (t1 - t0) / 1e6;
                    hashing[r] = (t2 - t1) / 1e6;
                }
                for (String[] c : cases) {
                    long s = System.nanoTime();
                    Grouping g = engine.group(fleet, Strategy.parse(c[0]), c[1]);
                    long e = System.nanoTime();
                    String commands = OpenStackCommands.render(g);
                    long e2 = System.nanoTime();
                    String key = c[0] + (c[1] == null ? "" : " minimum " + c[1]);
                    if (round == 1) {
                        results.computeIfAbsent(key, k -> new double[runs])[r] = (e - s) / 1e6;
                        results.computeIfAbsent(key + " + openstack commands", k -> new double[runs])[r] =
                                (e2 - s) / 1e6;
                    }
                    if (round == 1 && r == 0) {
                        System.out.printf(
                                "%-34s %3d domains, %,9d host-features given up, %,d below minimum, "
                                        + "%d ungrouped, %,d lines of commands%n",
                                key,
                                g.domains().size(),
                                g.cost().featuresGivenUp(),
                                g.hostsBelowMinimum().size(),
                                g.ungrouped().size(),
                                commands.lines().count());
                    }
                }
            }
        }
        double ref = median(reference);
        System.out.printf("%n%-55s %10s %10s%n", "measurement", "median ms", "x ref");
        System.out.printf("%-55s %10.1f %10.2f%n", "REFERENCE: expand 100k hosts' feature sets (per host)", ref, 1.0);
        System.out.printf(
                "%-55s %10.1f %10.2f%n",
                "hash 100k host CPU descriptions into a HashMap", median(hashing), median(hashing) / ref);
        results.forEach((k, v) -> System.out.printf("%-55s %10.1f %10.2f%n", k, median(v), median(v) / ref));
    }

    /** Real CPUs (libvirt 9.0 accepts them), then microcode variants of them, until there are enough kinds. */
    static List<CpuDescription> kinds(CpuCatalog catalog, BaselineCalculator calculator, Path cpudata, int wanted)
            throws IOException {
        List<CpuDescription> real = new ArrayList<>();
        for (String line : Files.readAllLines(cpudata.resolve("MANIFEST.tsv"))) {
            String[] c = line.split("\t");
            if (c[0].equals("file") || !(c[1].equals("host") || c[1].equals("guest")) || !c[6].equals("yes")) {
                continue;
            }
            CpuDefinition cpu = CpuDefinition.parse(Files.readString(cpudata.resolve(c[0])));
            real.add(new CpuDescription(
                    c[1].equals("host") ? cpu.arch() : "x86_64",
                    cpu.vendor(),
                    cpu.model(),
                    cpu.requiredFeatureNames(),
                    List.of()));
        }
        Map<FeatureSet, CpuDescription> byFeatures = new LinkedHashMap<>();
        for (CpuDescription cpu : real) {
            byFeatures.putIfAbsent(calculator.expand(cpu), cpu);
        }
        outer:
        for (List<String> removal : MICROCODE_REMOVALS) {
            for (CpuDescription cpu : real) {
                if (byFeatures.size() >= wanted) {
                    break outer;
                }
                CpuDescription changed = without(catalog, cpu, removal);
                if (changed != null) {
                    byFeatures.putIfAbsent(calculator.expand(changed), changed);
                }
            }
        }
        return new ArrayList<>(byFeatures.values()).subList(0, Math.min(wanted, byFeatures.size()));
    }

    static CpuDescription without(CpuCatalog catalog, CpuDescription cpu, List<String> features) {
        List<String> required = new ArrayList<>(cpu.requiredFeatures());
        List<String> disabled = new ArrayList<>(cpu.disabledFeatures());
        boolean changed = false;
        for (String f : features) {
            changed |= required.remove(f);
            int index = catalog.feature(f).orElseThrow().index();
            if (catalog.model(cpu.model())
                    .map(m -> m.features().contains(index))
                    .orElse(false)) {
                disabled.add(f);
                changed = true;
            }
        }
        return changed ? new CpuDescription(cpu.arch(), cpu.vendor(), cpu.model(), required, disabled) : null;
    }

    /**
     * Hosts drawn with a skewed popularity (a few kinds make most of the fleet), each with its own copy of its CPU
     * description and of every string in it, as rows read from a database would be.
     */
    static List<NamedCpu> fleet(List<CpuDescription> kinds, int hosts, Random random) {
        double[] weight = new double[kinds.size()];
        double total = 0;
        for (int i = 0; i < weight.length; i++) {
            weight[i] = 1.0 / (i + 1);
            total += weight[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        List<NamedCpu> fleet = new ArrayList<>(hosts);
        for (int h = 0; h < hosts; h++) {
            double x = random.nextDouble() * total;
            int k = 0;
            while (k < weight.length - 1 && (x -= weight[k]) > 0) {
                k++;
            }
            CpuDescription cpu = kinds.get(order.get(k));
            fleet.add(new NamedCpu(
                    String.format("compute-%06d", h),
                    new CpuDescription(
                            copy(cpu.arch()),
                            copy(cpu.vendor()),
                            copy(cpu.model()),
                            copies(cpu.requiredFeatures()),
                            copies(cpu.disabledFeatures()))));
        }
        return fleet;
    }

    private static String copy(String s) {
        return s == null ? null : new String(s.toCharArray());
    }

    private static List<String> copies(List<String> list) {
        return Arrays.asList(list.stream().map(FleetBench::copy).toArray(String[]::new));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
