package io.fleetcpu.policy.guest;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.CpuDescription;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The x86-64 microarchitecture level ({@link MicroarchitectureLevel}) guests can get: on a host, from what a guest
 * really gets there ({@link GuestVisibility}), and for a guest CPU, from its model expanded by the catalog with its
 * required features added and its disabled ones taken away.
 */
public final class GuestLevels {

    private final CpuCatalog catalog;
    private final GuestVisibility visibility;
    private final BaselineCalculator calculator;

    public GuestLevels(CpuCatalog catalog, GuestVisibility visibility) {
        this(new BaselineCalculator(catalog), visibility);
    }

    /** With the calculator the catalog's other parts share. */
    public GuestLevels(BaselineCalculator calculator, GuestVisibility visibility) {
        this.catalog = calculator.catalog();
        this.visibility = visibility;
        this.calculator = calculator;
    }

    /**
     * The level guests on a host reach, or empty when they do not reach even the baseline or the catalog does not know
     * the CPU's model. Features the catalog does not know are passed over: every feature of a level is in the catalog.
     *
     * @param hypervisor the hypervisor's view of the host CPU, or null when the host did not send it
     */
    public Optional<MicroarchitectureLevel> onHost(CpuDescription physical, @Nullable CpuDescription hypervisor) {
        CpuDescription guest = known(visibility
                .of(known(physical), hypervisor == null ? null : known(hypervisor))
                .cpu());
        if (guest.model() == null || catalog.model(guest.model()).isEmpty()) {
            return Optional.empty();
        }
        return of(calculator.expand(guest));
    }

    private CpuDescription known(CpuDescription cpu) {
        return new CpuDescription(
                cpu.arch(),
                cpu.vendor(),
                cpu.model(),
                cpu.requiredFeatures().stream()
                        .filter(f -> catalog.feature(f).isPresent())
                        .toList(),
                cpu.disabledFeatures().stream()
                        .filter(f -> catalog.feature(f).isPresent())
                        .toList());
    }

    /** The level a CPU with every one of these features reaches. */
    public Optional<MicroarchitectureLevel> of(FeatureSet features) {
        return MicroarchitectureLevel.reachedBy(features, catalog);
    }

    /** The level name, or null for none: how answers show it. */
    public static @Nullable String name(Optional<MicroarchitectureLevel> level) {
        return level.map(MicroarchitectureLevel::operatorName).orElse(null);
    }
}
