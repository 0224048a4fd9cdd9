package io.fleetcpu.policy.render;

import static io.fleetcpu.libvirtxml.FeaturePolicy.DISABLE;
import static io.fleetcpu.libvirtxml.FeaturePolicy.REQUIRE;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.policy.guest.GuestCpu;
import java.util.List;

/** The guest CPUs every rendering test writes and reads back. */
final class RenderExamples {

    static final CpuCatalog CATALOG = CpuCatalog.bundled();
    static final CpuConfigRenderer RENDERER = new CpuConfigRenderer(CATALOG);

    /** Custom with a required and a disabled feature, vendor and fallback='forbid'. */
    static final GuestCpu HASWELL_VMX_NO_SPEC_CTRL =
            GuestCpu.custom("Haswell-noTSX-IBRS", "Intel", true, List.of(require("vmx"), disable("spec-ctrl")));
    /** The seed's SandyBridge-vmx, as a model plus one feature. */
    static final GuestCpu SANDYBRIDGE_VMX = GuestCpu.custom("SandyBridge", "Intel", false, List.of(require("vmx")));
    /** The seed's slow-guest fix: Broadwell-IBRS without spec-ctrl. */
    static final GuestCpu BROADWELL_NO_SPEC_CTRL =
            GuestCpu.custom("Broadwell-IBRS", null, false, List.of(disable("spec-ctrl")));
    /** A generic model with features whose QEMU names differ from libvirt's. */
    static final GuestCpu KVM64_RENAMED_FEATURES = GuestCpu.custom(
            "kvm64",
            null,
            false,
            List.of(require("pclmuldq"), require("lahf_lm"), require("tsc_adjust"), disable("syscall")));
    /** A generic model pinned to a vendor the model itself does not name. */
    static final GuestCpu KVM64_INTEL = GuestCpu.custom("kvm64", "Intel", false, List.of(require("vmx")));

    static final GuestCpu HOST_MODEL_VMX_NO_SPEC_CTRL =
            GuestCpu.hostModel(List.of(require("vmx"), disable("spec-ctrl")));
    static final GuestCpu HOST_MODEL_PLAIN = GuestCpu.hostModel(List.of());
    static final GuestCpu PASSTHROUGH_INVTSC_NO_SPEC_CTRL =
            GuestCpu.hostPassthrough(List.of(require("invtsc"), disable("spec-ctrl")));
    static final GuestCpu PASSTHROUGH_PLAIN = GuestCpu.hostPassthrough(List.of());

    static final List<GuestCpu> ALL = List.of(
            HASWELL_VMX_NO_SPEC_CTRL,
            SANDYBRIDGE_VMX,
            BROADWELL_NO_SPEC_CTRL,
            KVM64_RENAMED_FEATURES,
            KVM64_INTEL,
            HOST_MODEL_VMX_NO_SPEC_CTRL,
            HOST_MODEL_PLAIN,
            PASSTHROUGH_INVTSC_NO_SPEC_CTRL,
            PASSTHROUGH_PLAIN);

    static final List<GuestCpu> CUSTOM =
            ALL.stream().filter(c -> c.mode() == GuestCpu.Mode.CUSTOM).toList();

    private RenderExamples() {}

    static CpuFeature require(String name) {
        return new CpuFeature(name, REQUIRE);
    }

    static CpuFeature disable(String name) {
        return new CpuFeature(name, DISABLE);
    }
}
