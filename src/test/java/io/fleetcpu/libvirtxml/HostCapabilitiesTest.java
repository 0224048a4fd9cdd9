package io.fleetcpu.libvirtxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
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
                        new GuestCapability(
                                "hvm",
                                "i686",
                                "/usr/bin/qemu-system-i386",
                                List.of("qemu", "kvm"),
                                SHORT_LIST,
                                Map.of()),
                        new GuestCapability(
                                "hvm",
                                "x86_64",
                                "/usr/bin/qemu-system-x86_64",
                                List.of("qemu", "kvm"),
                                SHORT_LIST,
                                Map.of()));
        assertThat(caps.guestDomainTypes()).containsExactly("qemu", "kvm");
        assertThat(caps.guestDomainTypes("x86_64")).containsExactly("qemu", "kvm");
        assertThat(caps.guestDomainTypes("aarch64")).isEmpty();
        assertThat(caps.offersKvm()).isTrue();
    }

    /** The machine list of the trimmed Haswell document: two versioned types and their aliases. */
    private static final List<MachineType> SHORT_LIST = List.of(
            new MachineType("pc-i440fx-7.2", null, false),
            new MachineType("pc", "pc-i440fx-7.2", false),
            new MachineType("pc-q35-7.2", null, false),
            new MachineType("q35", "pc-q35-7.2", false));

    @Test
    void readsWhatMigrationNeedsBeyondTheCpu() {
        HostCapabilities caps = HostCapabilities.parse(KVM_HOST);

        assertThat(caps.physAddrBits()).isEqualTo(46);
        assertThat(caps.tsc()).isEqualTo(new TscCounter(2_494_224_000L, false));
        assertThat(caps.machineTypes()).isEqualTo(SHORT_LIST);
    }

    /** Real documents of Debian 12's QEMU 7.2 (KVM and TCG) and of QEMU 11.1 under libvirt 12.8 (src/test/resources/hostdata). */
    @Test
    void readsMachineTypesOfRealQemuReleases() {
        HostCapabilities kvm =
                HostCapabilities.parse(TestDocuments.read("hostdata/capabilities-broadwell-kvm-host.xml"));
        HostCapabilities tcg = HostCapabilities.parse(TestDocuments.read("hostdata/capabilities-epyc-tcg-host.xml"));
        HostCapabilities qemu11 =
                HostCapabilities.parse(TestDocuments.read("hostdata/capabilities-epyc-tcg-libvirt-12.8-host.xml"));

        assertThat(kvm.physAddrBits()).isEqualTo(46);
        assertThat(kvm.tsc()).isEqualTo(new TscCounter(2_000_000_000L, false));
        assertThat(tcg.physAddrBits()).isEqualTo(48);
        assertThat(tcg.tsc()).isNull();
        assertThat(qemu11.physAddrBits()).isEqualTo(48);
        assertThat(qemu11.tsc()).isNull();

        // QEMU 7.2: the machine types of 7.2 and before, pc and q35 standing for 7.2's, pc-i440fx-1.4 to 1.7 deprecated
        assertThat(tcg.machineTypes()).hasSize(60);
        assertThat(tcg.machineTypes())
                .contains(
                        new MachineType("pc-q35-7.2", null, false),
                        new MachineType("q35", "pc-q35-7.2", false),
                        new MachineType("pc", "pc-i440fx-7.2", false),
                        new MachineType("pc-i440fx-1.5", null, true))
                .noneMatch(m -> m.name().endsWith("-8.0"));
        assertThat(kvm.machineTypes()).isEqualTo(tcg.machineTypes());
        // QEMU 11.1: 11.1's types, 2.x to 8.1 deprecated, and none older than 2.x's
        assertThat(qemu11.machineTypes())
                .contains(
                        new MachineType("pc-q35-11.1", null, false),
                        new MachineType("q35", "pc-q35-11.1", false),
                        new MachineType("pc-q35-7.1", null, true),
                        new MachineType("pc-q35-8.2", null, false))
                .noneMatch(m -> m.name().equals("pc-i440fx-1.5"));
    }

    @Test
    void aDomainTypesOwnMachineListIsItsOwn() {
        // the x86_64 guest's kvm domain, the last one of the document
        int kvm = KVM_HOST.lastIndexOf("<domain type='kvm'/>");
        String xml = KVM_HOST.substring(0, kvm)
                + "<domain type='kvm'><machine>pc-q35-6.2</machine></domain>"
                + KVM_HOST.substring(kvm + "<domain type='kvm'/>".length());

        HostCapabilities caps = HostCapabilities.parse(xml);

        assertThat(caps.machineTypes()).containsExactly(new MachineType("pc-q35-6.2", null, false));
        assertThat(caps.guests().get(1).machines("qemu")).isEqualTo(SHORT_LIST);
        assertThat(caps.guests().get(0).machines("kvm")).isEqualTo(SHORT_LIST);
    }

    @Test
    void factsNotInTheDocumentAreUnknown() {
        // as libvirt before 8.7 wrote it, and hosts without an invariant TSC
        String older = KVM_HOST.replaceAll("<counter name='tsc'[^>]*/>", "")
                .replaceAll("<maxphysaddr [^>]*/>", "")
                .replaceAll("<machine[^>]*>[^<]*</machine>", "");

        HostCapabilities caps = HostCapabilities.parse(older);

        assertThat(caps.physAddrBits()).isNull();
        assertThat(caps.tsc()).isNull();
        assertThat(caps.machineTypes()).isEmpty();
    }

    @Test
    void wrongAddressBitsOrFrequencyNameTheAttribute() {
        assertThatThrownBy(() -> HostCapabilities.parse(KVM_HOST.replace("bits='46'", "bits='465'")))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageContaining("/capabilities/host/cpu/maxphysaddr/@bits is not a number from 1 to 64: '465'");
        assertThatThrownBy(() -> HostCapabilities.parse(KVM_HOST.replace("frequency='2494224000'", "frequency='fast'")))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageContaining("/capabilities/host/cpu/counter/@frequency is not a number");
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
