package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.policy.PolicyRecommender;
import io.fleetcpu.testing.ApiAssertions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The answers for the two kinds of machine fleetcpu is built and tested on, each registered from the documents its
 * agent sent (src/test/resources/hostdata): an Intel Broadwell virtual machine with KVM, and an AMD EPYC one under
 * emulation (TCG, no {@code /dev/kvm}). {@code RecommendationsBootTest} starts the answers of the machine it runs on
 * for real; this test holds both kinds' answers on every machine, whichever kind runs it.
 */
class BuildMachineKindsApiTest extends ApiAssertions {

    @Test
    void anIntelHostWithKvmGetsHostPassthroughAndAModelPinnedFromItsOwnList() {
        assertThat(post("/hosts", agentRegistration("kvm")).status()).isEqualTo(201);

        JsonNode performance = recommended("kvm", Map.of("goal", "performance"));
        assertThat(performance.get("mode").asString()).isEqualTo("host-passthrough");
        assertThat(performance.get("qemuCpu").asString()).isEqualTo("host");

        // This KVM guest's CPU lacks SSE3: its hypervisor runs only models too old to recommend, and the answer says
        // so and names the way out, a pinned model, which gives a custom CPU of a model the hypervisor runs.
        assertThat(put("/aggregates/kvm", Map.of("policy", Map.of("goal", "migration")))
                        .status())
                .isEqualTo(200);
        Answer migration = get("/aggregates/kvm/recommended-cpu");
        assertThat(assertProblem(migration, 409).get("detail").asString()).contains("pinnedModel", "goal");

        List<String> usable = DomainCapabilities.parse(hostData("domcapabilities-broadwell-kvm.xml"))
                .usableModelNames();
        assertThat(usable).isNotEmpty().allMatch(PolicyRecommender.OBSOLETE_MODELS::contains);
        String model = usable.get(0);
        JsonNode pinned = recommended("kvm", Map.of("goal", "migration", "pinnedModel", model));
        assertThat(pinned.get("mode").asString()).isEqualTo("custom");
        assertThat(pinned.get("model").asString()).isEqualTo(model);
        assertThat(pinned.get("qemuCpu").asString()).startsWith(model);
    }

    @Test
    void anAmdHostUnderEmulationGetsHostModelAndANamedModelItsHypervisorRuns() {
        assertThat(post("/hosts", emulatedEpycAgentRegistration("tcg")).status())
                .isEqualTo(201);
        DomainCapabilities domain = DomainCapabilities.parse(hostData("domcapabilities-epyc-tcg.xml"));
        JsonNode host = get("/hosts?aggregate=tcg").json().get("items").get(0);
        assertThat(host.get("cpuView").asString()).isEqualTo("hypervisor");
        assertThat(host.get("hypervisorCpu").get("model").asString())
                .isEqualTo(domain.hostModel().model())
                .isEqualTo("EPYC");

        JsonNode performance = recommended("tcg", Map.of("goal", "performance"));
        assertThat(performance.get("mode").asString()).isEqualTo("host-model");
        assertThat(performance.get("explanations").toString())
                .contains("do not support host-passthrough", "under emulation");

        JsonNode migration = recommended("tcg", Map.of("goal", "migration"));
        assertThat(migration.get("mode").asString()).isEqualTo("custom");
        assertThat(migration.get("vendor").asString()).isEqualTo("AMD");
        assertThat(domain.usableModelNames()).contains(migration.get("model").asString());
        assertThat(PolicyRecommender.OBSOLETE_MODELS)
                .doesNotContain(migration.get("model").asString());
    }

    private JsonNode recommended(String aggregate, Map<String, String> policy) {
        Answer set = put("/aggregates/" + aggregate, Map.of("policy", policy));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        Answer answer = get("/aggregates/" + aggregate + "/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }
}
