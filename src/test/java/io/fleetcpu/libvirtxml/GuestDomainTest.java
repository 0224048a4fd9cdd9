package io.fleetcpu.libvirtxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A guest's domain XML as a migration check reads it: a real running guest's, and what libvirt would refuse. */
class GuestDomainTest {

    @Test
    void aRunningGuestsCpuMachineTypeAndAddressBits() {
        GuestDomain domain = GuestDomain.parse(TestDocuments.read("hostdata/domain-epyc-tcg-running.xml"));

        assertThat(domain.name()).isEqualTo("fleetcpu-capture");
        assertThat(domain.arch()).isEqualTo("x86_64");
        assertThat(domain.machineType()).isEqualTo("pc-q35-7.2");
        CpuDefinition cpu = domain.cpu();
        assertThat(cpu).isNotNull();
        assertThat(cpu.mode()).isEqualTo("custom");
        assertThat(cpu.model()).isEqualTo("EPYC");
        assertThat(cpu.arch()).as("a guest CPU names none").isNull();
        assertThat(cpu.disabledFeatureNames()).contains("x2apic", "svm");
        assertThat(cpu.requiredFeatureNames()).containsExactly("hypervisor");
        assertThat(domain.maxPhysAddr()).isEqualTo(new GuestDomain.MaxPhysAddr("emulate", 46, null));
    }

    @Test
    void aDomainWithoutCpuOrMaxphysaddrSaysNothingOfThem() {
        GuestDomain domain = GuestDomain.parse("""
                <domain type='kvm'><name>plain</name><os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>
                </domain>""");

        assertThat(domain.cpu()).isNull();
        assertThat(domain.maxPhysAddr()).isNull();
        assertThat(domain.machineType()).isEqualTo("pc-i440fx-7.2");
    }

    @Test
    void passthroughKeepsItsLimit() {
        GuestDomain domain = GuestDomain.parse("""
                <domain type='kvm'><os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
                <cpu mode='host-passthrough'><maxphysaddr mode='passthrough' limit='39'/></cpu></domain>""");

        assertThat(domain.maxPhysAddr()).isEqualTo(new GuestDomain.MaxPhysAddr("passthrough", null, 39));
        assertThat(domain.cpu().mode()).isEqualTo("host-passthrough");
    }

    @Test
    void whatLibvirtWouldRefuseIsRefusedNamingTheElement() {
        assertThatThrownBy(() -> GuestDomain.parse(
                        "<domain><cpu><model>EPYC</model><maxphysaddr mode='emulate'/></cpu></domain>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageContaining("/domain/cpu/maxphysaddr/@bits")
                .hasMessageContaining("is missing");
        assertThatThrownBy(() -> GuestDomain.parse(
                        "<domain><cpu><model>EPYC</model><maxphysaddr mode='emulate' bits='65'/></cpu></domain>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageContaining("not a number of bits from 1 to 64");
        assertThatThrownBy(() -> GuestDomain.parse("<domain><cpu><maxphysaddr mode='copy' bits='40'/></cpu></domain>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageContaining("expected one of emulate, passthrough");
        assertThatThrownBy(() -> GuestDomain.parse("<cpu><model>EPYC</model></cpu>"))
                .isInstanceOf(MalformedXmlException.class);
    }
}
