package io.fleetcpu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * GET /groupings keeps apart hosts whose QEMUs share no machine type, however alike their CPUs, and says so. Three
 * registrations of one emulated AMD machine that differ only in QEMU: 4.2 (machine types to pc-q35-4.2), 7.2 (to
 * pc-q35-7.2) and 11.1 (from pc-q35-5.2).
 */
class GroupingsByMachineTypeApiTest extends ApiAssertions {

    @Test
    void hostsWithoutACommonMachineTypeAreInDifferentDomainsEachWithItsContract() {
        register("qemu-7", "capabilities-epyc-tcg-host.xml", "9.0.0", "7.2.22");
        register("qemu-11", "capabilities-epyc-tcg-libvirt-12.8-host.xml", "12.8.0", "11.1.3");
        register("qemu-4", "capabilities-epyc-tcg-qemu-4.2-machines-host.xml", "6.0.0", "4.2.0");

        Answer answer = get("/groupings?strategy=min-domains&aggregate=machine-types");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode grouping = answer.json();
        JsonNode domains = grouping.get("domains");
        assertThat(domains).hasSize(2);
        List<List<String>> hosts = new ArrayList<>();
        List<String> machineTypes = new ArrayList<>();
        for (JsonNode domain : domains) {
            List<String> names = new ArrayList<>();
            domain.get("members").forEach(m -> m.get("exampleHosts").forEach(h -> names.add(h.asString())));
            hosts.add(names);
            machineTypes.add(domain.get("migrationContract").get("machineType").asString());
        }
        // QEMU 7.2 shares types with either; 4.2 and 11.1 share none, so they are never together
        assertThat(hosts).noneSatisfy(names -> assertThat(names).contains("qemu-4", "qemu-11"));
        assertThat(hosts).flatExtracting(names -> names).containsExactlyInAnyOrder("qemu-4", "qemu-7", "qemu-11");
        assertThat(machineTypes).containsAnyOf("pc-q35-4.2", "pc-q35-7.2").contains("pc-q35-11.1");
        assertThat(texts(grouping.get("notes")))
                .singleElement()
                .satisfies(note -> assertThat(note)
                        .startsWith("domains 1 and 2 share no versioned machine type, so no guest can be started to "
                                + "move between them")
                        .contains("pc-q35-5.2 to pc-q35-11.1")
                        .contains("to pc-q35-4.2")
                        .contains("qemu-11"));
    }

    private void register(String hostname, String capabilities, String libvirt, String qemu) {
        Map<String, Object> body = emulatedEpycAgentRegistration("machine-types");
        body.put("hostname", hostname);
        body.put("capabilitiesXml", hostData(capabilities));
        body.put("versions", Map.of("libvirt", libvirt, "qemu", qemu));
        Answer answer = post("/hosts", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }
}
