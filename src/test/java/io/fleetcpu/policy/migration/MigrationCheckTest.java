package io.fleetcpu.policy.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.migration.MigrationCheckRefusedException.Reason;
import io.fleetcpu.policy.migration.Verdict.Cause;
import io.fleetcpu.policy.migration.Verdict.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's rules on real host CPUs. The expected libvirt messages are what libvirt 9.0's
 * {@code virsh cpu-compare --error} printed for the same shapes on this machine (see
 * {@link MigrationCheckDifferentialTest} for the comparison with libvirt itself).
 */
class MigrationCheckTest {

    private static final MigrationCheck check = new MigrationCheck(CpuCatalog.bundled());

    /** Broadwell, Intel, with vmx, invtsc, cmt/mbm, no TSX-less model. */
    private static final CpuDescription BROADWELL = host("libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v4-host.xml");
    /** Haswell-noTSX, Intel. */
    private static final CpuDescription HASWELL = host("libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml");

    private static final CpuDescription EPYC = host("libvirt-9.9.0/x86_64-cpuid-EPYC-7601-32-Core-host.xml");

    private static CpuDescription host(String file) {
        return CpuFixtures.get(file).cpu();
    }

    private static CpuDefinition guest(String xml) {
        return CpuDefinition.parse(xml);
    }

    /** The target's whole CPU written as a guest: every feature required. */
    private static String exactCopy(CpuDescription cpu, String match, boolean vendor, String... more) {
        StringBuilder xml =
                new StringBuilder("<cpu mode='custom' match='" + match + "'><model>" + cpu.model() + "</model>");
        if (vendor) {
            xml.append("<vendor>").append(cpu.vendor()).append("</vendor>");
        }
        cpu.requiredFeatures()
                .forEach(f ->
                        xml.append("<feature policy='require' name='").append(f).append("'/>"));
        for (String m : more) {
            xml.append(m);
        }
        return xml.append("</cpu>").toString();
    }

    @Test
    void theTargetsOwnCpuIsIdentical() {
        Verdict v = check.check(guest(exactCopy(BROADWELL, "exact", true)), BROADWELL);
        assertThat(v.result()).isEqualTo(Result.IDENTICAL);
        assertThat(v.compatible()).isTrue();
        assertThat(v.missingFeatures()).isEmpty();
        assertThat(v.extraFeatures()).isEmpty();
        assertThat(v.cause()).isEqualTo(Cause.NONE);
        assertThat(v.libvirtMessage()).isNull();
        // libvirt does not count the vendor as data: without it the copy is still identical
        assertThat(check.check(guest(exactCopy(BROADWELL, "exact", false)), BROADWELL)
                        .result())
                .isEqualTo(Result.IDENTICAL);
        // a description is the same guest
        assertThat(check.check(BROADWELL, BROADWELL).result()).isEqualTo(Result.IDENTICAL);
    }

    @Test
    void anOlderModelOnANewerHostIsASuperset() {
        Verdict v = check.check(
                guest("<cpu mode='custom' match='exact'><model>Haswell-noTSX</model>" + "<vendor>Intel</vendor></cpu>"),
                BROADWELL);
        assertThat(v.result()).isEqualTo(Result.SUPERSET);
        assertThat(v.result().libvirtCode()).isEqualTo(2);
        assertThat(v.extraFeatures())
                .contains("hle", "rtm", "adx", "vmx", "invtsc")
                .doesNotContain("sse2");
        assertThat(v.reason()).contains("can run there");
        // minimum judges like exact
        assertThat(check.check(
                                guest("<cpu mode='custom' match='minimum'><model>Haswell-noTSX</model></cpu>"),
                                BROADWELL)
                        .result())
                .isEqualTo(Result.SUPERSET);
    }

    @Test
    void missingFeaturesAreNamedInCatalogOrderAsLibvirtNamesThem() {
        Verdict v = check.check(
                guest("<cpu mode='custom' match='exact'><model>Broadwell</model>"
                        + "<vendor>Intel</vendor><feature policy='require' name='svm'/></cpu>"),
                HASWELL);
        assertThat(v.result()).isEqualTo(Result.INCOMPATIBLE);
        assertThat(v.result().libvirtCode()).isZero();
        assertThat(v.cause()).isEqualTo(Cause.MISSING_FEATURES);
        assertThat(v.missingFeatures()).containsExactly("hle", "rtm", "rdseed", "adx", "smap", "svm", "3dnowprefetch");
        assertThat(v.libvirtMessage())
                .isEqualTo("Host CPU does not provide required features: hle, rtm, rdseed, "
                        + "adx, smap, svm, 3dnowprefetch");
        assertThat(v.reason()).contains("lacks").contains("hle, rtm");
        // the other way round the Haswell host's CPU fits on the Broadwell host
        assertThat(check.check(HASWELL, BROADWELL).result()).isEqualTo(Result.SUPERSET);
    }

    @Test
    void aVendorTheTargetIsNotIsIncompatibleBeforeAnythingElse() {
        Verdict v = check.check(
                guest("<cpu mode='custom' match='exact'><model>Haswell-noTSX</model>"
                        + "<vendor>AMD</vendor><feature name='nosuchfeature'/></cpu>"),
                BROADWELL);
        assertThat(v.result()).isEqualTo(Result.INCOMPATIBLE);
        assertThat(v.cause()).isEqualTo(Cause.VENDOR);
        assertThat(v.libvirtMessage()).isEqualTo("host CPU vendor does not match required CPU vendor AMD");
        assertThat(v.reason()).contains("AMD").contains("Intel");
        assertThat(check.check(EPYC, BROADWELL).cause()).isEqualTo(Cause.VENDOR);
    }

    @Test
    void withoutAVendorOnlyFeaturesCountEvenForAnotherVendorsModel() {
        // libvirt ignores the model's vendor: an old AMD model runs on an Intel host when the features are there
        assertThat(check.check(guest("<cpu mode='custom' match='exact'><model>Opteron_G1</model></cpu>"), BROADWELL)
                        .result())
                .isEqualTo(Result.SUPERSET);
        Verdict epyc = check.check(guest("<cpu mode='custom' match='exact'><model>EPYC</model></cpu>"), BROADWELL);
        assertThat(epyc.cause()).isEqualTo(Cause.MISSING_FEATURES);
        assertThat(epyc.missingFeatures()).contains("svm", "sse4a").doesNotContain("monitor"); // removed from EPYC
    }

    @Test
    void aForbiddenFeatureTheTargetHasIsIncompatibleEvenBeforeMissingOnes() {
        Verdict v = check.check(
                guest("<cpu mode='custom' match='exact'><model>Skylake-Server</model>"
                        + "<feature policy='forbid' name='vmx'/><feature policy='forbid' name='svm'/></cpu>"),
                BROADWELL);
        assertThat(v.cause()).isEqualTo(Cause.FORBIDDEN_FEATURES);
        assertThat(v.forbiddenButPresent()).containsExactly("vmx");
        assertThat(v.missingFeatures()).isEmpty();
        assertThat(v.libvirtMessage()).isEqualTo("Host CPU provides forbidden features: vmx");
        // forbidding what the target lacks is no obstacle
        assertThat(check.check(
                                guest("<cpu mode='custom' match='exact'><model>Haswell-noTSX</model>"
                                        + "<feature policy='forbid' name='svm'/></cpu>"),
                                BROADWELL)
                        .result())
                .isEqualTo(Result.SUPERSET);
    }

    @Test
    void optionalFeaturesNeitherNeedTheTargetNorMakeItASuperset() {
        String optionalVmx = "<feature policy='optional' name='svm'/>";
        // svm is missing on an Intel host: optional, so the copy stays identical
        assertThat(check.check(guest(exactCopy(BROADWELL, "exact", true, optionalVmx)), BROADWELL)
                        .result())
                .isEqualTo(Result.IDENTICAL);
        // a present feature made optional instead of required: identical too, not a superset
        CpuDescription withoutVmx = new CpuDescription(
                BROADWELL.arch(),
                BROADWELL.vendor(),
                BROADWELL.model(),
                BROADWELL.requiredFeatures().stream()
                        .filter(f -> !f.equals("vmx"))
                        .toList(),
                List.of());
        assertThat(check.check(guest(exactCopy(withoutVmx, "exact", true)), BROADWELL)
                        .result())
                .isEqualTo(Result.SUPERSET);
        assertThat(check.check(
                                guest(exactCopy(withoutVmx, "exact", true, "<feature policy='optional' name='vmx'/>")),
                                BROADWELL)
                        .result())
                .isEqualTo(Result.IDENTICAL);
    }

    @Test
    void disabledAndForcedFeaturesAreNotRequired() {
        Verdict v = check.check(
                guest(
                        "<cpu mode='custom' match='exact'><model>Broadwell</model>"
                                + "<feature policy='disable' name='hle'/><feature policy='disable' name='rtm'/>"
                                + "<feature policy='force' name='rdseed'/><feature policy='optional' name='adx'/>"
                                + "<feature policy='disable' name='smap'/><feature policy='force' name='3dnowprefetch'/></cpu>"),
                HASWELL);
        assertThat(v.result()).isEqualTo(Result.SUPERSET);
        // a disabled feature the target has does not make it a superset
        CpuDescription exactHaswellModel = new CpuDescription("x86_64", "Intel", "Haswell-noTSX", List.of(), List.of());
        List<String> disabled = new ArrayList<>();
        HASWELL.requiredFeatures().forEach(f -> disabled.add("<feature policy='disable' name='" + f + "'/>"));
        assertThat(check.check(
                                guest("<cpu mode='custom' match='exact'><model>Haswell-noTSX</model>"
                                        + String.join("", disabled) + "</cpu>"),
                                HASWELL)
                        .result())
                .isEqualTo(Result.IDENTICAL);
        assertThat(check.check(exactHaswellModel, HASWELL).result()).isEqualTo(Result.SUPERSET);
    }

    @Test
    void strictRefusesATargetWithMoreFeatures() {
        Verdict v = check.check(
                guest("<cpu mode='custom' match='strict'><model>Haswell-noTSX</model>"
                        + "<vendor>Intel</vendor></cpu>"),
                HASWELL);
        assertThat(v.cause()).isEqualTo(Cause.EXTRA_FEATURES);
        assertThat(v.extraFeatures())
                .isEqualTo(check.catalog().featureNames(check.catalog().featureSet(HASWELL.requiredFeatures())));
        assertThat(v.libvirtMessage()).startsWith("Host CPU does not strictly match guest CPU: Extra features: vme, ");
        assertThat(check.check(guest(exactCopy(HASWELL, "strict", true)), HASWELL)
                        .result())
                .isEqualTo(Result.IDENTICAL);
    }

    @Test
    void aHostShapedCpuRequiresEveryFeatureWhateverItsPolicy() {
        Verdict v = check.check(
                guest("<cpu><arch>x86_64</arch><model>Haswell-noTSX</model>"
                        + "<feature policy='disable' name='svm'/><feature policy='forbid' name='sse2'/></cpu>"),
                HASWELL);
        assertThat(v.missingFeatures()).containsExactly("svm");
        assertThat(check.check(guest("<cpu><arch>aarch64</arch><model>Haswell</model></cpu>"), HASWELL)
                        .libvirtMessage())
                .isEqualTo("CPU arch aarch64 does not match host arch");
        assertThat(check.check(guest("<cpu><arch>i686</arch><model>Haswell-noTSX</model></cpu>"), HASWELL)
                        .result())
                .isEqualTo(Result.SUPERSET);
    }

    @Test
    void unknownNamesAreRefusedAsLibvirtRefusesThem() {
        assertRefused(
                "<cpu mode='custom' match='exact'><model>Foo</model></cpu>",
                Reason.UNKNOWN_MODEL,
                "Unknown CPU model Foo");
        assertRefused(
                "<cpu mode='custom' match='exact'><model>Haswell</model><feature name='pclmulqdq'/></cpu>",
                Reason.UNKNOWN_FEATURE,
                "Unknown CPU feature pclmulqdq");
        // libvirt builds forced features before the model, forbidden ones last
        assertRefused(
                "<cpu mode='custom' match='exact'><model>Foo</model><feature policy='require' name='bar'/>"
                        + "<feature policy='force' name='baz'/></cpu>",
                Reason.UNKNOWN_FEATURE,
                "Unknown CPU feature baz");
        assertRefused(
                "<cpu mode='custom' match='exact'><model>Foo</model><feature policy='forbid' name='baz'/>"
                        + "<feature policy='require' name='bar'/></cpu>",
                Reason.UNKNOWN_MODEL,
                "Unknown CPU model Foo");
        assertRefused(
                "<cpu mode='custom' match='exact'><model>Skylake-Server</model>"
                        + "<feature policy='forbid' name='baz'/></cpu>",
                Reason.UNKNOWN_FEATURE,
                "Unknown CPU feature baz");
        assertRefused(
                "<cpu mode='custom' match='exact'><vendor>Intel</vendor><feature name='sse2'/></cpu>",
                Reason.INVALID_DEFINITION,
                "CPU vendor specified without CPU model");
        assertRefused(
                "<cpu mode='custom' match='exact'><feature name='sse2'/></cpu>",
                Reason.INVALID_DEFINITION,
                "Non-empty feature list specified without CPU model");
        assertRefused(
                "<cpu match='exact'><arch>x86_64</arch><model>Haswell</model></cpu>",
                Reason.INVALID_DEFINITION,
                "'arch' element cannot be used inside 'cpu' element with 'match' attribute'");
        assertThatThrownBy(() ->
                        check.check(HASWELL, new CpuDescription("x86_64", "Intel", "Haswell-v9", List.of(), List.of())))
                .isInstanceOf(MigrationCheckRefusedException.class)
                .hasMessageContaining("Haswell-v9");
        // a vendor mismatch is found before any name is looked up, as in libvirt
        assertThat(check.check(
                                guest("<cpu mode='custom' match='exact'><model>Foo</model><vendor>AMD</vendor></cpu>"),
                                HASWELL)
                        .cause())
                .isEqualTo(Cause.VENDOR);
    }

    private static void assertRefused(String xml, Reason reason, String libvirtMessage) {
        assertThatThrownBy(() -> check.check(guest(xml), HASWELL))
                .isInstanceOfSatisfying(MigrationCheckRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.libvirtMessage()).isEqualTo(libvirtMessage);
                });
    }

    @Test
    void anEmptyGuestFitsAndATargetWithoutModelFitsNothing() {
        assertThat(check.check(guest("<cpu/>"), HASWELL).result()).isEqualTo(Result.SUPERSET);
        Verdict v = check.check(HASWELL, new CpuDescription("x86_64", "Intel", null, List.of(), List.of()));
        assertThat(v.cause()).isEqualTo(Cause.UNKNOWN_HOST_CPU);
        assertThat(v.libvirtMessage()).isEqualTo("unknown host CPU");
    }

    @Test
    void hostPassthroughNeedsAnIdenticalCpu() {
        // two different machines with the same CPU
        CpuDescription i5 = host("libvirt-9.9.0/x86_64-cpuid-Core-i5-2500-host.xml");
        CpuDescription i7 = host("libvirt-9.9.0/x86_64-cpuid-Core-i7-2600-host.xml");
        Verdict same = check.hostPassthrough(i5, i7);
        assertThat(same.result()).isEqualTo(Result.IDENTICAL);
        assertThat(same.libvirtMessage()).isNull();
        // the same laptop before and after a microcode update that brought IBRS/STIBP (model Broadwell-IBRS)
        CpuDescription before = host("libvirt-9.9.0/x86_64-cpuid-Core-i7-5600U-host.xml");
        CpuDescription after = host("libvirt-9.9.0/x86_64-cpuid-Core-i7-5600U-ibrs-host.xml");
        Verdict forward = check.hostPassthrough(before, after);
        assertThat(forward.result()).isEqualTo(Result.INCOMPATIBLE);
        assertThat(forward.cause()).isEqualTo(Cause.DIFFERENT_CPU);
        assertThat(forward.missingFeatures()).isEmpty();
        assertThat(forward.extraFeatures()).containsExactly("spec-ctrl", "stibp");
        assertThat(forward.reason())
                .contains("model Broadwell on the source, Broadwell-IBRS on the target")
                .contains("spec-ctrl, stibp");
        Verdict back = check.hostPassthrough(after, before);
        assertThat(back.missingFeatures()).containsExactly("spec-ctrl", "stibp");
        assertThat(back.extraFeatures()).isEmpty();
        // same features, other vendor or model name: still not the same CPU
        CpuDescription renamed =
                new CpuDescription("x86_64", "Intel", "Broadwell", after.requiredFeatures(), List.of());
        assertThat(check.hostPassthrough(after, renamed).reason()).contains("model Broadwell-IBRS on the source");
        assertThat(check.check(GuestCpu.hostPassthrough(List.of()), before, after)
                        .cause())
                .isEqualTo(Cause.DIFFERENT_CPU);
        assertThat(check.check(guest("<cpu mode='host-passthrough'/>"), i5, i7).result())
                .isEqualTo(Result.IDENTICAL);
    }

    @Test
    void hostModelNeedsTheSourcesFeaturesOnTheTarget() {
        Verdict up = check.hostModel(HASWELL, BROADWELL);
        assertThat(up.result()).isEqualTo(Result.SUPERSET);
        Verdict down = check.hostModel(BROADWELL, HASWELL);
        assertThat(down.cause()).isEqualTo(Cause.MISSING_FEATURES);
        // what the Broadwell host has and the Haswell host lacks, model and extras together
        assertThat(down.missingFeatures())
                .containsExactly(
                        "hle", "rtm", "rdseed", "adx", "smap", "intel-pt", "mbm_total", "mbm_local", "3dnowprefetch");
        assertThat(down.reason()).startsWith("The host-model CPU of the source host requires");
        assertThat(check.hostModel(HASWELL, HASWELL).result()).isEqualTo(Result.IDENTICAL);
        // a host-model CPU with features the source's model has but the source lacks (domain capabilities form)
        CpuDescription hostModel = new CpuDescription(
                "x86_64",
                "Intel",
                "Broadwell",
                List.of("vmx"),
                List.of("hle", "rtm", "rdseed", "adx", "smap", "3dnowprefetch"));
        assertThat(check.hostModel(hostModel, HASWELL).result()).isEqualTo(Result.SUPERSET);
        // policies written on a host-model guest apply on top of the source's CPU
        GuestCpu noTsx = GuestCpu.hostModel(
                List.of(new CpuFeature("hle", FeaturePolicy.DISABLE), new CpuFeature("rtm", FeaturePolicy.DISABLE)));
        assertThat(check.check(noTsx, BROADWELL, HASWELL).missingFeatures())
                .doesNotContain("hle", "rtm")
                .contains("adx");
        assertThat(check.check(
                                guest("<cpu mode='host-model'><feature policy='require' name='svm'/></cpu>"),
                                HASWELL,
                                BROADWELL)
                        .missingFeatures())
                .containsExactly("svm");
    }

    @Test
    void aRecommendationIsJudgedAsTheCustomCpuLibvirtGetsFromIt() {
        GuestCpu recommended = GuestCpu.custom(
                "Haswell-noTSX",
                "Intel",
                true,
                List.of(
                        new CpuFeature("vmx", FeaturePolicy.REQUIRE),
                        new CpuFeature("spec-ctrl", FeaturePolicy.DISABLE)));
        assertThat(check.check(recommended, BROADWELL).result()).isEqualTo(Result.SUPERSET);
        GuestCpu withSvm =
                GuestCpu.custom("Haswell-noTSX", null, true, List.of(new CpuFeature("svm", FeaturePolicy.REQUIRE)));
        assertThat(check.check(withSvm, BROADWELL).missingFeatures()).containsExactly("svm");
        assertThatThrownBy(() -> check.check(GuestCpu.hostModel(List.of()), BROADWELL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source host");
        assertThatThrownBy(() -> check.check(guest("<cpu mode='host-passthrough'/>"), BROADWELL))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
