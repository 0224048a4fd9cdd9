package io.fleetcpu.libvirtxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HostCapabilitiesTest {

    private static final String KVM_HOST = TestDocuments.read("libvirtxml/kvm-host-haswell-capabilities.xml");
    private static final String TEST_DRIVER = TestDocuments.read("libvirtxml/test-driver-capabilities.xml");

    @Test
    void readsAKvmHost() {
        HostCapabilities caps = HostCapabilities.parse(KVM_HOST);

        assertThat(caps.hostUuid()).isEqualTo(UUID.fromString("4c4c4544-0051-3510-8058-b4c04f4b3732"));
        assertThat(caps.arch()).isEqualTo("x86_64");
        CpuDefinition cpu = caps.cpu();
        assertThat(cpu.model()).isEqualTo("Haswell-noTSX-IBRS");
        assertThat(cpu.vendor()).isEqualTo("Intel");
        assertThat(cpu.microcodeVersion()).isEqualTo("73");
        assertThat(cpu.signature()).isEqualTo(new CpuSignature(6, 63, 2));
        assertThat(cpu.topology()).isEqualTo(new CpuTopology(1, 1, null, 12, 2));
        assertThat(cpu.mode()).isNull();
        assertThat(cpu.features())
                .hasSize(34)
                .allSatisfy(f -> assertThat(f.policy()).isNull());
        assertThat(cpu.requiredFeatureNames())
                .startsWith("vme", "ds")
                .endsWith("pschange-mc-no")
                .contains("vmx", "md-clear", "ssbd", "flush-l1d");
        assertThat(caps.liveMigration()).isTrue();
        assertThat(caps.migrationTransports()).containsExactly("tcp", "rdma");
        assertThat(caps.guests())
                .containsExactly(
                        new GuestCapability("hvm", "i686", "/usr/bin/qemu-system-i386", List.of("qemu", "kvm")),
                        new GuestCapability("hvm", "x86_64", "/usr/bin/qemu-system-x86_64", List.of("qemu", "kvm")));
        assertThat(caps.guestDomainTypes()).containsExactly("qemu", "kvm");
        assertThat(caps.guestDomainTypes("x86_64")).containsExactly("qemu", "kvm");
        assertThat(caps.guestDomainTypes("aarch64")).isEmpty();
        assertThat(caps.offersKvm()).isTrue();
    }

    @Test
    void hostCpuOfCapabilitiesWritesBackAsHostShape() {
        CpuDefinition cpu = HostCapabilities.parse(KVM_HOST).cpu();

        assertThat(cpu.toHostCpuXml()).startsWith("""
                <cpu>
                  <arch>x86_64</arch>
                  <model>Haswell-noTSX-IBRS</model>
                  <vendor>Intel</vendor>
                  <feature name='vme'/>
                """);
    }

    @Test
    void testDriverCapabilitiesHaveNoHostUuid() {
        assertThatThrownBy(() -> HostCapabilities.parse(TEST_DRIVER))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("capabilities: /capabilities/host/uuid is missing")
                .satisfies(
                        e -> assertThat(((MalformedXmlException) e).location()).isEqualTo("/capabilities/host/uuid"));
    }

    @Test
    void testDriverCapabilitiesWithAUuidAreReadAsTheyAre() {
        String withUuid =
                TEST_DRIVER.replace("<host>", "<host>\n    <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>");
        HostCapabilities caps = HostCapabilities.parse(withUuid);

        assertThat(caps.arch()).isEqualTo("i686");
        assertThat(caps.cpu().model()).isNull();
        assertThat(caps.cpu().features()).isEmpty();
        assertThat(caps.liveMigration()).isFalse();
        assertThat(caps.guests()).extracting(GuestCapability::osType).containsExactly("hvm", "xen");
        assertThat(caps.guestDomainTypes()).containsExactly("test");
        assertThat(caps.offersKvm()).isFalse();
    }

    @Test
    void wrongRootIsNamed() {
        assertThatThrownBy(() -> HostCapabilities.parse("<domain type='kvm'><name>vm1</name></domain>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("capabilities: root element is <domain>, expected <capabilities>");
        assertThatThrownBy(
                        () -> HostCapabilities.parse(TestDocuments.read("cpudata/domcaps/qemu_8.2.0-q35.x86_64.xml")))
                .hasMessage("capabilities: root element is <domainCapabilities>, expected <capabilities>");
    }

    @Test
    void missingPartsAreNamed() {
        assertThatThrownBy(() -> HostCapabilities.parse("<capabilities/>"))
                .hasMessage("capabilities: /capabilities/host is missing");
        assertThatThrownBy(() -> HostCapabilities.parse(KVM_HOST.replaceFirst("(?s)<cpu>.*?</cpu>", "")))
                .hasMessage("capabilities: /capabilities/host/cpu is missing");
        assertThatThrownBy(() -> HostCapabilities.parse(KVM_HOST.replace("<arch>x86_64</arch>", "")))
                .hasMessage("capabilities: /capabilities/host/cpu/arch is missing");
        assertThatThrownBy(() -> HostCapabilities.parse(
                        KVM_HOST.replace("<uuid>4c4c4544-0051-3510-8058-b4c04f4b3732", "<uuid>")))
                .hasMessage("capabilities: /capabilities/host/uuid is empty");
        assertThatThrownBy(() -> HostCapabilities.parse(KVM_HOST.replace("<domain type='kvm'/>", "<domain/>")))
                .hasMessage("capabilities: /capabilities/guest[1]/arch/domain[2]/@type is missing");
        assertThatThrownBy(() -> HostCapabilities.parse(KVM_HOST.replace("<arch name='x86_64'>", "<arch>")))
                .hasMessage("capabilities: /capabilities/guest[2]/arch/@name is missing");
    }

    @Test
    void badHostValuesAreNamed() {
        assertThatThrownBy(() ->
                        HostCapabilities.parse(KVM_HOST.replace("4c4c4544-0051-3510-8058-b4c04f4b3732", "1-2-3-4-5")))
                .hasMessage("capabilities: /capabilities/host/uuid is not a UUID: '1-2-3-4-5'");
        assertThatThrownBy(() -> HostCapabilities.parse(KVM_HOST.replace("stepping='2'", "stepping='two'")))
                .hasMessage("capabilities: /capabilities/host/cpu/signature/@stepping is not a number: 'two'");
        assertThatThrownBy(() -> HostCapabilities.parse(KVM_HOST.replace("<feature name='ds'/>", "<feature/>")))
                .hasMessage("capabilities: /capabilities/host/cpu/feature[2]/@name is missing");
        assertThatThrownBy(() -> HostCapabilities.parse(
                        KVM_HOST.replace("</uuid>", "</uuid><uuid>4c4c4544-0051-3510-8058-b4c04f4b3733</uuid>")))
                .hasMessage("capabilities: /capabilities/host/uuid appears 2 times, expected once");
    }
}
