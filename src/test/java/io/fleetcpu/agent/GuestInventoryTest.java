package io.fleetcpu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.agent.libvirt.LibvirtConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the agent sends of a host's domains: of a real domain (libvirt 9.0's XML of a guest on the emulated EPYC host,
 * hostdata/domain-epyc-tcg-running.xml) its name, UUID, state, machine type and {@code <cpu>}, nothing else.
 */
class GuestInventoryTest {

    @Test
    void aDomainIsReportedByItsCpuAndMachineTypeAlone() throws IOException {
        String xml = hostData("domain-epyc-tcg-running.xml");
        List<String> notes = new ArrayList<>();

        Registration.Guests guests = GuestInventory.of(
                new LibvirtConnection.Domains(List.of(new LibvirtConnection.Domain(xml, true)), 3), notes);

        assertThat(notes).isEmpty();
        assertThat(guests.total()).as("the host's domains, beyond the cap too").isEqualTo(3);
        Registration.Guest guest = guests.domains().get(0);
        assertThat(guest.name()).isEqualTo("fleetcpu-capture");
        assertThat(guest.uuid()).matches("[0-9a-f-]{36}");
        assertThat(guest.running()).isTrue();
        assertThat(guest.machineType()).isEqualTo("pc-q35-7.2");
        assertThat(guest.cpu().mode()).isEqualTo("custom");
        assertThat(guest.cpu().match()).isEqualTo("exact");
        assertThat(guest.cpu().model()).isEqualTo("EPYC");
        assertThat(guest.cpu().features())
                .containsEntry("x2apic", "disable")
                .containsEntry("hypervisor", "require")
                .hasSize(13);
        String sent = JsonMapper.builder().build().writeValueAsString(guests);
        assertThat(sent).doesNotContain("<", "emulator", "memory", "devices");
    }

    @Test
    void aDomainThatCannotBeReadIsLeftOutWithANote() {
        List<String> notes = new ArrayList<>();

        Registration.Guests guests = GuestInventory.of(
                new LibvirtConnection.Domains(
                        List.of(
                                new LibvirtConnection.Domain("<domain><name>x</name>", false),
                                new LibvirtConnection.Domain("<domain><name>no-uuid</name></domain>", false)),
                        2),
                notes);

        assertThat(guests.domains()).isEmpty();
        assertThat(guests.total()).isEqualTo(2);
        assertThat(notes).hasSize(2);
        assertThat(notes.get(0)).startsWith("a domain left out of the guests: ");
        assertThat(notes.get(1)).isEqualTo("a domain without a name or UUID left out of the guests");
    }

    private static String hostData(String file) throws IOException {
        try (InputStream in = GuestInventoryTest.class.getResourceAsStream("/hostdata/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
