package io.fleetcpu.policy.render;

import java.util.List;

/**
 * What nova's libvirt driver needs besides the recommended guest CPU: the named models every host can run, for
 * {@code [libvirt] cpu_models}, and the features every host gives guests, for its Placement traits.
 *
 * <p>Nova picks, per instance, the first model of {@code cpu_models} whose features include every CPU feature the
 * flavor requires as a {@code trait:HW_CPU_X86_*=required} (nova/virt/libvirt/driver.py
 * {@code _match_cpu_model_by_flags}); a flavor that requires none gets the first model. Its option help
 * (nova/conf/libvirt.py, {@code cpu_models}) asks for "the more common and less advanced CPU models listed earlier".
 *
 * @param models         catalog models every host can run, oldest first: libvirt's cpu_map index order, which lists
 *                       the generic models first and then each vendor's models in the order they came out
 * @param sharedFeatures the features every host gives guests (its guest-visible view), in catalog order
 * @param modelFeatures  the features of at least one of the models, in catalog order: nova can match a flavor's
 *                       required trait only to these ({@code _match_cpu_model_by_flags} looks at the models alone, not
 *                       at {@code cpu_model_extra_flags}, and fails the boot with "No CPU model match traits")
 */
public record NovaCpuModels(List<String> models, List<String> sharedFeatures, List<String> modelFeatures) {

    public NovaCpuModels {
        models = List.copyOf(models);
        sharedFeatures = List.copyOf(sharedFeatures);
        modelFeatures = List.copyOf(modelFeatures);
    }
}
