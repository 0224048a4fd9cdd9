package io.fleetcpu.libvirtxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DomainCapabilitiesTest {

    private static final Map<String, TestDocuments.ManifestEntry> MANIFEST = TestDocuments.manifest();
    private static final String QEMU_8_2 = TestDocuments.read("cpudata/domcaps/qemu_8.2.0-q35.x86_64.xml");

    @Test
    void allFiveRealFilesAreThere() {
        assertThat(TestDocuments.domcapsFiles()).hasSize(5);
    }

    @ParameterizedTest
    @MethodSource("io.fleetcpu.libvirtxml.TestDocuments#domcapsFiles")
    void everyRealFileParsesAndAgreesWithTheManifest(String file) {
        DomainCapabilities caps = DomainCapabilities.parse(TestDocuments.read("cpudata/" + file));
        TestDocuments.ManifestEntry expected = MANIFEST.get(file);

        assertThat(caps.emulatorPath()).isEqualTo("/usr/bin/qemu-system-x86_64");
        assertThat(caps.domainType()).isEqualTo("kvm");
        assertThat(caps.arch()).isEqualTo("x86_64");
        assertThat(caps.machine()).startsWith("pc-q35-");
        assertThat(caps.hostPassthroughSupported()).isTrue();
        assertThat(caps.hostModelSupported()).isTrue();
        CpuDefinition hostModel = caps.hostModel();
        assertThat(hostModel.arch()).isEqualTo("x86_64");
        assertThat(hostModel.mode()).isEqualTo("host-model");
        assertThat(hostModel.model()).isEqualTo(expected.model());
        assertThat(hostModel.vendor()).isEqualTo(expected.vendor());
        assertThat(hostModel.features()).hasSize(expected.featuresListed());
        assertThat(caps.customModels())
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m.blockers()).isEmpty());
        assertThat(caps.usableModelNames()).isNotEmpty();
    }

    @Test
    void qemu8_2OnEpycRome() {
        DomainCapabilities caps = DomainCapabilities.parse(QEMU_8_2);

        assertThat(caps.machine()).isEqualTo("pc-q35-8.2");
        CpuDefinition hostModel = caps.hostModel();
        assertThat(hostModel.model()).isEqualTo("EPYC-Rome");
        assertThat(hostModel.modelFallback()).isEqualTo("forbid");
        assertThat(hostModel.vendor()).isEqualTo("AMD");
        assertThat(hostModel.requiredFeatureNames())
                .startsWith("x2apic", "tsc-deadline")
                .contains("lfence-always-serializing", "null-sel-clr-base")
                .hasSize(25);
        assertThat(hostModel.disabledFeatureNames()).containsExactly("xsaves");

        assertThat(caps.customModels()).hasSize(55);
        assertThat(caps.customModel("EPYC-Rome"))
                .contains(new CustomCpuModel("EPYC-Rome", ModelUsability.NO, "AMD", false, List.of()));
        assertThat(caps.customModel("qemu64"))
                .contains(new CustomCpuModel("qemu64", ModelUsability.YES, null, false, List.of()));
        assertThat(caps.customModel("Westmere").orElseThrow().isUsable()).isTrue();
        assertThat(caps.customModel("Haswell").orElseThrow().usable()).isEqualTo(ModelUsability.NO);
        assertThat(caps.customModel("no-such-model")).isEmpty();
        assertThat(caps.usableModelNames())
                .contains("EPYC", "EPYC-IBPB", "Westmere", "486")
                .doesNotContain("EPYC-Rome", "EPYC-Milan");
    }

    @Test
    void hostModelWritesBackAsHostShapeWithTheDomcapsArch() {
        String xml = DomainCapabilities.parse(QEMU_8_2).hostModel().toHostCpuXml();

        assertThat(xml)
                .startsWith("<cpu>\n  <arch>x86_64</arch>\n  <model>EPYC-Rome</model>\n  <vendor>AMD</vendor>\n")
                .doesNotContain("xsaves");
    }

    @Test
    void readsBlockersDeprecationAndUnknownUsability() {
        DomainCapabilities caps = DomainCapabilities.parse("""
                <domainCapabilities>
                  <path>/usr/bin/qemu-system-x86_64</path>
                  <domain>kvm</domain>
                  <machine>pc-q35-9.2</machine>
                  <arch>x86_64</arch>
                  <cpu>
                    <mode name='host-passthrough' supported='yes'/>
                    <mode name='host-model' supported='no'/>
                    <mode name='custom' supported='yes'>
                      <model usable='no' deprecated='no' vendor='Intel' canonical='Broadwell-v1'>Broadwell</model>
                      <blockers model='Broadwell'>
                        <feature name='hle'/>
                        <feature name='rtm'/>
                      </blockers>
                      <model usable='yes' deprecated='yes' vendor='Intel'>Haswell-noTSX</model>
                      <model usable='unknown'>qemu64</model>
                      <model>kvm64</model>
                    </mode>
                  </cpu>
                </domainCapabilities>
                """);

        assertThat(caps.hostModelSupported()).isFalse();
        assertThat(caps.hostModel()).isNull();
        assertThat(caps.customModels())
                .containsExactly(
                        new CustomCpuModel("Broadwell", ModelUsability.NO, "Intel", false, List.of("hle", "rtm")),
                        new CustomCpuModel("Haswell-noTSX", ModelUsability.YES, "Intel", true, List.of()),
                        new CustomCpuModel("qemu64", ModelUsability.UNKNOWN, null, false, List.of()),
                        new CustomCpuModel("kvm64", ModelUsability.UNKNOWN, null, false, List.of()));
    }

    @Test
    void noCpuElementMeansNothingIsOffered() {
        DomainCapabilities caps = DomainCapabilities.parse(
                "<domainCapabilities><path>/usr/bin/qemu-system-x86_64</path><domain>qemu</domain>"
                        + "<arch>x86_64</arch></domainCapabilities>");

        assertThat(caps.machine()).isNull();
        assertThat(caps.hostPassthroughSupported()).isFalse();
        assertThat(caps.hostModelSupported()).isFalse();
        assertThat(caps.customModels()).isEmpty();
    }

    @Test
    void missingAndWrongPartsAreNamed() {
        assertThatThrownBy(() -> DomainCapabilities.parse(QEMU_8_2.replace("<arch>x86_64</arch>", "")))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("domcapabilities: /domainCapabilities/arch is missing");
        assertThatThrownBy(() -> DomainCapabilities.parse(QEMU_8_2.replace("<domain>kvm</domain>", "")))
                .hasMessage("domcapabilities: /domainCapabilities/domain is missing");
        assertThatThrownBy(() -> DomainCapabilities.parse(
                        QEMU_8_2.replace("<path>/usr/bin/qemu-system-x86_64</path>", "<path/>")))
                .hasMessage("domcapabilities: /domainCapabilities/path is empty");
        assertThatThrownBy(() ->
                        DomainCapabilities.parse(QEMU_8_2.replace("<model fallback='forbid'>EPYC-Rome</model>", "")))
                .hasMessage("domcapabilities: /domainCapabilities/cpu/mode[3]/model is missing");
        assertThatThrownBy(() -> DomainCapabilities.parse(QEMU_8_2.replace(
                        "<model usable='no' vendor='AMD'>EPYC-Rome</model>",
                        "<model usable='perhaps' vendor='AMD'>EPYC-Rome</model>")))
                .hasMessage("domcapabilities: /domainCapabilities/cpu/mode[4]/model[41]/@usable is 'perhaps', "
                        + "expected one of yes, no, unknown");
        assertThatThrownBy(() -> DomainCapabilities.parse(QEMU_8_2.replace(
                        "<feature policy='disable' name='xsaves'/>", "<feature policy='drop' name='xsaves'/>")))
                .hasMessage("domcapabilities: /domainCapabilities/cpu/mode[3]/feature[26]/@policy is 'drop', "
                        + "expected one of force, require, optional, disable, forbid");
        assertThatThrownBy(() -> DomainCapabilities.parse(
                        QEMU_8_2.replace("<mode name='host-model' supported='yes'>", "<mode name='host-model'>")))
                .hasMessage("domcapabilities: /domainCapabilities/cpu/mode[3]/@supported is missing");
        assertThatThrownBy(() ->
                        DomainCapabilities.parse(TestDocuments.read("libvirtxml/kvm-host-haswell-capabilities.xml")))
                .hasMessage("domcapabilities: root element is <capabilities>, expected <domainCapabilities>");
    }

    @Test
    void blockersMustBelongToAListedModel() {
        String xml = QEMU_8_2.replace(
                "<model usable='yes' vendor='unknown'>486</model>",
                "<model usable='yes' vendor='unknown'>486</model>"
                        + "<blockers model='Pentium-9'><feature name='x'/></blockers>");
        assertThatThrownBy(() -> DomainCapabilities.parse(xml))
                .hasMessage("domcapabilities: /domainCapabilities/cpu/mode[4] has <blockers> for models it does "
                        + "not list: Pentium-9");
        String nameless = QEMU_8_2.replace(
                "<model usable='yes' vendor='unknown'>486</model>",
                "<model usable='yes' vendor='unknown'>486</model><blockers model='486'><feature/></blockers>");
        assertThatThrownBy(() -> DomainCapabilities.parse(nameless))
                .hasMessage("domcapabilities: /domainCapabilities/cpu/mode[4]/blockers/feature/@name is missing");
    }
}
