package io.fleetcpu.policy.baseline;

import io.fleetcpu.catalog.CpuCatalog;
import java.util.List;

/** Baselines the guest CPU and rendering tests start from. */
public final class BaselineExamples {

    private BaselineExamples() {}

    /** libvirt's baseline of two identical Haswell-noTSX hosts with vmx, in the bundled catalog. */
    public static Baseline twoHaswellHostsWithVmx() {
        return new BaselineCalculator(CpuCatalog.bundled())
                .baseline(
                        List.of(
                                new NamedCpu(
                                        "a", CpuDescription.host("x86_64", "Intel", "Haswell-noTSX", List.of("vmx"))),
                                new NamedCpu(
                                        "b", CpuDescription.host("x86_64", "Intel", "Haswell-noTSX", List.of("vmx")))),
                        false,
                        false);
    }
}
