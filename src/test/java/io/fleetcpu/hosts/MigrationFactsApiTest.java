package io.fleetcpu.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What a live migration needs of a host beyond its CPU (machine types, physical address bits, TSC, major versions):
 * read from the capabilities and versions a registration sends, stored with the host's kind, shown with the host;
 * unknown where the registration does not say.
 */
class MigrationFactsApiTest extends ApiAssertions {

    private static final String BROADWELL = "515ce18e-e55b-4fc1-834c-3b12eb4e146b";

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aKvmHostsCapabilitiesGiveEveryFact() {
        assertThat(post("/hosts", agentRegistration("lab")).status()).isEqualTo(201);

        JsonNode migration = get("/hosts/" + BROADWELL).json().get("migration");
        assertThat(migration.get("physAddrBits").asInt()).isEqualTo(46);
        assertThat(migration.get("tscFrequency").asLong()).isEqualTo(2_000_000_000L);
        assertThat(migration.get("tscScaling").asBoolean()).isFalse();
        assertThat(migration.get("qemuMajor").asInt()).isEqualTo(7);
        assertThat(migration.get("libvirtMajor").asInt()).isEqualTo(9);
        List<String> machineTypes = texts(migration.get("machineTypes"));
        assertThat(machineTypes)
                .hasSize(58)
                .startsWith("pc-i440fx-7.2", "pc-q35-5.2")
                .contains("pc-q35-7.2", "pc-i440fx-1.5")
                .doesNotContain("pc", "q35");
        assertThat(texts(migration.get("deprecatedMachineTypes")))
                .containsExactlyInAnyOrder("pc-i440fx-1.4", "pc-i440fx-1.5", "pc-i440fx-1.6", "pc-i440fx-1.7");
        assertThat(JSON.convertValue(migration.get("machineTypeAliases"), Map.class))
                .containsEntry("pc", "pc-i440fx-7.2")
                .containsEntry("q35", "pc-q35-7.2");
        // stored with the kind, as they were read
        assertThat(jdbc.queryForObject(
                        "select k.phys_addr_bits from cpu_kind k join host h on h.kind_id = k.id where h.id = ?",
                        Integer.class,
                        java.util.UUID.fromString(BROADWELL)))
                .isEqualTo(46);
    }

    @Test
    void anEmulatedHostHasNoTscAndQemu11OffersOtherMachineTypes() {
        Map<String, Object> qemu7 = emulatedEpycAgentRegistration("lab");
        Map<String, Object> qemu11 = emulatedEpycQemu11Registration("lab");
        JsonNode seven = post("/hosts", qemu7).json();
        JsonNode eleven = post("/hosts", qemu11).json();

        assertThat(seven.get("migration").get("physAddrBits").asInt()).isEqualTo(48);
        // unknown facts are left out of the answer, as every absent fact of a host is
        assertThat(seven.get("migration").has("tscFrequency")).isFalse();
        assertThat(seven.get("migration").has("tscScaling")).isFalse();
        assertThat(eleven.get("migration").get("qemuMajor").asInt()).isEqualTo(11);
        assertThat(eleven.get("migration").get("libvirtMajor").asInt()).isEqualTo(12);
        assertThat(texts(eleven.get("migration").get("machineTypes")))
                .contains("pc-q35-11.1", "pc-q35-7.2")
                .doesNotContain("pc-i440fx-1.5");
        assertThat(texts(eleven.get("migration").get("deprecatedMachineTypes"))).contains("pc-q35-7.1");
        assertThat(eleven.get("kind").asString()).isNotEqualTo(seven.get("kind").asString());
    }

    @Test
    void hostsThatDifferOnlyInMachineTypesOrAddressBitsAreKindsApart() {
        Map<String, Object> first = registrationWithCapabilities("00000000-0000-4000-8000-000000000101", "a", 46);
        Map<String, Object> same = registrationWithCapabilities("00000000-0000-4000-8000-000000000102", "b", 46);
        Map<String, Object> narrower = registrationWithCapabilities("00000000-0000-4000-8000-000000000103", "c", 39);

        String kind = post("/hosts", first).json().get("kind").asString();
        assertThat(post("/hosts", same).json().get("kind").asString()).isEqualTo(kind);
        JsonNode c = post("/hosts", narrower).json();
        assertThat(c.get("kind").asString()).isNotEqualTo(kind);
        assertThat(c.get("migration").get("physAddrBits").asInt()).isEqualTo(39);
    }

    @Test
    void whatARegistrationDoesNotSayIsUnknown() {
        Answer answer = post(
                "/hosts",
                structured(
                        "00000000-0000-4000-8000-000000000201",
                        "no-libvirt",
                        List.of("lab"),
                        cpu("x86_64", "Intel", "Haswell", List.of())));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);

        JsonNode migration = answer.json().get("migration");
        for (String fact :
                List.of("machineTypes", "physAddrBits", "tscFrequency", "tscScaling", "qemuMajor", "libvirtMajor")) {
            assertThat(migration.has(fact)).as(fact).isFalse();
        }
        assertThat(migration.get("deprecatedMachineTypes").isEmpty()).isTrue();
        assertThat(migration.get("machineTypeAliases").isEmpty()).isTrue();
    }

    @Test
    void wrongAddressBitsAreRefusedNamingTheDocumentAndNothingIsWritten() {
        Map<String, Object> body = agentRegistration("lab");
        body.put(
                "capabilitiesXml",
                hostData("capabilities-broadwell-kvm-host.xml").replace("bits='46'", "bits='0'"));
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFor(answer, "capabilitiesXml"))
                .contains("/capabilities/host/cpu/maxphysaddr/@bits is not a number from 1 to 64: '0'");
        assertNothingWritten();
    }

    @Test
    void tooManyMachineTypesAreRefusedNamingTheLimit() {
        StringBuilder machines = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            machines.append("<machine>pc-q35-").append(i).append(".0</machine>");
        }
        Map<String, Object> body = agentRegistration("lab");
        body.put(
                "capabilitiesXml",
                hostData("capabilities-broadwell-kvm-host.xml")
                        .replaceAll("<machine[^>]*>[^<]*</machine>", "")
                        .replace("<arch name='x86_64'>", "<arch name='x86_64'>" + machines));
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFor(answer, "capabilitiesXml.machineTypes"))
                .isEqualTo(
                        "1001 machine types; at most 1000 are accepted (setting fleetcpu.request.max-machine-types)");
        assertNothingWritten();
    }

    /** The Broadwell KVM host's capabilities under another UUID, with these address bits. */
    private static Map<String, Object> registrationWithCapabilities(String uuid, String hostname, int bits) {
        Map<String, Object> body = agentRegistration("lab");
        body.put("hostname", hostname);
        body.put(
                "capabilitiesXml",
                hostData("capabilities-broadwell-kvm-host.xml")
                        .replaceFirst("<uuid>[^<]*</uuid>", "<uuid>" + uuid + "</uuid>")
                        .replace("bits='46'", "bits='" + bits + "'"));
        return body;
    }
}
