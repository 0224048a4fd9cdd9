package io.fleetcpu.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.libvirtxml.GuestDomain;
import org.junit.jupiter.api.Test;

/**
 * The domains of a connection, read through libvirt's C API: {@code test:///default} (in process) always has one,
 * named {@code test}, running. Skipped where libvirt's library is missing.
 */
class LibvirtDomainsTest {

    @Test
    void theTestDriversDomainIsReadWhole() {
        try (LibvirtConnection test = open()) {
            LibvirtConnection.Domains domains = test.domains(100);

            assertThat(domains.total()).isEqualTo(1);
            LibvirtConnection.Domain only = domains.read().get(0);
            assertThat(only.running()).isTrue();
            GuestDomain domain = GuestDomain.parse(only.xml());
            assertThat(domain.name()).isEqualTo("test");
            assertThat(domain.arch()).isEqualTo("i686");
        }
    }

    @Test
    void noMoreThanTheCapAreReadButAllAreCounted() {
        try (LibvirtConnection test = open()) {
            LibvirtConnection.Domains none = test.domains(0);

            assertThat(none.read()).isEmpty();
            assertThat(none.total()).isEqualTo(1);
        }
    }

    private static LibvirtConnection open() {
        try {
            return LibvirtConnection.open("test:///default");
        } catch (LibvirtException | LinkageError e) {
            assumeTrue(false, "no libvirt library: " + e.getMessage());
            throw new AssertionError(e);
        }
    }
}
