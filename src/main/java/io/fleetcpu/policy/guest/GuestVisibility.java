package io.fleetcpu.policy.guest;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.policy.baseline.CpuDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a guest can really get on a host: the hypervisor's view of the host CPU where the host sent it (exact: what
 * libvirt and QEMU say guests get there), otherwise the physical CPU without the features KVM never gives guests.
 * Every answer that must run on the hosts (recommendations, migration domains, admission, migration checks) is
 * computed from this view; libvirt's plain baseline of the physical CPUs stays available for comparison.
 */
public final class GuestVisibility {

    /**
     * @param cpu        the CPU a guest can get on the host
     * @param hypervisor whether it is the hypervisor's own view (else the physical CPU, reduced)
     * @param removed    the features of the physical CPU left out as host-only, in catalog order
     */
    public record View(CpuDescription cpu, boolean hypervisor, List<String> removed) {

        public View {
            removed = List.copyOf(removed);
        }
    }

    private final CpuCatalog catalog;
    private final HostOnlyFeatures hostOnly;
    private final FeatureSet hostOnlySet;

    public GuestVisibility(CpuCatalog catalog, HostOnlyFeatures hostOnly) {
        this.catalog = catalog;
        this.hostOnly = hostOnly;
        this.hostOnlySet = hostOnly.in(catalog);
    }

    /** @param hypervisor the hypervisor's view, or null when the host did not send it */
    public View of(CpuDescription physical, @Nullable CpuDescription hypervisor) {
        if (hypervisor != null) {
            return new View(hypervisor, true, List.of());
        }
        Set<String> names = hostOnly.names();
        List<String> required = physical.requiredFeatures().stream()
                .filter(f -> !names.contains(f))
                .toList();
        List<String> disabled = new ArrayList<>(physical.disabledFeatures());
        FeatureSet.Builder removed =
                catalog
                        .featureSet(physical.requiredFeatures().stream()
                                .filter(names::contains)
                                .toList())
                        .toBuilder();
        CpuModel model = physical.model() == null
                ? null
                : catalog.model(physical.model()).orElse(null);
        if (model != null) {
            // A model that itself has a host-only feature (core2duo's monitor) keeps its name, minus the feature.
            FeatureSet inModel = model.features()
                    .intersection(hostOnlySet)
                    .minus(catalog.featureSet(physical.disabledFeatures().stream()
                            .filter(f -> catalog.feature(f).isPresent())
                            .toList()));
            catalog.featureNames(inModel).forEach(disabled::add);
            removed.addAll(inModel);
        }
        return new View(
                new CpuDescription(physical.arch(), physical.vendor(), physical.model(), required, disabled),
                false,
                catalog.featureNames(removed.build()));
    }
}
