package io.fleetcpu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * POST /migrations/check refuses a move the target cannot take beyond the CPU: a machine type it does not offer, fewer
 * physical address bits than the guest sees. Real capabilities: the Intel KVM host of Debian 12's QEMU 7.2 (46 bits).
 */
class MigrationCheckBeyondCpuApiTest extends ApiAssertions {

    /** The UUID inside hostdata/capabilities-broadwell-kvm-host.xml. */
    private static final String KVM_HOST = "515ce18e-e55b-4fc1-834c-3b12eb4e146b";

    @Test
    void aGuestThatSeesMoreAddressBitsThanTheTargetGivesIsRefusedSayingWhy() {
        register();

        JsonNode answer = check(Map.of("hostPassthroughOf", KVM_HOST, "physAddrBits", 48));

        assertThat(answer.get("compatible").asBoolean()).isFalse();
        JsonNode target = answer.get("targets").get(0);
        assertThat(target.get("result").asString()).as("the CPU itself fits").isEqualTo("identical");
        assertThat(target.get("compatible").asBoolean()).isFalse();
        assertThat(texts(target.get("blockers")))
                .containsExactly("host build-1 gives at most 46 physical address bits; the guest sees 48, so memory "
                        + "mapped above the host's limit would crash it there");
        assertThat(target.get("reason").asString())
                .as("the reason says the CPU fits, and what blocks the move all the same")
                .endsWith(" Beyond the CPU the move is blocked: host build-1 gives at most 46 physical address bits; "
                        + "the guest sees 48, so memory mapped above the host's limit would crash it there.");
    }

    @Test
    void aMachineTypeTheTargetsQemuDoesNotOfferIsRefused() {
        register();

        JsonNode newer = check(Map.of("hostPassthroughOf", KVM_HOST, "machineType", "pc-q35-11.1"));
        JsonNode offered =
                check(Map.of("hostPassthroughOf", KVM_HOST, "machineType", "pc-q35-7.2", "physAddrBits", 46));

        assertThat(texts(newer.get("targets").get(0).get("blockers")))
                .containsExactly("host build-1 does not offer machine type pc-q35-11.1 (its QEMU 7 offers at newest "
                        + "pc-q35-7.2 and pc-i440fx-7.2): QEMU cannot start the guest's device model there");
        assertThat(newer.get("compatible").asBoolean()).isFalse();
        assertThat(offered.get("compatible").asBoolean()).isTrue();
        assertThat(offered.get("targets").get(0).get("blockers").isEmpty()).isTrue();
    }

    @Test
    void whatTheTargetDidNotReportIsSaidUnchecked() {
        assertThat(post(
                                "/hosts",
                                structured(
                                        "00000000-0000-4000-8000-000000000401",
                                        "no-libvirt",
                                        List.of("unchecked"),
                                        cpu("x86_64", "Intel", "Haswell", List.of())))
                        .status())
                .isEqualTo(201);

        JsonNode answer = post(
                        "/migrations/check",
                        Map.of(
                                "guest",
                                Map.of(
                                        "hostPassthroughOf",
                                        "00000000-0000-4000-8000-000000000401",
                                        "machineType",
                                        "pc-q35-7.2",
                                        "physAddrBits",
                                        46),
                                "target",
                                Map.of("host", "00000000-0000-4000-8000-000000000401")))
                .json();

        JsonNode target = answer.get("targets").get(0);
        assertThat(target.get("compatible").asBoolean()).isTrue();
        assertThat(texts(target.get("unchecked")))
                .containsExactly(
                        "machine type pc-q35-7.2: the host reported no machine types",
                        "46 physical address bits: the host did not report its own");
    }

    @Test
    void anAliasOrImpossibleBitsAreRefusedNamingTheFields() {
        register();
        Map<String, Object> guest = new HashMap<>(Map.of("hostPassthroughOf", KVM_HOST, "machineType", "q35"));
        guest.put("physAddrBits", 65);

        Answer answer = post("/migrations/check", Map.of("guest", guest, "target", Map.of("host", KVM_HOST)));

        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactlyInAnyOrder("guest.machineType", "guest.physAddrBits");
        assertThat(errorFor(answer, "guest.machineType")).startsWith("'q35' is not a versioned machine type");
    }

    @Test
    void anAggregatesGuestRunsWithItsContract() {
        register();
        assertThat(post("/hosts", emulatedEpycQemu11Registration("qemus")).status())
                .isEqualTo(201);

        // the aggregate of the QEMU 11 host alone: pc-q35-11.1 and 48 bits, which the QEMU 7.2 KVM host cannot give
        JsonNode answer = post(
                        "/migrations/check",
                        Map.of("guest", Map.of("aggregate", "qemus"), "target", Map.of("host", KVM_HOST)))
                .json();

        assertThat(texts(answer.get("targets").get(0).get("blockers")))
                .hasSize(2)
                .anySatisfy(b -> assertThat(b).startsWith("host build-1 does not offer machine type pc-q35-11.1"))
                .anySatisfy(b -> assertThat(b)
                        .startsWith("host build-1 gives at most 46 physical address bits; " + "the guest sees 48"));
    }

    @Test
    void aGuestsDomainXmlGivesItsCpuMachineTypeAndAddressBits() {
        assertThat(post("/hosts", emulatedEpycAgentRegistration("beyond-cpu")).status())
                .isEqualTo(201);
        assertThat(post("/hosts", emulatedEpycQemu11Registration("beyond-cpu")).status())
                .isEqualTo(201);
        // a guest running on this machine: pc-q35-7.2, a custom EPYC, 46 address bits
        String running = hostData("domain-epyc-tcg-running.xml");
        String wider = running.replace("bits='46'", "bits='49'");

        JsonNode fits = checkAggregate(Map.of("domainXml", running));
        JsonNode tooWide = checkAggregate(Map.of("domainXml", wider));

        assertThat(fits.get("guest").asString()).startsWith("domain fleetcpu-capture: custom EPYC");
        assertThat(fits.get("compatible").asBoolean()).as(fits.toString()).isTrue();
        assertThat(tooWide.get("compatible").asBoolean()).isFalse();
        for (JsonNode target : tooWide.get("targets")) {
            assertThat(texts(target.get("blockers")))
                    .singleElement()
                    .satisfies(b -> assertThat(b)
                            .endsWith("gives at most 48 physical address bits; the guest sees 49, "
                                    + "so memory mapped above the host's limit would crash it there"));
        }
    }

    @Test
    void passthroughBitsOfAHostNotNamedAreSaidUnchecked() {
        register();
        String passthrough = hostData("domain-epyc-tcg-running.xml")
                .replace("<maxphysaddr mode='emulate' bits='46'/>", "<maxphysaddr mode='passthrough'/>");

        JsonNode unnamed = check(Map.of("domainXml", passthrough));

        JsonNode target = unnamed.get("targets").get(0);
        assertThat(texts(target.get("unchecked")))
                .containsExactly(
                        "physical address bits: the guest's <maxphysaddr mode='passthrough'> gives it those of "
                                + "the host it runs on; name that host as sourceHost to check them");
        assertThat(texts(target.get("blockers"))).noneMatch(b -> b.contains("address bits"));
    }

    @Test
    void aDomainXmlThatSaysTooLittleOrClashesIsRefusedNamingTheField() {
        register();
        String running = hostData("domain-epyc-tcg-running.xml");
        Map<String, Object> both = new HashMap<>(Map.of("domainXml", running, "machineType", "pc-q35-7.2"));
        both.put("physAddrBits", 46);

        Answer clash = askKvmHost(both);
        Answer noCpu = askKvmHost(Map.of("domainXml", running.replaceAll("(?s)<cpu .*</cpu>", "")));
        Answer alias = askKvmHost(Map.of("domainXml", running.replace("machine='pc-q35-7.2'", "machine='q35'")));
        Answer malformed = askKvmHost(Map.of("domainXml", "<domain><cpu>"));
        Answer twoGuests = askKvmHost(Map.of("domainXml", running, "hostModelOf", KVM_HOST));

        assertProblem(clash, 422);
        assertThat(errorFields(clash)).containsExactlyInAnyOrder("guest.machineType", "guest.physAddrBits");
        assertThat(errorFor(clash, "guest.machineType")).startsWith("guest.domainXml says it");
        assertProblem(noCpu, 422);
        assertThat(errorFor(noCpu, "guest.domainXml")).startsWith("the domain has no <cpu>");
        assertProblem(alias, 422);
        assertThat(errorFor(alias, "guest.domainXml")).startsWith("'q35' is not a versioned machine type");
        assertProblem(malformed, 422);
        assertThat(errorFields(malformed)).containsExactly("guest.domainXml");
        assertProblem(twoGuests, 422);
        assertThat(errorFor(twoGuests, "guest")).contains("domainXml");
    }

    private JsonNode checkAggregate(Map<String, Object> guest) {
        Answer answer = post("/migrations/check", Map.of("guest", guest, "target", Map.of("aggregate", "beyond-cpu")));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private void register() {
        assertThat(post("/hosts", agentRegistration("beyond-cpu")).status()).isEqualTo(201);
    }

    private JsonNode check(Map<String, Object> guest) {
        Answer answer = askKvmHost(guest);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    /** Whether this guest can move to the KVM host. */
    private Answer askKvmHost(Map<String, Object> guest) {
        return post("/migrations/check", Map.of("guest", guest, "target", Map.of("host", KVM_HOST)));
    }
}
