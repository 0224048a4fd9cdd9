package io.fleetcpu.libvirtxml;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One named CPU model the hypervisor offers for {@code mode='custom'}, with whether this host can run it.
 *
 * @param name       the model, e.g. {@code EPYC-Rome}
 * @param usable     whether the host can run it without disabling features
 * @param vendor     {@code vendor} attribute; null when absent or libvirt says {@code unknown} (generic models)
 * @param deprecated whether the hypervisor deprecates it ({@code deprecated='yes'})
 * @param blockers   features the host lacks for it ({@code <blockers model=…>}), empty if not reported
 */
public record CustomCpuModel(
        String name, ModelUsability usable, @Nullable String vendor, boolean deprecated, List<String> blockers) {

    public CustomCpuModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(usable, "usable");
        blockers = List.copyOf(blockers);
    }

    public boolean isUsable() {
        return usable == ModelUsability.YES;
    }
}
