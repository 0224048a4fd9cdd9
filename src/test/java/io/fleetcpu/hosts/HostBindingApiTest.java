package io.fleetcpu.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A host belongs to the agent credential that registered it first: another agent's registration of the same UUID
 * is refused and changes nothing; the agent itself and operators register it as before.
 */
class HostBindingApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Core-i5-4670T-host.xml";
    private static final String SKYLAKE = "libvirt-9.9.0/x86_64-cpuid-Core-i5-6600-host.xml";
    private static final String[] AGENT_A = {"Authorization", "Bearer " + AGENT_TOKEN};
    private static final String[] AGENT_B = {"Authorization", "Bearer " + OTHER_AGENT_TOKEN};

    private final String id = UUID.randomUUID().toString();

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void anotherAgentCannotOverwriteTheHostAndWritesNothing() {
        assertThat(post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_A)
                        .status())
                .isEqualTo(201);
        Map<String, Object> row = hostRow();
        long events = count("cpu_event");
        long memberships = count("aggregate_host");

        for (Map<String, Object> takeover : List.of(
                registration(id, "evil", List.of("west"), SKYLAKE),
                registration(id, "compute-1", List.of("east"), HASWELL))) { // the same report: not even lastSeenAt
            Answer refused = post("/hosts", takeover, AGENT_B);
            assertThat(assertProblem(refused, 403).path("detail").asString())
                    .contains(id)
                    .contains("registered with another agent credential");
        }

        assertThat(hostRow()).as("the host row, lastSeenAt included").isEqualTo(row);
        assertThat(count("cpu_event")).as("drift events").isEqualTo(events);
        assertThat(count("aggregate_host")).as("memberships").isEqualTo(memberships);
        assertThat(get("/aggregates/west").status())
                .as("the aggregate the refused registration named")
                .isEqualTo(404);
        assertThat(get("/hosts/" + id).json().path("hostname").asString()).isEqualTo("compute-1");
    }

    @Test
    void theSameAgentRegistersItsHostAgainAndChangesIt() {
        assertThat(post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_A)
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_A)
                        .status())
                .isEqualTo(200);
        Answer changed = post("/hosts", registration(id, "compute-1b", List.of("west"), SKYLAKE), AGENT_A);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path("hostname").asString()).isEqualTo("compute-1b");
        assertThat(memberIds("west")).containsExactly(id);
    }

    @Test
    void anOperatorRegistersAnAgentsHostWhichStaysTheAgents() {
        post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_A);
        Answer byOperator = post("/hosts", registration(id, "compute-1-renamed", List.of("west"), HASWELL));
        assertThat(byOperator.status()).as(byOperator.body()).isEqualTo(200);
        assertThat(byOperator.json().path("hostname").asString()).isEqualTo("compute-1-renamed");

        assertProblem(post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_B), 403);
        assertThat(post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_A)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aHostWithNoAgentIsBoundByTheFirstAgentThatRegistersIt() {
        // Registered by an operator, as every host was before credentials had roles (the column is null then).
        assertThat(post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL))
                        .status())
                .isEqualTo(201);
        assertThat(hostRow().get("agent_credential")).isNull();

        // The same report as stored: the quick path that writes only lastSeenAt binds it too.
        assertThat(post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_A)
                        .status())
                .isEqualTo(200);
        assertThat(hostRow().get("agent_credential")).isNotNull();
        assertProblem(post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_B), 403);
    }

    @Test
    void anOperatorRebindsAHostByDeletingIt() {
        post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_A);
        assertThat(delete("/hosts/" + id).status()).isEqualTo(204);

        assertThat(post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_B)
                        .status())
                .isEqualTo(201);
        assertProblem(post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_A), 403);
    }

    @Test
    void anAgentCannotMoveOrDeleteHosts() {
        post("/hosts", registration(id, "compute-1", List.of("east"), HASWELL), AGENT_A);
        assertProblem(put("/aggregates/east/hosts/" + id, "", AGENT_A), 403);
        assertProblem(delete("/aggregates/east/hosts/" + id, AGENT_A), 403);
        assertProblem(delete("/hosts/" + id, AGENT_A), 403);
        assertProblem(delete("/aggregates/east", AGENT_A), 403);
        assertThat(memberIds("east")).containsExactly(id);
    }

    @Test
    void twoAgentsRacingToRegisterOneNewHostLeaveItToOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String uuid = UUID.randomUUID().toString();
                Future<Answer> a =
                        pool.submit(() -> post("/hosts", registration(uuid, "by-a", List.of("a"), HASWELL), AGENT_A));
                Future<Answer> b =
                        pool.submit(() -> post("/hosts", registration(uuid, "by-b", List.of("b"), SKYLAKE), AGENT_B));
                List<Integer> statuses = List.of(a.get().status(), b.get().status());
                assertThat(statuses)
                        .as("round %d: %s / %s", round, a.get().body(), b.get().body())
                        .containsExactlyInAnyOrder(201, 403);
                String winner = a.get().status() == 201 ? "by-a" : "by-b";
                assertThat(get("/hosts/" + uuid).json().path("hostname").asString())
                        .isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Object> hostRow() {
        return jdbc.queryForMap("select * from host where id = ?", UUID.fromString(id));
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }
}
