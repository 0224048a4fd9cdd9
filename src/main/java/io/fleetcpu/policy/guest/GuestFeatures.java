package io.fleetcpu.policy.guest;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a guest started with a named-model CPU gets: the model's features, plus required, minus disabled ({@link CpuCatalog#expand}). */
public final class GuestFeatures {

    private GuestFeatures() {}

    /** Empty for host-model and host-passthrough, whose features depend on the host the guest starts on. */
    public static Optional<FeatureSet> of(GuestCpu cpu, CpuCatalog catalog) {
        if (cpu.mode() != GuestCpu.Mode.CUSTOM) {
            return Optional.empty();
        }
        CpuModel model = catalog.model(Objects.requireNonNull(cpu.model()))
                .orElseThrow( // a custom CPU names its model
                        () -> new IllegalArgumentException("the catalog has no model " + cpu.model()));
        // a name of a newer libvirt's map gives the guest nothing this catalog can name
        return Optional.of(catalog.expand(
                model.features(),
                cpu.featureNames(FeaturePolicy.REQUIRE),
                cpu.featureNames(FeaturePolicy.DISABLE),
                CpuCatalog.PASS_OVER_UNKNOWN));
    }

    /**
     * The features of a named-model guest CPU that a host cannot give, by name in catalog order; empty for the host
     * modes. Host features the catalog does not know are no help to a guest and are passed over.
     */
    public static List<String> missingOn(GuestCpu cpu, Collection<String> hostFeatures, CpuCatalog catalog) {
        FeatureSet host = catalog.featureSet(hostFeatures.stream()
                .filter(f -> catalog.feature(f).isPresent())
                .toList());
        return of(cpu, catalog)
                .map(guest -> catalog.featureNames(guest.minus(host)))
                .orElse(List.of());
    }

    /** A short description an operator reads: "custom Haswell-noTSX (+3 −1)", "host-model". */
    public static String describe(GuestCpu cpu) {
        if (cpu.mode() != GuestCpu.Mode.CUSTOM) {
            return cpu.mode().libvirtName();
        }
        long added = cpu.features().stream()
                .filter(f -> f.policy() == FeaturePolicy.REQUIRE)
                .count();
        long removed = cpu.features().size() - added;
        return "custom " + cpu.model() + " (+" + added + " -" + removed + ")";
    }
}
