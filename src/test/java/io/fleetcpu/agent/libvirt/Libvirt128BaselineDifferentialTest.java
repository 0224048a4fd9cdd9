package io.fleetcpu.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuSignature;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.CpuFixtures.Fixture;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.NamedCpu;
import io.fleetcpu.testing.Libvirt128;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * fleetcpu's baseline with libvirt 12.8's map ({@code CpuCatalog.bundled(BundledMap.LIBVIRT_12_8)}) against libvirt
 * 12.8's own {@code virsh -c test:///default cpu-baseline} (the in-process test driver: libvirt's CPU code with its
 * own 12.8 cpu_map), run in the Debian unstable root of {@code .ci/libvirt-12.8-root} ({@link Libvirt128}): every
 * real fixture CPU alone (host and guest files of {@code src/test/resources/cpudata}, {@code libvirt-newer/}
 * included) and random sets of all of them (fixed seeds), in the short and the expanded ({@code --features}) form.
 * Both must give the same {@code <cpu>} text, or both refuse. Skipped where the root is missing; CI makes it and
 * requires this test.
 */
class Libvirt128BaselineDifferentialTest {

    private static final CpuCatalog catalog = CpuCatalog.bundled(BundledMap.LIBVIRT_12_8);
    private static final BaselineCalculator calculator = new BaselineCalculator(catalog);

    private static boolean announced;

    /** Skips the test where libvirt 12.8 cannot run ({@link Libvirt128#assumeAvailable}). */
    private static synchronized void assumeLibvirt128() {
        Libvirt128.assumeAvailable();
        if (!announced) {
            announced = true;
            System.out.println("libvirt-12.8: comparing with virsh " + Libvirt128.virshVersion() + " in "
                    + Libvirt128.root() + " (test:///default)");
        }
    }

    /** What one comparison found: agreed (computed or both refused), or the two answers. */
    private record Outcome(boolean agreed, boolean computed, String what, String libvirt, String fleetcpu) {
        String report() {
            return what + "\n--- libvirt 12.8:\n" + libvirt + "\n--- fleetcpu:\n" + fleetcpu;
        }
    }

    private static Outcome compare(List<Fixture> set, boolean expand) {
        return compare(
                set.stream().map(Fixture::named).toList(),
                set.stream().map(Fixture::hostXml).toList(),
                expand,
                "hosts=" + set.stream().map(Fixture::file).collect(Collectors.joining(", ")));
    }

    private static Outcome compare(List<NamedCpu> hosts, List<String> xml, boolean expand, String label) {
        String ours;
        try {
            ours = calculator.baseline(hosts, expand, false).toLibvirtXml();
        } catch (BaselineRefusedException e) {
            ours = "REFUSED: " + e.getMessage();
        }
        String theirs = Libvirt128.cpuBaseline(xml, expand, false).outputOrRefusal();
        String what = (expand ? "--features" : "short") + " " + label;
        boolean theyRefused = theirs.startsWith("REFUSED");
        boolean weRefused = ours.startsWith("REFUSED");
        boolean agreed = theyRefused || weRefused
                ? theyRefused == weRefused
                : theirs.stripTrailing().equals(ours.stripTrailing());
        return new Outcome(agreed, !theyRefused, what, theirs, ours);
    }

    /** Both forms of every set: the figures, and every disagreement written out. */
    private static final class Tally {
        final String name;
        int sets;
        int agreed;
        int computed;
        final List<Outcome> disagreements = new ArrayList<>();

        Tally(String name) {
            this.name = name;
        }

        void add(List<Fixture> set) {
            add(
                    set.stream().map(Fixture::named).toList(),
                    set.stream().map(Fixture::hostXml).toList(),
                    "hosts=" + set.stream().map(Fixture::file).collect(Collectors.joining(", ")));
        }

        void add(List<NamedCpu> hosts, List<String> xml, String label) {
            sets++;
            Outcome shortForm = compare(hosts, xml, false, label);
            Outcome expanded = compare(hosts, xml, true, label);
            if (shortForm.agreed() && expanded.agreed()) {
                agreed++;
            }
            if (shortForm.computed()) {
                computed++;
            }
            for (Outcome o : List.of(shortForm, expanded)) {
                if (!o.agreed()) {
                    disagreements.add(o);
                }
            }
        }

        void print() {
            System.out.println("libvirt-12.8: " + name + ": agreed in " + agreed + " of " + sets + " sets (both forms; "
                    + computed + " computed by libvirt, " + (sets - computed) + " refused by both or by libvirt)");
            disagreements.stream().limit(5).forEach(o -> System.out.println("libvirt-12.8: DISAGREES " + o.report()));
        }
    }

    @Test
    void everyFixtureAloneMatchesLibvirt128() {
        assumeLibvirt128();
        Tally tally = new Tally("every fixture CPU alone (" + CpuFixtures.all().size() + ")");
        for (Fixture f : CpuFixtures.all()) {
            tally.add(List.of(f));
        }
        tally.print();
        assertThat(tally.disagreements.stream().map(Outcome::report)).isEmpty();
        // libvirt 12.8 reads every fixture CPU, libvirt-newer/ included, except the ones it refuses as 9.0 did
        assertThat(tally.computed)
                .as("fixtures libvirt 12.8 computes a baseline for")
                .isGreaterThan(120);
    }

    @Test
    void randomSetsOfAllFixturesMatchLibvirt128() {
        assumeLibvirt128();
        List<Fixture> all = CpuFixtures.all();
        Tally mixed = new Tally("random sets of all fixture CPUs (seed 20240611, 100 sets)");
        CpuFixtures.randomSets(20240611L, all, 100).forEach(mixed::add);
        mixed.print();
        List<Tally> tallies = new ArrayList<>(List.of(mixed));
        for (String vendor : List.of("Intel", "AMD")) {
            List<Fixture> pool =
                    all.stream().filter(f -> f.vendor().equals(vendor)).toList();
            Tally one = new Tally("random sets of the " + pool.size() + " " + vendor + " fixture CPUs (seed "
                    + vendor.hashCode() + ", 120 sets)");
            CpuFixtures.randomSets(vendor.hashCode(), pool, 120).forEach(one::add);
            one.print();
            tallies.add(one);
        }
        assertThat(tallies.stream().flatMap(t -> t.disagreements.stream()).map(Outcome::report))
                .isEmpty();
        assertThat(tallies.get(1).computed + tallies.get(2).computed)
                .as("single-vendor sets libvirt 12.8 computes")
                .isGreaterThan(100);
    }
    // ---- generated CPUs: what no real host reports, as GeneratedBaselineDifferentialTest draws them for 9.0 ----

    private static final long SEED = 20261207L;
    private static final int SETS_PER_KIND = 120;
    private static final List<String> VENDORS = List.of("Intel", "AMD");

    /** The kinds of GeneratedBaselineDifferentialTest that libvirt's virConnectBaselineCPU reads (host-shaped). */
    enum Kind {
        /** 2 to 4 hosts of one vendor naming any model of the 12.8 map (versioned ones too), a few extra features. */
        DIFFERENT_MODELS,
        /** The same with a {@code <signature>} on every host. */
        DIFFERENT_MODELS_SIGNED,
        /** A real fixture CPU re-described as an older model of its vendor plus the newer features it has. */
        OLDER_MODEL_NEWER_FEATURES,
        /** A model minus a few of its features, described as an older model plus the rest, with other hosts. */
        FEATURES_TAKEN_AWAY
    }

    private static List<CpuModel> modelsOf(String vendor) {
        return catalog.models().stream()
                .filter(m -> m.vendor() == null || vendor.equals(m.vendor()))
                .toList();
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static List<String> extraFeatures(Random random, int max) {
        List<String> names = new ArrayList<>();
        int n = random.nextInt(max + 1);
        while (names.size() < n) {
            String name = pick(random, catalog.features()).name();
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static GeneratedBaselineDifferentialTest.Host namedModel(Random random, String vendor, boolean signed) {
        CpuModel model = pick(random, modelsOf(vendor));
        CpuSignature sig = signed
                ? new CpuSignature(
                        vendor.equals("Intel") ? 6 : pick(random, List.of(21, 23, 25)),
                        1 + random.nextInt(255),
                        random.nextInt(16))
                : null;
        return GeneratedBaselineDifferentialTest.host(
                random.nextBoolean() ? vendor : null, model.name(), extraFeatures(random, 3), List.of(), sig);
    }

    /** Any model of the vendor whose features all lie in {@code features}, plus the rest; null if none. */
    private static GeneratedBaselineDifferentialTest.@Nullable Host asOlderModel(
            Random random, String vendor, FeatureSet features, @Nullable CpuSignature sig) {
        List<CpuModel> older = modelsOf(vendor).stream()
                .filter(m -> features.containsAll(m.features()))
                .toList();
        if (older.isEmpty()) {
            return null;
        }
        CpuModel m = pick(random, older);
        return GeneratedBaselineDifferentialTest.host(
                vendor, m.name(), catalog.featureNames(features.minus(m.features())), List.of(), sig);
    }

    private static List<GeneratedBaselineDifferentialTest.Host> generate(Random random, Kind kind) {
        List<GeneratedBaselineDifferentialTest.Host> set = new ArrayList<>();
        switch (kind) {
            case DIFFERENT_MODELS, DIFFERENT_MODELS_SIGNED -> {
                String vendor = pick(random, VENDORS);
                int n = 2 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    set.add(namedModel(random, vendor, kind == Kind.DIFFERENT_MODELS_SIGNED));
                }
            }
            case OLDER_MODEL_NEWER_FEATURES -> {
                List<Fixture> hosts = CpuFixtures.all().stream()
                        .filter(x -> x.kind().equals("host") && VENDORS.contains(x.vendor()))
                        .toList();
                String vendor = "";
                while (set.isEmpty()) {
                    Fixture f = pick(random, hosts);
                    var redescribed = asOlderModel(
                            random,
                            f.vendor(),
                            calculator.expand(f.cpu()),
                            CpuDefinition.parse(f.hostXml()).signature());
                    if (redescribed != null) {
                        set.add(redescribed);
                        vendor = f.vendor();
                    }
                }
                String of = vendor;
                List<Fixture> others = CpuFixtures.all().stream()
                        .filter(o -> o.vendor().equals(of))
                        .toList();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    Fixture o = pick(random, others);
                    set.add(new GeneratedBaselineDifferentialTest.Host(o.cpu(), o.hostXml()));
                }
            }
            case FEATURES_TAKEN_AWAY -> {
                while (set.isEmpty()) {
                    String vendor = pick(random, VENDORS);
                    CpuModel m = pick(random, modelsOf(vendor));
                    List<String> own = new ArrayList<>(catalog.featureNames(m.features()));
                    if (own.isEmpty()) {
                        continue;
                    }
                    java.util.Collections.shuffle(own, random);
                    List<String> gone = own.subList(0, 1 + random.nextInt(Math.min(3, own.size())));
                    var one = asOlderModel(random, vendor, m.features().minus(catalog.featureSet(gone)), null);
                    if (one != null) {
                        set.add(one);
                    }
                }
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    set.add(namedModel(random, pick(random, VENDORS), false));
                }
            }
        }
        return set;
    }

    @Test
    void generatedCpusMatchLibvirt128() {
        assumeLibvirt128();
        List<Tally> tallies = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            Random random = new Random(SEED + kind.ordinal());
            Tally tally = new Tally(
                    "generated " + kind + " (seed " + (SEED + kind.ordinal()) + ", " + SETS_PER_KIND + " sets)");
            for (int i = 0; i < SETS_PER_KIND; i++) {
                List<GeneratedBaselineDifferentialTest.Host> hosts = generate(random, kind);
                List<NamedCpu> named = new ArrayList<>();
                for (int h = 0; h < hosts.size(); h++) {
                    named.add(new NamedCpu("host" + h, hosts.get(h).cpu()));
                }
                List<String> xml = hosts.stream()
                        .map(GeneratedBaselineDifferentialTest.Host::xml)
                        .toList();
                tally.add(named, xml, "hosts:\n" + String.join("", xml));
            }
            tally.print();
            tallies.add(tally);
        }
        assertThat(tallies.stream().flatMap(t -> t.disagreements.stream()).map(Outcome::report))
                .isEmpty();
    }
}
