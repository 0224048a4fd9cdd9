package io.fleetcpu.policy;

import static io.fleetcpu.policy.PolicyHosts.DIR_5_6;
import static io.fleetcpu.policy.PolicyHosts.DIR_9_9;
import static io.fleetcpu.policy.PolicyHosts.all;
import static io.fleetcpu.policy.PolicyHosts.host;
import static io.fleetcpu.policy.PolicyHosts.hypervisorView;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureDefinition;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.CpuSignature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.CpuPolicy.Goal;
import io.fleetcpu.policy.CpuPolicy.MitigationMode;
import io.fleetcpu.policy.CpuPolicy.Nested;
import io.fleetcpu.policy.PolicyRecommendation.HostGap;
import io.fleetcpu.policy.PolicyRecommendation.NestedFix;
import io.fleetcpu.policy.baseline.Baseline;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.BaselineRefusedException;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.NamedCpu;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.GuestVisibility;
import io.fleetcpu.policy.guest.MicroarchitectureLevel;
import io.fleetcpu.policy.render.CpuConfigRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The aggregate policy on real CPUs (libvirt's test data): what mode, model and features an operator gets for each
 * goal, nested virtualisation and mitigation setting, which hosts are named, and that a named model runs on every
 * host it was computed from.
 */
class PolicyRecommenderTest {

    private static final CpuCatalog CATALOG = CpuCatalog.bundled();
    private static final GuestVisibility VISIBILITY = new GuestVisibility(CATALOG, HostOnlyFeatures.bundled());
    /** The service's default (fleetcpu.policy.obsolete-models). */
    private static final Set<String> OBSOLETE = Set.copyOf(PolicyRecommender.OBSOLETE_MODELS);

    // Haswell without TSX, client and server, the server both as E5-2630 v3 and E5-2650 v3 (same host-model CPU).
    private static final String HASWELL = DIR_9_9 + "Core-i5-4670T-host.xml";
    private static final String HASWELL_XEON = DIR_9_9 + "Xeon-E5-2630-v3-host.xml";
    private static final String HASWELL_XEON_2650 = DIR_9_9 + "Xeon-E5-2650-v3-host.xml";
    private static final String HASWELL_XEON_GUEST = "cpudata/" + DIR_9_9 + "Xeon-E5-2630-v3-guest.xml";
    private static final String HASWELL_GUEST = "cpudata/" + DIR_9_9 + "Core-i5-4670T-guest.xml";
    /** Haswell with TSX, signature 6/63/4. */
    private static final String HASWELL_TSX = DIR_9_9 + "Xeon-E7-8890-v3-host.xml";
    /** Haswell-noTSX-IBRS: spec-ctrl. */
    private static final String HASWELL_IBRS = DIR_9_9 + "Xeon-E5-2609-v3-host.xml";

    private static final String IVY_BRIDGE = DIR_9_9 + "Core-i7-3770-host.xml";
    /** Broadwell-IBRS (spec-ctrl) and libvirt's host-model of it. */
    private static final String BROADWELL_IBRS = DIR_9_9 + "Xeon-E5-2623-v4-host.xml";

    private static final String BROADWELL_IBRS_GUEST = "cpudata/" + DIR_9_9 + "Xeon-E5-2623-v4-guest.xml";
    /** The same Sandy Bridge desktop CPU captured twice, libvirt seeing xsaveopt only in the first capture. */
    private static final String SANDY_BRIDGE = DIR_9_9 + "Core-i7-2600-host.xml";

    private static final String SANDY_BRIDGE_NO_XSAVEOPT = DIR_9_9 + "Core-i7-2600-xsaveopt-host.xml";
    /** Westmere-era Core i5 with vmx, and a Pentium of the same generation without. */
    private static final String WESTMERE = DIR_9_9 + "Core-i5-650-host.xml";

    private static final String PENTIUM_NO_VMX = DIR_9_9 + "Pentium-P6100-host.xml";
    /** Skylake with spec-ctrl, ssbd and md-clear (libvirt 5.6.0 capture). */
    private static final String SKYLAKE_MD_CLEAR = DIR_5_6 + "Xeon-E3-1225-v5-host.xml";

    private static final String EPYC = DIR_9_9 + "EPYC-7601-32-Core-host.xml";
    private static final String ATOM_D510 = DIR_9_9 + "Atom-D510-host.xml";
    private static final String ATOM_N450 = DIR_9_9 + "Atom-N450-host.xml";
    /** What QEMU 7.2 (KVM) on fleetcpu's Intel build machine can give a guest: kvm64 with extras, no vmx. */
    private static final String KVM64_VIEW = "hostdata/hypervisor-cpu-kvm64.xml";

    private static final List<String> INTEL_FIX = List.of(
            "modprobe -r kvm_intel",
            "modprobe kvm_intel nested=1",
            "echo 'options kvm_intel nested=1' > /etc/modprobe.d/kvm_intel-nested.conf");
    private static final List<String> AMD_FIX = List.of(
            "modprobe -r kvm_amd",
            "modprobe kvm_amd nested=1",
            "echo 'options kvm_amd nested=1' > /etc/modprobe.d/kvm_amd-nested.conf");

    private final PolicyRecommender recommender = new PolicyRecommender(CATALOG, VISIBILITY, OBSOLETE);
    private final BaselineCalculator calculator = new BaselineCalculator(CATALOG);
    private final CpuConfigRenderer renderer = new CpuConfigRenderer(CATALOG);

    // ---- goal performance ---------------------------------------------------------------------------------------

    @Test
    void performanceGivesHostPassthroughToIdenticalHosts() {
        List<PolicyHost> hosts = all(
                host("a", HASWELL_XEON).withMicrocode("68"),
                host("b", HASWELL_XEON).withMicrocode("68"),
                host("c", HASWELL_XEON).withMicrocode("68"));

        PolicyRecommendation answer = recommender.recommend(hosts, policy(Goal.PERFORMANCE), false);

        GuestCpu cpu = answer.cpu();
        assertThat(cpu.mode()).isEqualTo(GuestCpu.Mode.HOST_PASSTHROUGH);
        assertThat(cpu.model()).isNull();
        assertThat(cpu.vendor()).isNull();
        // Nested off by default: even host-passthrough hides vmx.
        assertThat(policies(cpu)).containsExactly("disable:vmx");
        assertThat(answer.explanations()).anySatisfy(e -> assertThat(e).contains("host-passthrough"));
        assertThat(answer.hostsThatCannotRun()).isEmpty();
        assertThat(renderer.libvirtXml(cpu))
                .startsWith("<cpu mode='host-passthrough'")
                .contains("<feature policy='disable' name='vmx'/>");

        PolicyRecommendation nested =
                recommender.recommend(hosts, nested(policy(Goal.PERFORMANCE), Nested.ALLOWED), false);
        assertThat(nested.cpu().mode()).isEqualTo(GuestCpu.Mode.HOST_PASSTHROUGH);
        assertThat(policies(nested.cpu())).containsExactly("require:vmx");
        assertThat(nested.nested().provided()).isTrue();
    }

    @Test
    void performanceFallsBackWhenMicrocodeDiffersNamingTheHost() {
        List<PolicyHost> hosts = all(
                host("a", HASWELL_XEON).withMicrocode("68"),
                host("b", HASWELL_XEON).withMicrocode("68"),
                host("c", HASWELL_XEON).withMicrocode("73"));

        PolicyRecommendation answer = recommender.recommend(hosts, policy(Goal.PERFORMANCE), false);

        assertThat(answer.cpu().mode())
                .isNotEqualTo(GuestCpu.Mode.HOST_PASSTHROUGH)
                .isEqualTo(GuestCpu.Mode.CUSTOM);
        assertThat(answer.cpu().model()).isEqualTo("Haswell-noTSX");
        String why = explanationContaining(answer, "host-passthrough");
        assertThat(why)
                .contains("host c")
                .contains("microcode 73 instead of 68")
                .doesNotContain("host b");
        assertRunsOnEveryHost(answer, hosts);
    }

    @Test
    void performanceFallsBackWhenSignatureDiffers() {
        List<PolicyHost> hosts = all(
                host("a", HASWELL_XEON).withMicrocode("68"),
                host("b", HASWELL_XEON).withMicrocode("68").withSignature(new CpuSignature(6, 63, 4)));

        PolicyRecommendation answer = recommender.recommend(hosts, policy(Goal.PERFORMANCE), false);

        assertThat(answer.cpu().mode()).isEqualTo(GuestCpu.Mode.CUSTOM);
        assertThat(explanationContaining(answer, "host-passthrough"))
                .contains("host b")
                .contains("signature 6/63/4 instead of 6/63/2")
                .doesNotContain("microcode");
    }

    @Test
    void performanceFallsBackWhenModelOrFeaturesDiffer() {
        // Same generation, same signature family: the E7 has TSX (hle, rtm) on a different stepping.
        List<PolicyHost> hosts = all(host("noTsx", HASWELL_XEON), host("tsx", HASWELL_TSX));
        PolicyRecommendation answer = recommender.recommend(hosts, policy(Goal.PERFORMANCE), false);
        assertThat(answer.cpu().mode()).isEqualTo(GuestCpu.Mode.CUSTOM);
        assertThat(explanationContaining(answer, "host-passthrough"))
                .contains("host tsx")
                .contains("model Haswell instead of Haswell-noTSX")
                .contains("signature 6/63/4 instead of 6/63/2")
                .contains("+hle")
                .contains("+rtm");
        assertThat(guestFeatures(answer.cpu())).doesNotContain("hle", "rtm");
        assertRunsOnEveryHost(answer, hosts);

        // The same CPU model, signature and microcode, one feature apart.
        List<PolicyHost> desktops = all(
                host("with", SANDY_BRIDGE).withMicrocode("47"),
                host("without", SANDY_BRIDGE_NO_XSAVEOPT).withMicrocode("47"));
        PolicyRecommendation features = recommender.recommend(desktops, policy(Goal.PERFORMANCE), false);
        assertThat(features.cpu().mode()).isEqualTo(GuestCpu.Mode.CUSTOM);
        assertThat(explanationContaining(features, "host-passthrough"))
                .contains("host without")
                .contains("features -xsaveopt")
                .doesNotContain("model ")
                .doesNotContain("signature")
                .doesNotContain("microcode");
        assertThat(guestFeatures(features.cpu())).doesNotContain("xsaveopt");
        assertRunsOnEveryHost(features, desktops);
    }

    @Test
    void performanceFallsBackToHostModelWhenOnlyTheHypervisorViewsAgree() {
        // Different physical CPUs (microcode) whose hypervisors expand host-model to the same CPU: balanced's answer.
        CpuDescription view = hypervisorView(HASWELL_XEON_GUEST);
        List<PolicyHost> hosts = all(
                host("a", HASWELL_XEON).withMicrocode("68").withHypervisorCpu(view),
                host("b", HASWELL_XEON_2650).withMicrocode("70").withHypervisorCpu(view));

        PolicyRecommendation answer = recommender.recommend(hosts, policy(Goal.PERFORMANCE), false);

        assertThat(answer.cpu().mode()).isEqualTo(GuestCpu.Mode.HOST_MODEL);
        assertThat(explanationContaining(answer, "host-passthrough"))
                .contains("host b")
                .contains("microcode 70 instead of 68");
        assertThat(policies(answer.cpu())).containsExactly("disable:vmx");
    }

    // ---- goal migration ------------------------------------------------------------------------------------------

    @Test
    void migrationNamesTheModelEveryHostRunsAndTheHostsHoldingItDown() {
        List<PolicyHost> hosts = all(host("haswell", HASWELL), host("xeon", HASWELL_XEON), host("ivy", IVY_BRIDGE));

        PolicyRecommendation answer = recommender.recommend(hosts, CpuPolicy.DEFAULT, false);

        GuestCpu cpu = answer.cpu();
        assertThat(cpu.mode()).isEqualTo(GuestCpu.Mode.CUSTOM);
        assertThat(cpu.model()).isEqualTo("IvyBridge");
        assertThat(cpu.vendor()).isEqualTo("Intel");
        // libvirt's migratable baseline of what guests can get on the same hosts (their physical CPUs without the
        // features KVM never gives guests), with vmx taken away because nested virtualisation is off.
        Baseline libvirt = calculator.baseline(
                hosts.stream()
                        .map(h -> new NamedCpu(
                                h.name(), VISIBILITY.of(h.cpu(), null).cpu()))
                        .toList(),
                false,
                true);
        List<String> expected = new ArrayList<>(libvirt.features().stream()
                .map(f -> f.policy().libvirtName() + ":" + f.name())
                .toList());
        assertThat(expected.remove("require:vmx")).isTrue();
        expected.add("disable:vmx");
        assertThat(policies(cpu)).isEqualTo(expected);
        assertThat(guestFeatures(cpu))
                .doesNotContain("vmx", "avx2")
                .doesNotContain(HostOnlyFeatures.bundled().names().toArray(String[]::new))
                .doesNotContain("invtsc");
        // libvirt's plain baseline of the physical CPUs asks for what no guest gets: the answer says what it left out.
        Baseline physical = calculator.baseline(
                hosts.stream().map(h -> new NamedCpu(h.name(), h.cpu())).toList(), false, false);
        assertThat(physical.featureNames(FeaturePolicy.REQUIRE)).contains("ds", "acpi", "monitor", "invtsc");
        assertThat(answer.warnings())
                .singleElement()
                .asString()
                .contains("hosts haswell, xeon, ivy sent no hypervisor view")
                .contains("ds, acpi");
        assertThat(explanationContaining(answer, "left out so that guests can live-migrate"))
                .contains("invtsc");

        RecommendedCpu.Reasons reasons = answer.reasons();
        assertThat(reasons.hostsConsidered()).isEqualTo(3);
        RecommendedCpu.LimitingHost ivy = reasons.limitingHosts().stream()
                .filter(l -> l.host().equals("ivy"))
                .findFirst()
                .orElseThrow();
        assertThat(ivy.modelWithoutHost()).isEqualTo("Haswell-noTSX");
        assertThat(ivy.featuresOthersShare()).contains("avx2", "fma", "bmi1", "bmi2");
        assertThat(reasons.featuresLeftOut()).anySatisfy(f -> {
            assertThat(f.feature()).isEqualTo("avx2");
            assertThat(f.hostsWithout()).containsExactly("ivy");
        });
        assertThat(explanationContaining(answer, "goal migration")).contains("named model");
        assertRunsOnEveryHost(answer, hosts);

        // Balanced and performance without hypervisor views come to the same named model.
        for (Goal goal : List.of(Goal.BALANCED, Goal.PERFORMANCE)) {
            PolicyRecommendation other = recommender.recommend(hosts, policy(goal), false);
            assertThat(other.cpu()).as("goal %s", goal).isEqualTo(cpu);
        }
    }

    @Test
    void intelAndAmdAreRefusedForEveryGoal() {
        List<PolicyHost> hosts = all(host("intel-1", HASWELL_XEON), host("amd-1", EPYC));
        for (Goal goal : Goal.values()) {
            BaselineRefusedException refused = catchThrowableOfType(
                    () -> recommender.recommend(hosts, policy(goal), false), BaselineRefusedException.class);
            assertThat(refused).as("goal %s", goal).isNotNull();
            assertThat(refused.reason()).isEqualTo(BaselineRefusedException.Reason.VENDOR_MISMATCH);
            assertThat(refused.conflictingHosts()).containsExactly("intel-1", "amd-1");
            assertThat(refused.getMessage()).contains("Intel").contains("AMD");
        }
    }

    // ---- goal balanced ----------------------------------------------------------------------------------------

    @Test
    void balancedGivesHostModelWhenEveryHypervisorViewIsTheSame() {
        // libvirt's host-model of the E5-2630 v3 and of the E5-2650 v3 are the same CPU.
        List<PolicyHost> hosts = all(
                host("a", HASWELL_XEON).withHypervisorCpu(hypervisorView(HASWELL_XEON_GUEST)),
                host("b", HASWELL_XEON_2650)
                        .withHypervisorCpu(hypervisorView("cpudata/" + DIR_9_9 + "Xeon-E5-2650-v3-guest.xml")));

        PolicyRecommendation answer = recommender.recommend(hosts, policy(Goal.BALANCED), false);

        assertThat(answer.cpu().mode()).isEqualTo(GuestCpu.Mode.HOST_MODEL);
        assertThat(answer.cpu().model()).isNull();
        assertThat(policies(answer.cpu())).containsExactly("disable:vmx");
        assertThat(explanationContaining(answer, "goal balanced")).contains("host-model");
        assertThat(renderer.libvirtXml(answer.cpu())).startsWith("<cpu mode='host-model'");

        // The real hypervisor view of fleetcpu's build machine, on two hosts.
        CpuDescription kvm64 = hypervisorView(KVM64_VIEW);
        List<PolicyHost> tcg = all(
                host("a", HASWELL_XEON).withHypervisorCpu(kvm64),
                host("b", HASWELL_XEON).withHypervisorCpu(kvm64));
        assertThat(recommender
                        .recommend(tcg, policy(Goal.BALANCED), false)
                        .cpu()
                        .mode())
                .isEqualTo(GuestCpu.Mode.HOST_MODEL);
    }

    /** This machine's own case: a hypervisor (QEMU without KVM) that can run only obsolete named models. */
    @Test
    void hostModesServeIdenticalHostsWhenNoNamedModelFits() {
        CpuDescription kvm64 = hypervisorView(KVM64_VIEW);
        List<String> obsoleteOnly = List.of("pentium3", "pentium2", "pentium", "486");
        PolicyHosts tcg = host("tcg", HASWELL_XEON)
                .withMicrocode("1")
                .withHypervisorCpu(kvm64)
                .withUsableModels(obsoleteOnly)
                .withSupportedModes(GuestCpu.Mode.HOST_MODEL, GuestCpu.Mode.CUSTOM);
        List<PolicyHost> one = all(tcg);

        // migration: no named model fits, and the refusal names the rule and what the operator can change.
        BaselineRefusedException refused = catchThrowableOfType(
                BaselineRefusedException.class, () -> recommender.recommend(one, CpuPolicy.DEFAULT, false));
        assertThat(refused.getMessage())
                .contains("no CPU model fits every host")
                .contains("pinnedModel")
                .contains("goal to balanced (host-model) or performance (host-passthrough)");

        // performance: host-passthrough is not supported under emulation, so host-model, which is.
        PolicyRecommendation performance = recommender.recommend(one, policy(Goal.PERFORMANCE), false);
        assertThat(performance.cpu().mode()).isEqualTo(GuestCpu.Mode.HOST_MODEL);
        assertThat(explanationContaining(performance, "goal performance")).contains("do not support host-passthrough");
        assertThat(recommender
                        .recommend(one, policy(Goal.BALANCED), false)
                        .cpu()
                        .mode())
                .isEqualTo(GuestCpu.Mode.HOST_MODEL);

        // The same host where KVM works: a single host is identical to itself, host-passthrough.
        List<PolicyHost> kvm = all(tcg.withSupportedModes(GuestCpu.Mode.values()));
        PolicyRecommendation passthrough = recommender.recommend(kvm, policy(Goal.PERFORMANCE), false);
        assertThat(passthrough.cpu().mode()).isEqualTo(GuestCpu.Mode.HOST_PASSTHROUGH);
        assertThat(passthrough.warnings()).anySatisfy(w -> assertThat(w).contains("live-migrate only between hosts"));

        // No mode left: custom only. The 409 says why each host mode was refused.
        List<PolicyHost> customOnly = all(tcg.withSupportedModes(GuestCpu.Mode.CUSTOM));
        BaselineRefusedException none = catchThrowableOfType(
                BaselineRefusedException.class,
                () -> recommender.recommend(customOnly, policy(Goal.PERFORMANCE), false));
        assertThat(none.getMessage())
                .contains("pinnedModel")
                .contains("do not support host-passthrough")
                .contains("do not support host-model");
    }

    /** An EPYC's guests without svm must not be asked for what exists only under svm (npt, avic, …). */
    @Test
    void withoutSvmNothingOfSvmIsRequired() {
        List<PolicyHost> hosts = all(host("a", EPYC), host("b", EPYC).withNested(NestedState.DISABLED));
        PolicyRecommendation answer = recommender.recommend(hosts, CpuPolicy.DEFAULT, false);

        assertThat(answer.cpu().featureNames(FeaturePolicy.DISABLE)).contains("svm");
        List<String> underSvm = CATALOG.features().stream()
                .filter(f -> f.bits().stream().anyMatch(b -> b.toLowerCase().contains("0x8000000a")))
                .map(FeatureDefinition::name)
                .toList();
        assertThat(guestFeatures(answer.cpu()))
                .doesNotContainAnyElementsOf(underSvm)
                .doesNotContain("svm");
        assertThat(answer.cpu().featureNames(FeaturePolicy.REQUIRE)).doesNotContainAnyElementsOf(underSvm);
        assertRunsOnEveryHost(answer, hosts);
    }

    @Test
    void balancedFallsBackToANamedModelWhenHypervisorViewsDiffer() {
        List<PolicyHost> hosts = all(
                host("xeon", HASWELL_XEON).withHypervisorCpu(hypervisorView(HASWELL_XEON_GUEST)),
                host("client", HASWELL).withHypervisorCpu(hypervisorView(HASWELL_GUEST)));

        PolicyRecommendation answer = recommender.recommend(hosts, policy(Goal.BALANCED), false);

        assertThat(answer.cpu().mode()).isEqualTo(GuestCpu.Mode.CUSTOM);
        assertThat(answer.cpu().model()).isEqualTo("Haswell-noTSX");
        assertThat(explanationContaining(answer, "goal balanced"))
                .contains("2 kinds")
                .contains("[xeon]")
                .contains("[client]");
        assertRunsOnEveryHost(answer, hosts);

        // One host without a hypervisor view: host-model cannot be judged, the host is named.
        List<PolicyHost> oneUnknown = all(
                host("xeon", HASWELL_XEON).withHypervisorCpu(hypervisorView(HASWELL_XEON_GUEST)),
                host("silent", HASWELL_XEON_2650));
        PolicyRecommendation unknown = recommender.recommend(oneUnknown, policy(Goal.BALANCED), false);
        assertThat(unknown.cpu().mode()).isEqualTo(GuestCpu.Mode.CUSTOM);
        assertThat(explanationContaining(unknown, "goal balanced"))
                .contains("silent")
                .doesNotContain("xeon");
        assertRunsOnEveryHost(unknown, oneUnknown);
    }

    @Test
    void namedModelIsComputedFromWhatTheHypervisorCanGive() {
        // The physical CPUs are Haswells; what QEMU gives guests there is kvm64 plus extras, without SSE3 (pni).
        CpuDescription kvm64 = hypervisorView(KVM64_VIEW);
        List<PolicyHost> hosts = all(
                host("a", HASWELL_XEON).withHypervisorCpu(kvm64),
                host("b", HASWELL).withHypervisorCpu(kvm64));

        PolicyRecommendation answer = recommender.recommend(hosts, CpuPolicy.DEFAULT, false);

        assertThat(answer.cpu().model()).isEqualTo("kvm64");
        assertThat(policies(answer.cpu())).contains("disable:pni").doesNotContain("require:avx2");
        assertRunsOnEveryHost(answer, hosts);
    }

    // ---- nested virtualisation ------------------------------------------------------------------------------------

    @Test
    void nestedOffTakesTheFlagAwayWhereverAHostHasIt() {
        List<PolicyHost> mixed = all(host("pentium", PENTIUM_NO_VMX), host("core", WESTMERE));
        PolicyRecommendation answer = recommender.recommend(mixed, CpuPolicy.DEFAULT, false);
        assertThat(policies(answer.cpu())).contains("disable:vmx");
        assertThat(answer.nested().provided()).isFalse();
        assertThat(explanationContaining(answer, "nested")).contains("off");
        assertRunsOnEveryHost(answer, mixed);

        // No host has vmx: nothing to take away, nothing said about it.
        List<PolicyHost> atoms = all(host("d510", ATOM_D510), host("n450", ATOM_N450));
        PolicyRecommendation none = recommender.recommend(atoms, CpuPolicy.DEFAULT, false);
        assertThat(policies(none.cpu())).noneMatch(p -> p.endsWith(":vmx"));
        assertThat(none.nested().hostsWithoutFlag()).containsExactly("d510", "n450");

        // AMD: svm is in the EPYC model itself, and still taken away.
        PolicyRecommendation amd =
                recommender.recommend(all(host("a", EPYC), host("b", EPYC)), CpuPolicy.DEFAULT, false);
        assertThat(amd.nested().flag()).isEqualTo("svm");
        assertThat(policies(amd.cpu())).contains("disable:svm");
        assertThat(guestFeatures(amd.cpu())).doesNotContain("svm");
    }

    @Test
    void nestedAllowedGivesTheFlagWhenEveryHostIsReady() {
        List<PolicyHost> hosts = all(host("a", IVY_BRIDGE), host("b", IVY_BRIDGE), host("c", HASWELL));

        PolicyRecommendation answer = recommender.recommend(hosts, nested(CpuPolicy.DEFAULT, Nested.ALLOWED), false);

        assertThat(policies(answer.cpu())).contains("require:vmx").doesNotContain("disable:vmx");
        assertThat(answer.nested().provided()).isTrue();
        assertThat(answer.nested().flag()).isEqualTo("vmx");
        assertThat(answer.nested().readyHosts()).containsExactly("a", "b", "c");
        assertThat(answer.nested().hostsToFix()).isEmpty();
        assertThat(answer.nested().hostsWithoutFlag()).isEmpty();
        assertNoWarningButPhysicalViews(answer);
        assertRunsOnEveryHost(answer, hosts);

        PolicyRecommendation required = recommender.recommend(hosts, strictlyRequired(CpuPolicy.DEFAULT), false);
        assertThat(required.cpu()).isEqualTo(answer.cpu());
    }

    @Test
    void nestedAllowedNamesHostsWithoutVmxAndGivesIntelFixCommands() {
        List<PolicyHost> hosts = all(
                host("pentium", PENTIUM_NO_VMX),
                host("off", WESTMERE).withNested(NestedState.DISABLED),
                host("unknown", WESTMERE).withNested(NestedState.UNKNOWN),
                host("ready", WESTMERE));

        PolicyRecommendation answer = recommender.recommend(hosts, nested(CpuPolicy.DEFAULT, Nested.ALLOWED), false);

        PolicyRecommendation.NestedReport nested = answer.nested();
        assertThat(nested.requested()).isEqualTo("allowed");
        assertThat(nested.flag()).isEqualTo("vmx");
        assertThat(nested.provided()).isFalse();
        assertThat(nested.hostsWithoutFlag()).containsExactly("pentium");
        assertThat(nested.readyHosts()).containsExactly("ready");
        assertThat(nested.hostsToFix()).extracting(NestedFix::host).containsExactly("off", "unknown");
        assertThat(nested.hostsToFix())
                .extracting(NestedFix::nestedState)
                .containsExactly(NestedState.DISABLED, NestedState.UNKNOWN);
        for (NestedFix fix : nested.hostsToFix()) {
            assertThat(commands(fix)).as("commands for %s", fix.host()).isEqualTo(INTEL_FIX);
        }
        assertThat(guestFeatures(answer.cpu())).doesNotContain("vmx");
        assertThat(explanationContaining(answer, "nested"))
                .contains("pentium")
                .contains("off")
                .contains("unknown");
        // Allowed, not required: nothing to warn about.
        assertNoWarningButPhysicalViews(answer);
        assertRunsOnEveryHost(answer, hosts);
    }

    @Test
    void nestedNotProvidedMeansTheGuestDoesNotGetTheFlag() {
        // Every host has vmx, one has nested disabled: the answer says guests do not get vmx, so the guest CPU
        // must not give it (else guests see vmx where kvm_intel cannot run their own guests, and the answer
        // contradicts itself). All cases are checked before the test fails.
        SoftAssertions softly = new SoftAssertions();
        List<PolicyHost> intel = all(
                host("ready", WESTMERE).withMicrocode("7"),
                host("off", WESTMERE).withMicrocode("7").withNested(NestedState.DISABLED));
        for (Nested level : List.of(Nested.ALLOWED, Nested.REQUIRED)) {
            PolicyRecommendation answer = recommender.recommend(intel, nested(CpuPolicy.DEFAULT, level), false);
            assertThat(answer.nested().provided()).isFalse();
            assertThat(explanationContaining(answer, "nested")).contains("guests do not get vmx");
            softly.assertThat(guestFeatures(answer.cpu()))
                    .as("custom guest CPU for nested %s: %s", level, policies(answer.cpu()))
                    .doesNotContain("vmx");
        }

        // AMD: the EPYC model itself carries svm.
        List<PolicyHost> amd = all(host("ready", EPYC), host("unknown", EPYC).withNested(NestedState.UNKNOWN));
        PolicyRecommendation answer = recommender.recommend(amd, nested(CpuPolicy.DEFAULT, Nested.ALLOWED), false);
        assertThat(answer.nested().provided()).isFalse();
        softly.assertThat(guestFeatures(answer.cpu()))
                .as("custom guest CPU: %s %s", answer.cpu().model(), policies(answer.cpu()))
                .doesNotContain("svm");

        // Identical hosts under goal performance: host-passthrough shows vmx wherever kvm_intel nests, so the answer
        // must hide it, as it does with nested off.
        PolicyRecommendation passthrough =
                recommender.recommend(intel, nested(policy(Goal.PERFORMANCE), Nested.ALLOWED), false);
        assertThat(passthrough.cpu().mode()).isEqualTo(GuestCpu.Mode.HOST_PASSTHROUGH);
        assertThat(passthrough.nested().provided()).isFalse();
        softly.assertThat(policies(passthrough.cpu()))
                .as("host-passthrough features")
                .contains("disable:vmx");
        softly.assertAll();
    }

    @Test
    void nestedFixCommandsForAmd() {
        List<PolicyHost> hosts = all(
                host("ready", EPYC),
                host("unknown", EPYC).withNested(NestedState.UNKNOWN),
                host("off", EPYC).withNested(NestedState.DISABLED));

        PolicyRecommendation answer = recommender.recommend(hosts, nested(CpuPolicy.DEFAULT, Nested.REQUIRED), false);

        assertThat(answer.nested().flag()).isEqualTo("svm");
        assertThat(answer.nested().readyHosts()).containsExactly("ready");
        assertThat(answer.nested().hostsToFix()).extracting(NestedFix::host).containsExactly("unknown", "off");
        for (NestedFix fix : answer.nested().hostsToFix()) {
            assertThat(commands(fix)).as("commands for %s", fix.host()).isEqualTo(AMD_FIX);
        }
        assertThat(answer.warnings())
                .anySatisfy(w -> assertThat(w)
                        .contains("svm")
                        .contains("kvm_amd")
                        .contains("unknown")
                        .contains("off"));

        // Once every host is fixed, guests get svm.
        List<PolicyHost> fixed = all(host("ready", EPYC), host("unknown", EPYC), host("off", EPYC));
        PolicyRecommendation provided = recommender.recommend(fixed, nested(CpuPolicy.DEFAULT, Nested.REQUIRED), false);
        assertThat(provided.nested().provided()).isTrue();
        assertThat(guestFeatures(provided.cpu())).contains("svm");
        assertNoWarningButPhysicalViews(provided);
    }

    @Test
    void nestedRequiredAndStrictRefusesNamingTheHostsInTheWay() {
        List<PolicyHost> hosts = all(
                host("pentium", PENTIUM_NO_VMX),
                host("off", WESTMERE).withNested(NestedState.DISABLED),
                host("ready", WESTMERE));

        PolicyConflictException conflict = catchThrowableOfType(
                () -> recommender.recommend(hosts, strictlyRequired(CpuPolicy.DEFAULT), false),
                PolicyConflictException.class);

        assertThat(conflict).isNotNull();
        assertThat(conflict.hosts()).containsExactlyInAnyOrder("pentium", "off");
        assertThat(conflict.getMessage()).contains("pentium").contains("off").doesNotContain("ready");
    }

    @Test
    void nestedRequiredWithoutStrictWarnsInstead() {
        List<PolicyHost> hosts = all(host("pentium", PENTIUM_NO_VMX), host("ready", WESTMERE));

        PolicyRecommendation answer = recommender.recommend(hosts, nested(CpuPolicy.DEFAULT, Nested.REQUIRED), false);

        assertThat(answer.nested().provided()).isFalse();
        assertThat(answer.nested().hostsWithoutFlag()).containsExactly("pentium");
        assertThat(answer.warnings())
                .anySatisfy(
                        w -> assertThat(w).contains("required").contains("vmx").contains("pentium"));
        assertThat(guestFeatures(answer.cpu())).doesNotContain("vmx");
        assertRunsOnEveryHost(answer, hosts);
    }

    @Test
    void nestedFlagIsGivenOnlyWhereTheHypervisorCanGiveIt() {
        // Physically Haswells with vmx and nested enabled, but the hypervisor (QEMU KVM in a VM here) gives guests
        // kvm64
        // without vmx: a guest CPU requiring vmx would not start there.
        CpuDescription kvm64 = hypervisorView(KVM64_VIEW);
        List<PolicyHost> hosts = all(
                host("a", HASWELL_XEON).withHypervisorCpu(kvm64),
                host("b", HASWELL_XEON).withHypervisorCpu(kvm64));

        PolicyRecommendation answer = recommender.recommend(hosts, nested(CpuPolicy.DEFAULT, Nested.ALLOWED), false);

        assertThat(answer.cpu().mode()).isEqualTo(GuestCpu.Mode.CUSTOM);
        assertRunsOnEveryHost(answer, hosts);
        assertThat(answer.nested().provided()).isFalse();
    }

    // ---- mitigations ---------------------------------------------------------------------------------------------

    @Test
    void disablingSpecCtrlRendersDisableAndNamesSpectreV2() {
        List<PolicyHost> hosts = all(host("a", HASWELL_IBRS), host("b", HASWELL_IBRS));
        assertThat(guestFeatures(
                        recommender.recommend(hosts, CpuPolicy.DEFAULT, false).cpu()))
                .contains("spec-ctrl");

        PolicyRecommendation answer = recommender.recommend(hosts, disabling(CpuPolicy.DEFAULT, "spec-ctrl"), false);

        GuestCpu cpu = answer.cpu();
        assertThat(cpu.model()).isEqualTo("Haswell-noTSX-IBRS");
        assertThat(policies(cpu)).contains("disable:spec-ctrl").doesNotContain("require:spec-ctrl");
        assertThat(guestFeatures(cpu)).doesNotContain("spec-ctrl").contains("stibp");
        assertThat(answer.warnings())
                .anySatisfy(w -> assertThat(w).contains("spec-ctrl").contains("Spectre variant 2"));
        assertThat(explanationContaining(answer, "mitigations")).contains("spec-ctrl");
        assertThat(CpuDefinition.parse(renderer.libvirtXml(cpu)).disabledFeatureNames())
                .contains("spec-ctrl");
        assertThat(renderer.novaConf(cpu).text()).contains("-spec-ctrl");
        assertRunsOnEveryHost(answer, hosts);
    }

    @Test
    void disablingSpecCtrlOnHostModelIsTheSeedsConfiguration() {
        // <cpu mode='host-model'> ... <feature policy='disable' name='spec-ctrl'/>, on Broadwell-IBRS hosts.
        CpuDescription view = hypervisorView(BROADWELL_IBRS_GUEST);
        List<PolicyHost> hosts = all(
                host("a", BROADWELL_IBRS).withHypervisorCpu(view),
                host("b", BROADWELL_IBRS).withHypervisorCpu(view));

        PolicyRecommendation answer = recommender.recommend(
                hosts, disabling(nested(policy(Goal.BALANCED), Nested.ALLOWED), "spec-ctrl"), false);

        assertThat(answer.cpu().mode()).isEqualTo(GuestCpu.Mode.HOST_MODEL);
        assertThat(policies(answer.cpu())).containsExactlyInAnyOrder("require:vmx", "disable:spec-ctrl");
        assertThat(answer.warnings()).anySatisfy(w -> assertThat(w).contains("Spectre variant 2"));
        CpuDefinition xml = CpuDefinition.parse(renderer.libvirtXml(answer.cpu()));
        assertThat(xml.mode()).isEqualTo("host-model");
        assertThat(xml.disabledFeatureNames()).containsExactly("spec-ctrl");
    }

    @Test
    void requiredMitigationsAreEveryMitigationTheHostsShare() {
        List<PolicyHost> hosts = all(host("a", SKYLAKE_MD_CLEAR), host("b", SKYLAKE_MD_CLEAR));

        PolicyRecommendation answer = recommender.recommend(hosts, CpuPolicy.DEFAULT, false);

        assertThat(guestFeatures(answer.cpu())).contains("spec-ctrl", "ssbd", "md-clear");
        assertThat(explanationContaining(answer, "mitigations required"))
                .contains("spec-ctrl")
                .contains("ssbd")
                .contains("md-clear");
        assertThat(policies(answer.cpu()))
                .noneMatch(p ->
                        p.startsWith("disable:") && MitigationFeatures.isMitigation(p.substring("disable:".length())));
        assertNoWarningButPhysicalViews(answer);

        // Disabling several: each one is withheld and each exposure named.
        PolicyRecommendation disabled =
                recommender.recommend(hosts, disabling(CpuPolicy.DEFAULT, "spec-ctrl", "ssbd", "md-clear"), false);
        assertThat(policies(disabled.cpu())).contains("disable:spec-ctrl", "disable:ssbd", "disable:md-clear");
        assertThat(guestFeatures(disabled.cpu())).doesNotContain("spec-ctrl", "ssbd", "md-clear");
        assertThat(disabled.warnings())
                .anySatisfy(w -> assertThat(w).contains("ssbd").contains("Speculative Store Bypass"));
        assertThat(disabled.warnings())
                .anySatisfy(w -> assertThat(w).contains("md-clear").contains("MDS"));

        // Hosts that share no mitigation: said so.
        PolicyRecommendation none =
                recommender.recommend(all(host("a", IVY_BRIDGE), host("b", HASWELL)), CpuPolicy.DEFAULT, false);
        assertThat(explanationContaining(none, "mitigations required")).contains("no mitigation");
    }

    // ---- minimum and pinned model ----------------------------------------------------------------------------------

    @Test
    void minimumModelBelowTheHostsChangesNothing() {
        List<PolicyHost> hosts = all(host("haswell", HASWELL), host("ivy", IVY_BRIDGE));
        PolicyRecommendation plain = recommender.recommend(hosts, CpuPolicy.DEFAULT, false);
        for (String minimum : List.of("SandyBridge", "IvyBridge", "Westmere")) {
            PolicyRecommendation answer = recommender.recommend(hosts, minimum(CpuPolicy.DEFAULT, minimum), false);
            assertThat(answer.cpu()).as("minimum %s", minimum).isEqualTo(plain.cpu());
            assertThat(answer.cpu().model()).isEqualTo("IvyBridge");
        }
    }

    @Test
    void minimumModelAboveTheHostsIsAConflictNamingTheHosts() {
        List<PolicyHost> hosts = all(host("haswell", HASWELL), host("xeon", HASWELL_XEON), host("ivy", IVY_BRIDGE));

        PolicyConflictException conflict = catchThrowableOfType(
                () -> recommender.recommend(hosts, minimum(CpuPolicy.DEFAULT, "Haswell-noTSX"), false),
                PolicyConflictException.class);

        assertThat(conflict).isNotNull();
        assertThat(conflict.hosts()).containsExactly("ivy");
        assertThat(conflict.getMessage())
                .contains("Haswell-noTSX")
                .contains("avx2")
                .contains("ivy")
                .doesNotContain("xeon");

        // Whatever the goal.
        assertThatThrownBy(
                        () -> recommender.recommend(hosts, minimum(policy(Goal.PERFORMANCE), "Haswell-noTSX"), false))
                .isInstanceOf(PolicyConflictException.class);
    }

    // ---- x86-64 microarchitecture levels -------------------------------------------------------------------------

    @Test
    void theRecommendationReachesTheLevelOfItsModelPlusRequiredFeatures() {
        // Haswell-noTSX alone is x86-64-v2 (no f16c, abm); both Haswells have f16c and abm on top: x86-64-v3, the
        // guest CPU asks for them, and no host reaches x86-64-v4.
        PolicyRecommendation answer =
                recommender.recommend(all(host("xeon", HASWELL_XEON), host("desk", HASWELL)), CpuPolicy.DEFAULT, false);
        assertThat(answer.cpu().model()).isEqualTo("Haswell-noTSX");
        assertThat(policies(answer.cpu())).contains("require:f16c", "require:abm");
        assertThat(answer.level()).isEqualTo(new PolicyRecommendation.LevelReport("x86-64-v3", null, List.of()));
    }

    @Test
    void aLostLevelNamesTheHostsBelowIt() {
        // Ivy Bridge (x86-64-v2: no avx2, bmi1, bmi2, fma, movbe, abm) holds two x86-64-v3 Haswells down to v2.
        PolicyRecommendation answer = recommender.recommend(
                all(host("xeon", HASWELL_XEON), host("ivy", IVY_BRIDGE), host("desk", HASWELL)),
                CpuPolicy.DEFAULT,
                false);
        assertThat(answer.level())
                .isEqualTo(new PolicyRecommendation.LevelReport("x86-64-v2", "x86-64-v3", List.of("ivy")));
        assertThat(explanationContaining(answer, "x86-64-v3 is lost"))
                .contains("host ivy")
                .contains("avx2");
    }

    @Test
    void minimumLevelMetChangesNothing() {
        List<PolicyHost> hosts = all(host("xeon", HASWELL_XEON), host("ivy", IVY_BRIDGE));
        PolicyRecommendation plain = recommender.recommend(hosts, CpuPolicy.DEFAULT, false);
        for (MicroarchitectureLevel level : List.of(MicroarchitectureLevel.BASELINE, MicroarchitectureLevel.V2)) {
            assertThat(recommender
                            .recommend(hosts, minimumLevel(CpuPolicy.DEFAULT, level), false)
                            .cpu())
                    .isEqualTo(plain.cpu());
        }
    }

    @Test
    void minimumLevelAboveTheHostsIsAConflictNamingTheHostsBelowIt() {
        List<PolicyHost> hosts = all(host("xeon", HASWELL_XEON), host("ivy", IVY_BRIDGE), host("desk", HASWELL));
        for (Goal goal : Goal.values()) {
            PolicyConflictException conflict = catchThrowableOfType(
                    () -> recommender.recommend(hosts, minimumLevel(policy(goal), MicroarchitectureLevel.V3), false),
                    PolicyConflictException.class);
            assertThat(conflict).as("goal %s", goal).isNotNull();
            assertThat(conflict.hosts()).containsExactly("ivy");
            assertThat(conflict.getMessage())
                    .contains("x86-64-v3")
                    .contains("avx2")
                    .contains("ivy (x86-64-v2)")
                    .doesNotContain("xeon")
                    .doesNotContain("desk");
        }
        // The Haswells alone meet it.
        assertThat(recommender
                        .recommend(
                                all(host("xeon", HASWELL_XEON), host("desk", HASWELL)),
                                minimumLevel(CpuPolicy.DEFAULT, MicroarchitectureLevel.V3),
                                false)
                        .level()
                        .level())
                .isEqualTo("x86-64-v3");
    }

    @Test
    void aPinnedModelCountsWithTheFeaturesRequiredOnTopOfIt() {
        // IvyBridge alone is x86-64-v2, but pinned on Haswells it comes with every feature they share on top
        // (avx2, bmi1, bmi2, fma, movbe, abm …): the guest CPU reaches x86-64-v3 and meets that minimum.
        PolicyRecommendation answer = recommender.recommend(
                all(host("xeon", HASWELL_XEON), host("desk", HASWELL)),
                minimumLevel(pinned(CpuPolicy.DEFAULT, "IvyBridge"), MicroarchitectureLevel.V3),
                false);
        assertThat(answer.cpu().model()).isEqualTo("IvyBridge");
        assertThat(policies(answer.cpu())).contains("require:avx2", "require:movbe", "require:abm");
        assertThat(answer.level().level()).isEqualTo("x86-64-v3");
    }

    @Test
    void pinnedModelIsKeptAndHostsThatCannotRunItAreNamed() {
        PolicyHosts haswell = host("haswell", HASWELL);
        PolicyHosts ivy = host("ivy", IVY_BRIDGE);
        List<PolicyHost> hosts = all(haswell, ivy);

        PolicyRecommendation answer = recommender.recommend(hosts, pinned(CpuPolicy.DEFAULT, "Haswell-noTSX"), false);

        assertThat(answer.cpu().mode()).isEqualTo(GuestCpu.Mode.CUSTOM);
        assertThat(answer.cpu().model()).isEqualTo("Haswell-noTSX");
        CpuModel model = CATALOG.model("Haswell-noTSX").orElseThrow();
        FeatureSet ivyFeatures = calculator.expand(ivy.cpu());
        assertThat(answer.hostsThatCannotRun())
                .containsExactly(
                        new HostGap("ivy", CATALOG.featureNames(model.features().minus(ivyFeatures))));
        assertThat(answer.hostsThatCannotRun().get(0).missingFeatures()).contains("avx2", "fma", "bmi1", "bmi2");
        assertThat(answer.warnings())
                .anySatisfy(w ->
                        assertThat(w).contains("ivy").contains("Haswell-noTSX").doesNotContain("haswell,"));
        assertThat(explanationContaining(answer, "pinned")).contains("Haswell-noTSX");
        // It runs where the hosts can run it, and nowhere else.
        Set<String> guest = guestFeatures(answer.cpu());
        assertThat(names(calculator.expand(haswell.cpu()))).containsAll(guest);
        assertThat(names(ivyFeatures))
                .doesNotContainAnyElementsOf(answer.hostsThatCannotRun().get(0).missingFeatures());

        // Pinned to a model every host runs: nobody named.
        PolicyRecommendation below = recommender.recommend(hosts, pinned(CpuPolicy.DEFAULT, "SandyBridge"), false);
        assertThat(below.cpu().model()).isEqualTo("SandyBridge");
        assertThat(below.hostsThatCannotRun()).isEmpty();
        assertNoWarningButPhysicalViews(below);
        assertRunsOnEveryHost(below, hosts);
    }

    // ---- which models may be chosen -----------------------------------------------------------------------------

    @Test
    void usableModelsEveryHostReportsRestrictTheChoice() {
        List<String> withoutHaswell =
                List.of("qemu64", "kvm64", "Conroe", "Penryn", "Nehalem", "Westmere", "SandyBridge", "IvyBridge");
        List<String> withHaswell = new ArrayList<>(withoutHaswell);
        withHaswell.add("Haswell-noTSX");
        PolicyHosts a = host("a", HASWELL).withUsableModels(withHaswell);
        PolicyHosts b = host("b", HASWELL_XEON).withUsableModels(withoutHaswell);

        PolicyRecommendation unrestricted =
                recommender.recommend(all(host("a", HASWELL), host("b", HASWELL_XEON)), CpuPolicy.DEFAULT, false);
        assertThat(unrestricted.cpu().model()).isEqualTo("Haswell-noTSX");

        List<PolicyHost> hosts = all(a, b);
        PolicyRecommendation answer = recommender.recommend(hosts, CpuPolicy.DEFAULT, false);

        assertThat(answer.cpu().model())
                .isNotEqualTo("Haswell-noTSX")
                .isIn(withoutHaswell)
                .isEqualTo("IvyBridge");
        // Another name for the same guest: what the hosts share, the same features.
        assertThat(guestFeatures(answer.cpu())).isEqualTo(guestFeatures(unrestricted.cpu()));
        assertThat(explanationContaining(answer, "candidate models")).contains("usable");
        assertRunsOnEveryHost(answer, hosts);

        // One host did not say: no restriction.
        PolicyRecommendation partly = recommender.recommend(all(a, host("b", HASWELL_XEON)), CpuPolicy.DEFAULT, false);
        assertThat(partly.cpu().model()).isEqualTo("Haswell-noTSX");
    }

    @Test
    void obsoleteModelIsNeverChosenUnlessPinned() {
        List<PolicyHost> hosts = all(host("d510", ATOM_D510), host("n450", ATOM_N450));
        // libvirt's own baseline of the two Atoms is n270.
        assertThat(calculator
                        .baseline(
                                hosts.stream()
                                        .map(h -> new NamedCpu(h.name(), h.cpu()))
                                        .toList(),
                                false,
                                false)
                        .model())
                .isEqualTo("n270");

        PolicyRecommendation answer = recommender.recommend(hosts, CpuPolicy.DEFAULT, false);

        assertThat(answer.cpu().model()).isNotEqualTo("n270").isNotIn(OBSOLETE);
        // core2duo has monitor, which KVM never gives guests: the newest model the Atoms' guests can get is Conroe.
        assertThat(answer.cpu().model()).isEqualTo("Conroe");
        assertRunsOnEveryHost(answer, hosts);
        for (Goal goal : Goal.values()) {
            assertThat(recommender.recommend(hosts, policy(goal), false).cpu().model())
                    .as("goal %s", goal)
                    .isNotIn(OBSOLETE);
        }

        PolicyRecommendation pinned = recommender.recommend(hosts, pinned(CpuPolicy.DEFAULT, "n270"), false);
        assertThat(pinned.cpu().model()).isEqualTo("n270");
        // n270 has monitor, which KVM never gives a guest: pinned anyway, and the hosts are named with what they lack.
        assertThat(pinned.hostsThatCannotRun())
                .extracting(PolicyRecommendation.HostGap::host)
                .containsExactly("d510", "n450");
        assertThat(pinned.hostsThatCannotRun())
                .allSatisfy(g -> assertThat(g.missingFeatures()).containsExactly("monitor"));

        // Without an obsolete list the engine gives libvirt's answer.
        assertThat(new PolicyRecommender(CATALOG, VISIBILITY, Set.of())
                        .recommend(hosts, CpuPolicy.DEFAULT, false)
                        .cpu()
                        .model())
                .isEqualTo("n270");
    }

    @Test
    void expandedFormListsEveryFeatureOfTheSameGuest() {
        List<PolicyHost> hosts = all(host("haswell", HASWELL), host("ivy", IVY_BRIDGE));
        CpuPolicy policy = disabling(CpuPolicy.DEFAULT, "spec-ctrl");
        GuestCpu brief = recommender.recommend(hosts, policy, false).cpu();

        GuestCpu expanded = recommender.recommend(hosts, policy, true).cpu();

        assertThat(expanded.model()).isEqualTo(brief.model());
        assertThat(expanded.features()).hasSizeGreaterThan(45);
        CpuModel model = CATALOG.model(expanded.model()).orElseThrow();
        assertThat(expanded.featureNames(FeaturePolicy.REQUIRE))
                .containsAll(CATALOG.featureNames(model.features()).stream()
                        .filter(f -> !f.equals("vmx"))
                        .toList());
        assertThat(new TreeSet<>(expanded.featureNames(FeaturePolicy.REQUIRE))).isEqualTo(guestFeatures(brief));
        assertThat(expanded.featureNames(FeaturePolicy.DISABLE)).containsExactlyInAnyOrder("vmx", "spec-ctrl");
        List<String> names = expanded.features().stream().map(CpuFeature::name).toList();
        assertThat(names).isSorted();
        assertThat(guestFeatures(expanded)).isEqualTo(guestFeatures(brief));
    }

    /** The engine's law on many real pairs and triples: a named model runs on every host it was computed from. */
    @Test
    void everyNamedModelRunsOnEveryHost() {
        List<CpuFixtures.Fixture> fixtures = CpuFixtures.accepted().stream()
                .filter(f -> f.kind().equals("host"))
                .toList();
        CpuPolicy policy = disabling(nested(CpuPolicy.DEFAULT, Nested.ALLOWED), "spec-ctrl");
        int checked = 0;
        for (int i = 0; i < fixtures.size(); i++) {
            for (int span : new int[] {1, 2, 5}) {
                List<PolicyHost> hosts = new ArrayList<>();
                hosts.add(host("h0", fixtures.get(i).file()).toPolicyHost());
                for (int k = 1; k <= 2; k++) {
                    CpuFixtures.Fixture other = fixtures.get((i + k * span) % fixtures.size());
                    if (other.vendor().equals(fixtures.get(i).vendor())) {
                        hosts.add(host("h" + k, other.file()).toPolicyHost());
                    }
                }
                PolicyRecommendation answer;
                try {
                    answer = recommender.recommend(hosts, policy, false);
                } catch (BaselineRefusedException e) {
                    assertThat(e.reason())
                            .as(e.getMessage())
                            .isEqualTo(BaselineRefusedException.Reason.NO_SUITABLE_MODEL);
                    continue;
                }
                assertThat(answer.cpu().model()).isNotIn(OBSOLETE);
                assertThat(policies(answer.cpu())).contains("disable:spec-ctrl");
                assertRunsOnEveryHost(answer, hosts);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static CpuPolicy policy(Goal goal) {
        return CpuPolicy.of(goal, Nested.OFF);
    }

    private static CpuPolicy nested(CpuPolicy p, Nested nested) {
        return new CpuPolicy(
                p.goal(), nested, false, p.mitigations(), p.disabledMitigations(), p.minimumModel(), p.pinnedModel());
    }

    private static CpuPolicy strictlyRequired(CpuPolicy p) {
        return new CpuPolicy(
                p.goal(),
                Nested.REQUIRED,
                true,
                p.mitigations(),
                p.disabledMitigations(),
                p.minimumModel(),
                p.pinnedModel());
    }

    private static CpuPolicy disabling(CpuPolicy p, String... mitigations) {
        return new CpuPolicy(
                p.goal(),
                p.nested(),
                p.strict(),
                MitigationMode.DISABLE,
                List.of(mitigations),
                p.minimumModel(),
                p.pinnedModel());
    }

    private static CpuPolicy minimum(CpuPolicy p, String model) {
        return new CpuPolicy(
                p.goal(), p.nested(), p.strict(), p.mitigations(), p.disabledMitigations(), model, p.pinnedModel());
    }

    private static CpuPolicy minimumLevel(CpuPolicy p, MicroarchitectureLevel level) {
        return new CpuPolicy(
                p.goal(),
                p.nested(),
                p.strict(),
                p.mitigations(),
                p.disabledMitigations(),
                p.minimumModel(),
                p.pinnedModel(),
                level,
                p.machineType());
    }

    private static CpuPolicy pinned(CpuPolicy p, String model) {
        return new CpuPolicy(
                p.goal(), p.nested(), p.strict(), p.mitigations(), p.disabledMitigations(), p.minimumModel(), model);
    }

    /** {@code policy:name} of each listed feature, in order. */
    private static List<String> policies(GuestCpu cpu) {
        return cpu.features().stream()
                .map(f -> f.policy().libvirtName() + ":" + f.name())
                .toList();
    }

    /** What a custom guest CPU gives: its model's features plus the required minus the disabled ones. */
    private static Set<String> guestFeatures(GuestCpu cpu) {
        assertThat(cpu.mode()).as("a named model").isEqualTo(GuestCpu.Mode.CUSTOM);
        CpuModel model = CATALOG.model(cpu.model()).orElseThrow();
        FeatureSet set = model.features()
                .union(CATALOG.featureSet(cpu.featureNames(FeaturePolicy.REQUIRE)))
                .minus(CATALOG.featureSet(cpu.featureNames(FeaturePolicy.DISABLE)));
        return names(set);
    }

    private static Set<String> names(FeatureSet set) {
        return new TreeSet<>(CATALOG.featureNames(set));
    }

    /** What a guest can get on the host: its hypervisor's view when it sent one, else its reduced physical CPU. */
    private Set<String> hostFeatures(PolicyHost host) {
        return names(calculator.expand(
                VISIBILITY.of(host.cpu(), host.hypervisorCpu()).cpu()));
    }

    /**
     * A custom answer runs on every host: each feature the guest gets, each host's hypervisor can give. For the
     * host modes, what the policy requires on top must be on every host.
     */
    private void assertRunsOnEveryHost(PolicyRecommendation answer, List<PolicyHost> hosts) {
        GuestCpu cpu = answer.cpu();
        Set<String> needed = cpu.mode() == GuestCpu.Mode.CUSTOM
                ? guestFeatures(cpu)
                : new TreeSet<>(cpu.featureNames(FeaturePolicy.REQUIRE));
        for (PolicyHost host : hosts) {
            Set<String> missing = new TreeSet<>(needed);
            missing.removeAll(hostFeatures(host));
            assertThat(missing)
                    .as(
                            "features of the guest CPU (%s %s) that host %s cannot give",
                            cpu.mode(), cpu.model(), host.name())
                    .isEmpty();
        }
    }

    /** Hosts built from physical CPUs get the one warning that says so; nothing else may be warned about. */
    private static void assertNoWarningButPhysicalViews(PolicyRecommendation answer) {
        assertThat(answer.warnings()).allSatisfy(w -> assertThat(w).contains("sent no hypervisor view"));
    }

    private static String explanationContaining(PolicyRecommendation answer, String words) {
        return answer.explanations().stream()
                .filter(e -> e.contains(words))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no explanation with '" + words + "' in " + answer.explanations()));
    }

    /** The fix commands as typed in a shell, without their trailing comments. */
    private static List<String> commands(NestedFix fix) {
        return fix.commands().stream().map(c -> c.replaceFirst("\\s+#.*$", "")).toList();
    }
}
