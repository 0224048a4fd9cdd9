package io.fleetcpu.policy.grouping;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.baseline.CpuDescription;
import java.util.ArrayList;
import java.util.List;

/** Real CPUs to build fleets from: the fixtures libvirt 9.0 reads, and the same CPUs after a microcode update. */
public final class Fleets {

    /** Features microcode updates have taken away from real CPUs (TSX) or that operators switch off. */
    static final List<List<String>> MICROCODE_REMOVALS = List.of(
            List.of("hle", "rtm"),
            List.of("rtm"),
            List.of("mpx"),
            List.of("avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"));

    private Fleets() {}

    /** The CPUs of {@link CpuFixtures#accepted()}. */
    static List<CpuDescription> realCpus() {
        return CpuFixtures.accepted().stream().map(CpuFixtures.Fixture::cpu).toList();
    }

    /**
     * Real CPUs and, to reach more kinds, the same CPUs with a few features removed as a microcode update removes
     * them (listed as disabled when the model has them, dropped from the extra ones otherwise).
     */
    public static List<CpuDescription> realCpusWithMicrocodeVariants(CpuCatalog catalog) {
        List<CpuDescription> out = new ArrayList<>(realCpus());
        for (CpuDescription cpu : realCpus()) {
            for (List<String> removal : MICROCODE_REMOVALS) {
                CpuDescription changed = without(catalog, cpu, removal);
                if (changed != null && !out.contains(changed)) {
                    out.add(changed);
                }
            }
        }
        return out;
    }

    /** The CPU without the given features, or null when it has none of them. */
    static CpuDescription without(CpuCatalog catalog, CpuDescription cpu, List<String> features) {
        List<String> required = new ArrayList<>(cpu.requiredFeatures());
        List<String> disabled = new ArrayList<>(cpu.disabledFeatures());
        boolean changed = false;
        for (String f : features) {
            if (required.remove(f)) {
                changed = true;
            }
            int index = catalog.feature(f).orElseThrow().index();
            boolean inModel = catalog.model(cpu.model())
                    .map(m -> m.features().contains(index))
                    .orElse(false);
            if (inModel && !disabled.contains(f)) {
                disabled.add(f);
                changed = true;
            }
        }
        return changed ? new CpuDescription(cpu.arch(), cpu.vendor(), cpu.model(), required, disabled) : null;
    }
}
