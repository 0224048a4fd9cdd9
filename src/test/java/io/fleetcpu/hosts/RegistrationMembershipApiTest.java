package io.fleetcpu.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetcpu.testing.ApiAssertions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A registration changes only the memberships its agent made: an operator's stay, whatever the agent names or leaves
 * out (an agent with no aggregate configured sends []). Its answer says what it changed.
 */
class RegistrationMembershipApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";
    private static final String SKYLAKE = "libvirt-9.9.0/x86_64-cpuid-Core-i5-6600-host.xml";

    @Autowired
    private JdbcTemplate jdbc;

    private final String host = UUID.randomUUID().toString();

    private JsonNode register(List<String> aggregates) {
        return register(aggregates, HASWELL);
    }

    private JsonNode register(List<String> aggregates, String cpu) {
        Answer answer = post("/hosts", registration(host, "compute-1", aggregates, cpu));
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
        return answer.json();
    }

    private void operatorAdds(String aggregate) {
        if (get("/aggregates/" + aggregate).status() == 404) {
            assertThat(put("/aggregates/" + aggregate, Map.of()).status()).isEqualTo(201);
        }
        assertThat(put("/aggregates/" + aggregate + "/hosts/" + host, "").status())
                .isIn(201, 204);
    }

    private List<String> aggregatesOfHost() {
        return texts(get("/hosts/" + host).json().path("aggregates"));
    }

    /** The per-aggregate kind counts the database keeps equal the memberships. */
    private void assertCountsAgree() {
        List<Map<String, Object>> wrong = jdbc.queryForList("""
                select a.id, coalesce(k.hosts, 0) as counted, count(m.host_id) as members
                from aggregate a left join aggregate_kind k on k.aggregate_id = a.id
                left join aggregate_host m on m.aggregate_id = a.id
                group by a.id, k.hosts having coalesce(k.hosts, 0) <> count(m.host_id)
                """);
        assertThat(wrong).isEmpty();
    }

    @Test
    void operatorAddedMembershipSurvivesReRegistrationsThatDoNotNameIt() {
        register(List.of());
        operatorAdds("gpu");
        // The agent's default: no aggregate configured, so it sends [].
        JsonNode again = register(List.of());
        assertThat(texts(again.path("aggregates"))).containsExactly("gpu");
        assertThat(texts(again.path("aggregatesAddedByOperator"))).containsExactly("gpu");
        assertThat(texts(again.path("registration").path("left"))).isEmpty();
        // A changed report, read in full, keeps it too.
        JsonNode changed = register(List.of("east"), SKYLAKE);
        assertThat(texts(changed.path("aggregates"))).containsExactly("east", "gpu");
        assertThat(texts(changed.path("registration").path("joined"))).containsExactly("east");
        assertThat(aggregatesOfHost()).containsExactly("east", "gpu");
        assertThat(memberIds("gpu")).containsExactly(host);
        assertCountsAgree();
    }

    @Test
    void anAggregateTheAgentNoLongerNamesIsLeft() {
        JsonNode first = register(List.of("east", "haswell"));
        assertThat(texts(first.path("registration").path("joined"))).containsExactly("east", "haswell");
        JsonNode second = register(List.of("east"));
        assertThat(texts(second.path("aggregates"))).containsExactly("east");
        assertThat(texts(second.path("registration").path("left"))).containsExactly("haswell");
        assertThat(texts(second.path("registration").path("joined"))).isEmpty();
        assertThat(memberIds("haswell")).isEmpty();
        assertThat(get("/aggregates/haswell").json().path("hostCount").asInt()).isZero();
        assertCountsAgree();
    }

    @Test
    void anAggregateBothNameIsTheOperatorsAndStaysWhenTheAgentStopsNamingIt() {
        register(List.of("east"));
        // The operator puts the host where its agent already did: it was a member (204), now the operator's.
        assertThat(put("/aggregates/east/hosts/" + host, "").status()).isEqualTo(204);
        assertThat(texts(get("/hosts/" + host).json().path("aggregatesAddedByOperator")))
                .containsExactly("east");
        JsonNode named = register(List.of("east"));
        assertThat(texts(named.path("registration").path("joined"))).isEmpty();
        JsonNode notNamed = register(List.of());
        assertThat(texts(notNamed.path("aggregates"))).containsExactly("east");
        assertThat(texts(notNamed.path("registration").path("left"))).isEmpty();
        assertThat(get("/aggregates/east").json().path("hostCount").asInt()).isEqualTo(1);
        assertCountsAgree();
    }

    @Test
    void theOperatorRemovesAMembershipWhoeverMadeItAndAnAgentStillNamingItPutsTheHostBack() {
        register(List.of("east"));
        operatorAdds("gpu");
        assertThat(delete("/aggregates/gpu/hosts/" + host).status()).isEqualTo(204);
        assertThat(delete("/aggregates/east/hosts/" + host).status()).isEqualTo(204);
        assertThat(aggregatesOfHost()).isEmpty();
        JsonNode again = register(List.of("east"));
        assertThat(texts(again.path("aggregates"))).containsExactly("east");
        assertThat(texts(again.path("registration").path("joined"))).containsExactly("east");
        assertThat(texts(again.path("aggregatesAddedByOperator"))).isEmpty();
        assertCountsAgree();
    }

    @Test
    void aMisspeltAggregateIsReportedAsCreated() {
        assertThat(put("/aggregates/haswell-east", Map.of()).status()).isEqualTo(201);
        JsonNode answer = register(List.of("haswel-east"));
        assertThat(texts(answer.path("registration").path("createdAggregates"))).containsExactly("haswel-east");
        JsonNode known = post(
                        "/hosts",
                        registration(
                                UUID.randomUUID().toString(),
                                "compute-2",
                                List.of("haswell-east", "haswel-east"),
                                HASWELL))
                .json();
        assertThat(texts(known.path("registration").path("createdAggregates"))).isEmpty();
        assertThat(known.path("registration").path("joined").size()).isEqualTo(2);
    }

    @Test
    void theAnswerSaysWhetherTheFactsAndTheCpuChanged() {
        JsonNode created = register(List.of());
        assertThat(created.path("registration").path("factsChanged").asBoolean())
                .isFalse();
        assertThat(created.path("registration").path("cpuChanged").asBoolean()).isFalse();
        JsonNode same = register(List.of());
        assertThat(same.path("registration")).isEqualTo(JSON.readTree("""
                {"joined": [], "left": [], "createdAggregates": [], "factsChanged": false, "cpuChanged": false,
                 "guestsChanged": false}
                """));
        JsonNode changed = register(List.of(), SKYLAKE);
        assertThat(changed.path("registration").path("factsChanged").asBoolean())
                .isTrue();
        assertThat(changed.path("registration").path("cpuChanged").asBoolean()).isTrue();
        // Only the registration's answer says it.
        assertThat(get("/hosts/" + host).json().has("registration")).isFalse();
    }

    @Test
    void anUnchangedReRegistrationWritesNothingButLastSeenAt() {
        register(List.of("east"));
        operatorAdds("gpu");
        register(List.of("east")); // read in full once after the operator's change, if it needs to be
        Map<String, Object> before = whatARegistrationWrites();
        Instant seen =
                Instant.parse(get("/hosts/" + host).json().path("lastSeenAt").asString());

        JsonNode again = register(List.of("east"));

        Map<String, Object> after = whatARegistrationWrites();
        assertThat(after).isEqualTo(before);
        assertThat(Instant.parse(again.path("lastSeenAt").asString())).isAfter(seen);
        assertThat(texts(again.path("aggregates"))).containsExactly("east", "gpu");
    }

    /**
     * What a registration may write for the host: its row's version, update time, digest and kind, each membership
     * with its row version (xmin), and every aggregate's members version.
     */
    private Map<String, Object> whatARegistrationWrites() {
        return jdbc.queryForMap(
                "select version, updated_at, report_digest, kind_id, "
                        + "(select string_agg(aggregate_id || ':' || added_by || ':' || xmin, ',' order by aggregate_id) "
                        + "from aggregate_host where host_id = host.id) as memberships, "
                        + "(select string_agg(id || ':' || members_version, ',' order by id) from aggregate) as aggregates "
                        + "from host where id = ?::uuid",
                host);
    }

    @Test
    void updatedAtMovesOnlyWhenTheHostsFactsChange() throws Exception {
        JsonNode first = register(List.of("east"));
        Instant registered = Instant.parse(first.path("updatedAt").asString());
        Thread.sleep(5);
        operatorAdds("gpu");
        assertThat(delete("/aggregates/east/hosts/" + host).status()).isEqualTo(204);
        register(List.of("west")); // read in full: the operator took the host out of east
        register(List.of());
        assertThat(aggregatesOfHost()).containsExactly("gpu");
        // compared within PostgreSQL's microsecond, so only a real change of time counts
        assertThat(Instant.parse(get("/hosts/" + host).json().path("updatedAt").asString()))
                .isCloseTo(registered, within(1, ChronoUnit.MICROS));

        JsonNode changed = register(List.of(), SKYLAKE);
        assertThat(Instant.parse(changed.path("updatedAt").asString())).isAfter(registered);
    }
}
