package io.fleetcpu.libvirtxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CpuDefinitionTest {

    private static final Map<String, TestDocuments.ManifestEntry> MANIFEST = TestDocuments.manifest();

    static List<String> hostAndGuestFiles() {
        return java.util.stream.Stream.concat(TestDocuments.hostFiles().stream(), TestDocuments.guestFiles().stream())
                .toList();
    }

    @Test
    void allRealFilesAreThere() {
        assertThat(TestDocuments.hostFiles()).hasSize(61 + 7 + 14);
        assertThat(TestDocuments.guestFiles()).hasSize(61);
    }

    @ParameterizedTest
    @MethodSource("hostAndGuestFiles")
    void everyRealHostAndGuestFileParsesAndAgreesWithTheManifest(String file) {
        CpuDefinition cpu = CpuDefinition.parse(TestDocuments.read("cpudata/" + file));
        TestDocuments.ManifestEntry expected = MANIFEST.get(file);

        assertThat(expected).as("MANIFEST.tsv line for " + file).isNotNull();
        assertThat(cpu.vendor()).isEqualTo(expected.vendor());
        assertThat(cpu.model()).isEqualTo(expected.model());
        assertThat(cpu.features()).hasSize(expected.featuresListed());
        String signature = cpu.signature() == null
                ? "-"
                : cpu.signature().family() + "/" + cpu.signature().model() + "/"
                        + cpu.signature().stepping();
        assertThat(signature).isEqualTo(expected.signature());
        assertThat(cpu.requiredFeatureNames().size()
                        + cpu.disabledFeatureNames().size())
                .isEqualTo(cpu.features().size());

        if (file.endsWith("-host.xml")) {
            assertThat(cpu.arch()).isEqualTo("x86_64");
            assertThat(cpu.mode()).isNull();
            assertThat(cpu.features()).allSatisfy(f -> assertThat(f.policy()).isNull());
        } else {
            assertThat(cpu.arch()).isNull();
            assertThat(cpu.mode()).isEqualTo("custom");
            assertThat(cpu.match()).isEqualTo("exact");
            assertThat(cpu.modelFallback()).isEqualTo("forbid");
            assertThat(cpu.features()).allSatisfy(f -> assertThat(f.policy()).isNotNull());
        }
    }

    @Test
    void hostFileOf9_9_0() {
        CpuDefinition cpu =
                CpuDefinition.parse(TestDocuments.read("cpudata/libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v3-host.xml"));

        assertThat(cpu.arch()).isEqualTo("x86_64");
        assertThat(cpu.model()).isEqualTo("Haswell-noTSX");
        assertThat(cpu.vendor()).isEqualTo("Intel");
        assertThat(cpu.signature()).isEqualTo(new CpuSignature(6, 63, 2));
        assertThat(cpu.microcodeVersion()).isNull();
        assertThat(cpu.features()).first().isEqualTo(CpuFeature.present("vme"));
        assertThat(cpu.requiredFeatureNames())
                .contains("vmx", "invtsc", "pdpe1gb")
                .hasSize(27);
        assertThat(cpu.disabledFeatureNames()).isEmpty();
    }

    @Test
    void hostFileOf5_6_0HasNoSignature() {
        CpuDefinition cpu =
                CpuDefinition.parse(TestDocuments.read("cpudata/libvirt-5.6.0/x86_64-cpuid-Xeon-E7540-host.xml"));

        assertThat(cpu.model()).isEqualTo("Nehalem-IBRS");
        assertThat(cpu.signature()).isNull();
        assertThat(cpu.requiredFeatureNames()).contains("ssbd", "stibp", "vmx");
    }

    @Test
    void guestFileWithDisabledFeature() {
        CpuDefinition cpu = CpuDefinition.parse(
                TestDocuments.read("cpudata/libvirt-9.9.0/x86_64-cpuid-EPYC-7601-32-Core-ibpb-guest.xml"));

        assertThat(cpu.model()).isEqualTo("EPYC-IBPB");
        assertThat(cpu.vendor()).isEqualTo("AMD");
        assertThat(cpu.disabledFeatureNames()).containsExactly("rdtscp");
        assertThat(cpu.requiredFeatureNames())
                .startsWith("ht", "monitor")
                .contains("svm-lock", "vgif")
                .doesNotContain("rdtscp");
        assertThat(cpu.features()).contains(new CpuFeature("rdtscp", FeaturePolicy.DISABLE));
    }

    @Test
    void guestFilesWithDisabledFeaturesAreTheSevenTheReadmeCounts() {
        long withDisabled = TestDocuments.guestFiles().stream()
                .map(f -> CpuDefinition.parse(TestDocuments.read("cpudata/" + f)))
                .filter(cpu -> !cpu.disabledFeatureNames().isEmpty())
                .count();
        assertThat(withDisabled).isEqualTo(7);
    }

    @Test
    void everyPolicyAndModeIsRead() {
        CpuDefinition cpu = CpuDefinition.parse("""
                <cpu mode='host-model' match='minimum' check='partial'>
                  <model fallback='allow'>SandyBridge</model>
                  <topology sockets='2' dies='1' cores='4' threads='2'/>
                  <feature policy='force' name='vmx'/>
                  <feature policy='require' name='pcid'/>
                  <feature policy='optional' name='ssbd'/>
                  <feature policy='disable' name='spec-ctrl'/>
                  <feature policy='forbid' name='hle'/>
                  <feature name='aes'/>
                </cpu>
                """);

        assertThat(cpu.mode()).isEqualTo("host-model");
        assertThat(cpu.match()).isEqualTo("minimum");
        assertThat(cpu.modelFallback()).isEqualTo("allow");
        assertThat(cpu.topology()).isEqualTo(new CpuTopology(2, 1, null, 4, 2));
        assertThat(cpu.topology().logicalCpus()).isEqualTo(16);
        assertThat(cpu.features())
                .extracting(CpuFeature::policy)
                .containsExactly(
                        FeaturePolicy.FORCE,
                        FeaturePolicy.REQUIRE,
                        FeaturePolicy.OPTIONAL,
                        FeaturePolicy.DISABLE,
                        FeaturePolicy.FORBID,
                        null);
        assertThat(cpu.requiredFeatureNames()).containsExactly("vmx", "pcid", "aes");
        assertThat(cpu.disabledFeatureNames()).containsExactly("spec-ctrl", "hle");
    }

    @Test
    void hostPassthroughNeedsNoModel() {
        CpuDefinition cpu = CpuDefinition.parse("<cpu mode='host-passthrough' migratable='on'/>");

        assertThat(cpu.mode()).isEqualTo("host-passthrough");
        assertThat(cpu.model()).isNull();
        assertThat(cpu.features()).isEmpty();
    }

    @Test
    void writesHostShapeDroppingDisabledFeatures() {
        CpuDefinition guest = CpuDefinition.parse("""
                <cpu mode='custom' match='exact'>
                  <model fallback='forbid'>EPYC-IBPB</model>
                  <vendor>AMD</vendor>
                  <feature policy='require' name='ht'/>
                  <feature policy='disable' name='rdtscp'/>
                  <feature policy='optional' name='ssbd'/>
                  <feature policy='force' name='svm'/>
                </cpu>
                """);

        assertThatThrownBy(guest::toHostCpuXml)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("arch");
        String xml = guest.withArch("x86_64").toHostCpuXml();

        assertThat(xml).isEqualTo("""
                <cpu>
                  <arch>x86_64</arch>
                  <model>EPYC-IBPB</model>
                  <vendor>AMD</vendor>
                  <feature name='ht'/>
                  <feature name='svm'/>
                </cpu>
                """);
        assertThat(CpuDefinition.parse(xml))
                .isEqualTo(CpuDefinition.host("x86_64", "EPYC-IBPB", "AMD", List.of("ht", "svm")));
    }

    @ParameterizedTest
    @MethodSource("io.fleetcpu.libvirtxml.TestDocuments#hostFiles")
    void hostShapeRoundTripsExceptSignature(String file) {
        CpuDefinition cpu = CpuDefinition.parse(TestDocuments.read("cpudata/" + file));
        CpuDefinition again = CpuDefinition.parse(cpu.toHostCpuXml());

        assertThat(again)
                .isEqualTo(CpuDefinition.host(cpu.arch(), cpu.model(), cpu.vendor(), cpu.requiredFeatureNames()));
    }

    @Test
    void featureWithoutNameIsNamed() {
        assertThatThrownBy(() -> CpuDefinition.parse("""
                <cpu><arch>x86_64</arch><feature name='vme'/><feature name='ds'/><feature policy='require'/></cpu>
                """))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("cpu: /cpu/feature[3]/@name is missing")
                .satisfies(e -> {
                    MalformedXmlException m = (MalformedXmlException) e;
                    assertThat(m.document()).isEqualTo("cpu");
                    assertThat(m.location()).isEqualTo("/cpu/feature[3]/@name");
                });
    }

    @Test
    void emptyFeatureNameIsRefused() {
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu><feature name='  '/></cpu>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("cpu: /cpu/feature/@name is empty");
    }

    @Test
    void unknownPolicyIsRefused() {
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu><feature policy='sometimes' name='vmx'/></cpu>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("cpu: /cpu/feature/@policy is 'sometimes', expected one of "
                        + "force, require, optional, disable, forbid");
    }

    @Test
    void unknownModeMatchAndFallbackAreRefused() {
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu mode='host-copy'/>"))
                .hasMessage("cpu: /cpu/@mode is 'host-copy', expected one of "
                        + "custom, host-model, host-passthrough, maximum");
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu match='roughly'/>"))
                .hasMessageStartingWith("cpu: /cpu/@match is 'roughly', expected one of");
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu><model fallback='maybe'>EPYC</model></cpu>"))
                .hasMessage("cpu: /cpu/model/@fallback is 'maybe', expected one of allow, forbid");
    }

    @Test
    void nonNumericSignatureIsRefused() {
        assertThatThrownBy(() -> CpuDefinition.parse(
                        "<cpu><arch>x86_64</arch><signature family='6' model='3f' stepping='2'/></cpu>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("cpu: /cpu/signature/@model is not a number: '3f'");
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu><signature family='-6' model='63'/></cpu>"))
                .hasMessage("cpu: /cpu/signature/@family is not a number: '-6'");
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu><signature model='63' stepping='2'/></cpu>"))
                .hasMessage("cpu: /cpu/signature/@family is missing");
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu><signature family='99999999999' model='1'/></cpu>"))
                .hasMessage("cpu: /cpu/signature/@family is too large: 99999999999");
    }

    @Test
    void badMicrocodeIsRefused() {
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu><microcode/></cpu>"))
                .hasMessage("cpu: /cpu/microcode/@version is missing");
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu><microcode version='0x49'/></cpu>"))
                .hasMessage("cpu: /cpu/microcode/@version is not a number: '0x49'");
    }

    @Test
    void duplicateFeatureAndDuplicateModelAreRefused() {
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu><feature name='vmx'/><feature name='vmx'/></cpu>"))
                .hasMessage("cpu: /cpu/feature[2] names feature 'vmx' a second time");
        assertThatThrownBy(() -> CpuDefinition.parse("<cpu><model>EPYC</model><model>Haswell</model></cpu>"))
                .hasMessage("cpu: /cpu/model appears 2 times, expected once");
    }

    @Test
    void unknownFeatureNamesAreLeftToTheCatalog() {
        CpuDefinition cpu = CpuDefinition.parse("<cpu><feature name='no-such-feature-yet'/></cpu>");
        assertThat(cpu.requiredFeatureNames()).containsExactly("no-such-feature-yet");
    }

    @Test
    void wrongRootIsRefused() {
        assertThatThrownBy(() -> CpuDefinition.parse("<domain type='kvm'><cpu/></domain>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("cpu: root element is <domain>, expected <cpu>");
    }
}
