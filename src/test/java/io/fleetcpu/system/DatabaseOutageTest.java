package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * While the database is down, every request that needs it is told to come back (503 problem+json with
 * Retry-After) within the configured connection timeout, and health says DOWN just as fast; when the database is
 * back, fleetcpu serves again without a restart, and every registration it answered 2xx is stored.
 */
class DatabaseOutageTest {

    private static final String DATABASE = "fleetcpu_outage";
    private static final long CONNECTION_TIMEOUT_MILLIS = 2000;
    /** The connection timeout, plus time for a loaded machine to answer. */
    private static final long ANSWER_WITHIN_MILLIS = CONNECTION_TIMEOUT_MILLIS + 3000;

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Outcome(String request, int status, long millis, String retryAfter, String contentType) {}

    @Test
    void requestsGet503WithRetryAfterAndHealthIsDownUntilTheDatabaseIsBack() throws Exception {
        try (OperatorPostgres postgres = OperatorPostgres.start(DATABASE);
                RunningService service = RunningService.start(
                        "--spring.datasource.url=" + postgres.url(DATABASE),
                        "--spring.datasource.username=" + OperatorPostgres.USER,
                        "--spring.datasource.password=" + OperatorPostgres.PASSWORD,
                        "--spring.datasource.hikari.connection-timeout=" + CONNECTION_TIMEOUT_MILLIS,
                        "--spring.datasource.hikari.validation-timeout=1000",
                        "--fleetcpu.embedded-postgres.data-directory=target/database-outage-test-unused")) {
            String known = UUID.randomUUID().toString();
            assertThat(register(service, known).status()).isEqualTo(201);
            assertThat(service.get("/actuator/health").statusCode()).isEqualTo(200);

            // An agent keeps registering hosts through the outage, one after the other.
            Map<String, Integer> registrations = new ConcurrentHashMap<>();
            List<Outcome> agent = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread registering = new Thread(() -> {
                while (!stop.get()) {
                    String uuid = UUID.randomUUID().toString();
                    Outcome outcome = register(service, uuid);
                    registrations.put(uuid, outcome.status());
                    agent.add(outcome);
                }
            });
            registering.start();
            Thread.sleep(500);

            postgres.stop();
            long stoppedAt = System.nanoTime();
            List<Outcome> during = new ArrayList<>();
            while (System.nanoTime() - stoppedAt < 12_000_000_000L) {
                during.add(timed("GET /hosts", () -> service.get("/hosts")));
                during.add(timed("GET /hosts/{id}", () -> service.get("/hosts/" + known)));
                during.add(timed("GET /actuator/health", () -> service.get("/actuator/health")));
                during.add(register(service, UUID.randomUUID().toString()));
            }
            int agentDuringOutage = agent.size();

            postgres.startAgain();
            long startedAt = System.nanoTime();
            Outcome health;
            do {
                health = timed("GET /actuator/health", () -> service.get("/actuator/health"));
            } while (health.status() != 200 && System.nanoTime() - startedAt < 60_000_000_000L);
            long recoveredMillis = (System.nanoTime() - startedAt) / 1_000_000;
            Thread.sleep(1000);
            stop.set(true);
            registering.join(30_000);

            System.out.println("during the outage: " + summary(during));
            System.out.println("the agent's registrations: " + summary(agent) + " (" + agentDuringOutage
                    + " by the time the database came back)");
            System.out.println("health UP again " + recoveredMillis + " ms after the database started");

            for (Outcome outcome : during) {
                assertThat(outcome.status()).as(outcome.toString()).isEqualTo(503);
                assertThat(outcome.millis()).as(outcome.toString()).isLessThan(ANSWER_WITHIN_MILLIS);
                assertThat(outcome.contentType())
                        .as(outcome.toString())
                        .startsWith(outcome.request().contains("health") ? "application/" : "application/problem+json");
                if (!outcome.request().contains("health")) {
                    assertThat(outcome.retryAfter()).as(outcome.toString()).isEqualTo("5");
                }
            }
            assertThat(agent)
                    .as("the agent's answers")
                    .allSatisfy(o -> assertThat(o.status()).isIn(200, 201, 503));
            assertThat(agent)
                    .as("503s carry Retry-After")
                    .allSatisfy(o ->
                            assertThat(o.status() == 503 ? o.retryAfter() : "5").isEqualTo("5"));
            assertThat(health.status()).as("health once the database is back").isEqualTo(200);
            assertThat(recoveredMillis).isLessThan(30_000);

            assertThat(service.get("/hosts/" + known).statusCode()).isEqualTo(200);
            HttpResponse<String> again =
                    service.post("/hosts", registration(UUID.randomUUID().toString()));
            assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
            int stored = 0;
            int lost = 0;
            int refusedButStored = 0;
            for (Map.Entry<String, Integer> registration : registrations.entrySet()) {
                boolean present = service.get("/hosts/" + registration.getKey()).statusCode() == 200;
                if (registration.getValue() < 300) {
                    stored += present ? 1 : 0;
                    lost += present ? 0 : 1;
                } else if (present) {
                    refusedButStored++;
                }
            }
            System.out.println("registrations answered 2xx: " + stored + " stored, " + lost + " lost; answered 503 "
                    + "yet stored: " + refusedButStored);
            assertThat(lost).as("registrations answered 2xx and not stored").isZero();
        }
    }

    private static Outcome register(RunningService service, String uuid) {
        return timed("POST /hosts", () -> service.post("/hosts", registration(uuid)));
    }

    private static String registration(String uuid) {
        return "{\"hostname\": \"outage-" + uuid.substring(0, 8) + "\", \"aggregates\": [\"outage\"], "
                + "\"capabilitiesXml\": " + JSON.writeValueAsString(RunningService.capabilities(uuid, HASWELL)) + "}";
    }

    private static Outcome timed(String request, java.util.function.Supplier<HttpResponse<String>> send) {
        long before = System.nanoTime();
        HttpResponse<String> answer = send.get();
        return new Outcome(
                request,
                answer.statusCode(),
                (System.nanoTime() - before) / 1_000_000,
                answer.headers().firstValue("Retry-After").orElse(null),
                answer.headers().firstValue("Content-Type").orElse(""));
    }

    /** Per request: statuses with counts, and p50 / max latency. */
    private static String summary(List<Outcome> outcomes) {
        Map<String, List<Outcome>> byRequest = new TreeMap<>();
        outcomes.forEach(o ->
                byRequest.computeIfAbsent(o.request(), r -> new ArrayList<>()).add(o));
        StringBuilder text = new StringBuilder();
        byRequest.forEach((request, list) -> {
            Map<Integer, Integer> statuses = new TreeMap<>();
            list.forEach(o -> statuses.merge(o.status(), 1, Integer::sum));
            List<Long> millis =
                    new ArrayList<>(list.stream().map(Outcome::millis).toList());
            Collections.sort(millis);
            text.append(request)
                    .append(' ')
                    .append(statuses)
                    .append(" p50 ")
                    .append(millis.get(millis.size() / 2))
                    .append(" ms, max ")
                    .append(millis.get(millis.size() - 1))
                    .append(" ms; ");
        });
        return text.toString();
    }
}
