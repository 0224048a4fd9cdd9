package io.fleetcpu.policy.guest;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.policy.baseline.LibvirtDriver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The x86-64 microarchitecture levels of the System V x86-64 psABI ("x86-64 psABI", version 1.0, section 3.1.1
 * "Processor Architecture", table "Micro-Architecture Levels"; https://gitlab.com/x86-psABIs/x86-64-ABI), the CPU
 * features a guest operating system built for a level needs (RHEL 9 is built for x86-64-v2, RHEL 10 for
 * x86-64-v3). Each level includes every feature of the levels below it.
 *
 * <p>The psABI names CPUID features; here each is written with its name in libvirt's CPU map
 * ({@code x86_features.xml}), the same mapping QEMU's {@code scripts/cpu-x86-uarch-abi.py} uses for its
 * per-model table of levels:
 * <ul>
 * <li>baseline: CMOV→cmov, CX8→cx8, FPU→fpu, FXSR→fxsr, MMX→mmx, OSFXSR→(none: the OS sets CR4.OSFXSR), SCE→syscall,
 * SSE→sse, SSE2→sse2</li>
 * <li>v2: CMPXCHG16B→cx16, LAHF-SAHF→lahf_lm, POPCNT→popcnt, SSE3→pni, SSE4_1→sse4.1, SSE4_2→sse4.2,
 * SSSE3→ssse3</li>
 * <li>v3: AVX→avx, AVX2→avx2, BMI1→bmi1, BMI2→bmi2, F16C→f16c, FMA→fma, LZCNT→abm, MOVBE→movbe, XSAVE→xsave,
 * OSXSAVE→(none, see below)</li>
 * <li>v4: AVX512F→avx512f, AVX512BW→avx512bw, AVX512CD→avx512cd, AVX512DQ→avx512dq, AVX512VL→avx512vl</li>
 * </ul>
 *
 * <p>OSXSAVE (like OSFXSR) is not a feature of the CPU a hypervisor gives a guest but a bit the guest kernel sets
 * (CR4.OSXSAVE) once it enables XSAVE: QEMU derives it from xsave, and libvirt leaves osxsave out of every CPU it
 * passes to QEMU ({@link LibvirtDriver#QEMU}), so no guest CPU definition ever carries it. A guest CPU with xsave
 * therefore meets the psABI's OSXSAVE requirement as soon as the guest kernel turns XSAVE on, and the level asks
 * for xsave only. (QEMU's script leaves out XSAVE too; the psABI lists it, so it is kept here.)
 */
public enum MicroarchitectureLevel {
    BASELINE("x86-64-baseline", List.of("cmov", "cx8", "fpu", "fxsr", "mmx", "syscall", "sse", "sse2")),
    V2("x86-64-v2", List.of("cx16", "lahf_lm", "popcnt", "pni", "sse4.1", "sse4.2", "ssse3")),
    V3("x86-64-v3", List.of("avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave")),
    V4("x86-64-v4", List.of("avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"));

    private final String operatorName;
    private final List<String> addedFeatures;

    MicroarchitectureLevel(String operatorName, List<String> addedFeatures) {
        this.operatorName = operatorName;
        this.addedFeatures = addedFeatures;
    }

    /** The psABI's name: {@code x86-64-baseline}, {@code x86-64-v2}, {@code x86-64-v3}, {@code x86-64-v4}. */
    public String operatorName() {
        return operatorName;
    }

    /** The features this level adds to the one below it, in libvirt's names. */
    public List<String> addedFeatures() {
        return addedFeatures;
    }

    /** Every feature of the level, its own and those of the levels below, in libvirt's names. */
    public List<String> features() {
        List<String> all = new ArrayList<>();
        for (MicroarchitectureLevel level : values()) {
            all.addAll(level.addedFeatures);
            if (level == this) {
                break;
            }
        }
        return List.copyOf(all);
    }

    /** @throws IllegalArgumentException when the catalog lacks one of the level's features */
    public FeatureSet featureSet(CpuCatalog catalog) {
        return catalog.featureSet(features());
    }

    /** The next level up, if any. */
    public Optional<MicroarchitectureLevel> next() {
        return ordinal() + 1 < values().length ? Optional.of(values()[ordinal() + 1]) : Optional.empty();
    }

    /** The level named so by the psABI ({@code x86-64-v2} …), if any. */
    public static Optional<MicroarchitectureLevel> named(String name) {
        return Arrays.stream(values()).filter(l -> l.operatorName.equals(name)).findFirst();
    }

    /** The names operators may write, lowest first. */
    public static List<String> operatorNames() {
        return Arrays.stream(values()).map(MicroarchitectureLevel::operatorName).toList();
    }

    /**
     * The highest level whose every feature the CPU has, or empty when it lacks some feature of the baseline. Levels
     * are cumulative: a CPU with the AVX-512 features but without, say, movbe reaches only x86-64-v2.
     *
     * @param cpu every feature of the CPU (a model expanded with its required and disabled features)
     */
    public static Optional<MicroarchitectureLevel> reachedBy(FeatureSet cpu, CpuCatalog catalog) {
        MicroarchitectureLevel reached = null;
        for (MicroarchitectureLevel level : values()) {
            if (!cpu.containsAll(level.featureSet(catalog))) {
                break;
            }
            reached = level;
        }
        return Optional.ofNullable(reached);
    }

    /** What the CPU lacks of this level, in libvirt's names. */
    public List<String> missingFrom(FeatureSet cpu, CpuCatalog catalog) {
        return catalog.featureNames(featureSet(catalog).minus(cpu));
    }
}
