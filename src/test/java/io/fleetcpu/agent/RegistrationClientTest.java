package io.fleetcpu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.agent.FakeFleetcpuServer.Answer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrationClientTest {

    private static final String BODY =
            "{\"uuid\":\"4c4c4544-0046-3510-8057-b7c04f4e3232\",\"hostname\":\"compute-17\"}";
    private static final String TOKEN = "s3cret-token";

    private final FakeTime time = new FakeTime();
    private final StringWriter progress = new StringWriter();

    private RegistrationClient client(Duration initialDelay, Duration deadline) {
        // the jitter source always answers 0.5: delays are predictable
        return new RegistrationClient(
                new RetrySchedule(initialDelay, Duration.ofSeconds(60), deadline),
                time,
                time,
                () -> 0.5,
                new PrintWriter(progress),
                "0.1.0-test");
    }

    @Test
    void sendsOnePostWithTheBearerTokenAndTheJsonBody() {
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(
                n -> new Answer(201, Map.of("Location", "/hosts/4c4c4544-0046-3510-8057-b7c04f4e3232"), "{}"))) {

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(1), Duration.ofMinutes(5)).register(server.uri(), TOKEN, BODY);

            assertThat(outcome)
                    .isEqualTo(new RegistrationOutcome.Registered(
                            201, 1, "/hosts/4c4c4544-0046-3510-8057-b7c04f4e3232", List.of()));
            assertThat(outcome.exitCode()).isZero();
            assertThat(server.received()).singleElement().satisfies(request -> {
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.path()).isEqualTo("/hosts");
                assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
                assertThat(request.header("Content-Type")).isEqualTo("application/json");
                assertThat(request.body()).isEqualTo(BODY);
            });
            assertThat(time.sleeps()).isEmpty();
        }
    }

    @Test
    void noTokenMeansNoAuthorizationHeader() {
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(n -> Answer.of(200))) {
            URI withPrefixAndSlash = URI.create(server.uri() + "/fleetcpu/");

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(1), Duration.ofMinutes(5)).register(withPrefixAndSlash, null, BODY);

            assertThat(outcome.exitCode()).isEqualTo(ExitStatus.REGISTERED);
            assertThat(server.received()).singleElement().satisfies(request -> {
                assertThat(request.path()).isEqualTo("/fleetcpu/hosts");
                assertThat(request.header("Authorization")).isNull();
            });
        }
    }

    @Test
    void retriesServiceUnavailableWithGrowingJitteredDelaysUntilAccepted() {
        int failures = 3;
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(n -> n <= failures ? Answer.of(503) : Answer.of(201))) {

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(2), Duration.ofMinutes(5)).register(server.uri(), TOKEN, BODY);

            assertThat(outcome).isInstanceOf(RegistrationOutcome.Registered.class);
            assertThat(((RegistrationOutcome.Registered) outcome).attempts()).isEqualTo(failures + 1);
            assertThat(server.received())
                    .hasSize(failures + 1)
                    .allSatisfy(request -> assertThat(request.body()).isEqualTo(BODY));
            // ceilings 2s, 4s, 8s; jitter 0.5 puts each at three quarters of its ceiling
            assertThat(time.sleeps())
                    .containsExactly(Duration.ofMillis(1500), Duration.ofMillis(3000), Duration.ofMillis(6000));
            assertThat(progress.toString()).contains("try 1 failed: HTTP 503 from POST " + server.uri() + "/hosts");
        }
    }

    @Test
    void retriesABodyTheServerTimedOut() {
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(n -> n == 1 ? Answer.of(408) : Answer.of(201))) {

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(2), Duration.ofMinutes(5)).register(server.uri(), TOKEN, BODY);

            assertThat(outcome).isInstanceOf(RegistrationOutcome.Registered.class);
            assertThat(((RegistrationOutcome.Registered) outcome).attempts()).isEqualTo(2);
            assertThat(progress.toString()).contains("try 1 failed: HTTP 408 from POST " + server.uri() + "/hosts");
        }
    }

    @Test
    void honoursRetryAfterInSecondsOn429() {
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(
                n -> n == 1 ? new Answer(429, Map.of("Retry-After", "7"), "") : Answer.of(200))) {

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(1), Duration.ofMinutes(5)).register(server.uri(), TOKEN, BODY);

            assertThat(outcome.exitCode()).isEqualTo(ExitStatus.REGISTERED);
            assertThat(server.received()).hasSize(2);
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
        }
    }

    @Test
    void honoursRetryAfterAsAnHttpDate() {
        String inThirtySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                time.instant().plusSeconds(30).atZone(ZoneOffset.UTC));
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(
                n -> n == 1 ? new Answer(503, Map.of("Retry-After", inThirtySeconds), "") : Answer.of(201))) {

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(1), Duration.ofMinutes(5)).register(server.uri(), TOKEN, BODY);

            assertThat(outcome.exitCode()).isEqualTo(ExitStatus.REGISTERED);
            assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30));
        }
    }

    @Test
    void aRetryAfterPastTheDeadlineEndsTheTriesAtOnce() {
        try (FakeFleetcpuServer server =
                new FakeFleetcpuServer(n -> new Answer(429, Map.of("Retry-After", "3600"), ""))) {

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(1), Duration.ofMinutes(5)).register(server.uri(), TOKEN, BODY);

            assertThat(outcome.exitCode()).isEqualTo(ExitStatus.UNREACHABLE);
            assertThat(outcome.message()).contains("HTTP 429").contains("retry after 1h, past the deadline");
            assertThat(server.received()).hasSize(1);
        }
    }

    @Test
    void givesUpAtTheDeadlineWhenTheServerAlwaysFails() {
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(n -> Answer.json(
                503,
                "application/problem+json",
                "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"database is starting\"}"))) {

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(1), Duration.ofSeconds(30)).register(server.uri(), TOKEN, BODY);

            assertThat(outcome).isInstanceOf(RegistrationOutcome.Unreachable.class);
            assertThat(outcome.exitCode()).isEqualTo(4);
            assertThat(outcome.message())
                    .contains("last failure: HTTP 503 from POST " + server.uri() + "/hosts")
                    .contains("Service Unavailable: database is starting")
                    .contains("in 30s");
            assertThat(time.slept()).isEqualTo(Duration.ofSeconds(30));
            // 0.75s, 1.5s, 3s, 6s, 12s, then what is left (6.75s) for a last try at the deadline
            assertThat(server.received()).hasSize(7);
        }
    }

    @Test
    void retriesARefusedConnectionThenGivesUp() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nobodyListening = URI.create("http://127.0.0.1:" + closedPort);

        RegistrationOutcome outcome =
                client(Duration.ofSeconds(1), Duration.ofSeconds(10)).register(nobodyListening, TOKEN, BODY);

        assertThat(outcome.exitCode()).isEqualTo(ExitStatus.UNREACHABLE);
        assertThat(((RegistrationOutcome.Unreachable) outcome).attempts()).isGreaterThan(1);
        assertThat(outcome.message()).contains("last failure: cannot connect to " + nobodyListening + "/hosts");
        assertThat(time.slept()).isEqualTo(Duration.ofSeconds(10));
        assertThat(progress.toString()).contains("try 1 failed: cannot connect to");
    }

    @Test
    void aProblemWithFieldErrorsIsNotRetriedAndIsShownFieldByField() {
        String problem = """
                {"type":"about:blank","title":"Unprocessable Entity","status":422,
                 "detail":"the registration is incomplete",
                 "errors":[{"field":"uuid","problem":"must be libvirt's host UUID"},
                           {"field":"aggregates[0]","problem":"must not be blank"}]}""";
        try (FakeFleetcpuServer server =
                new FakeFleetcpuServer(n -> Answer.json(422, "application/problem+json", problem))) {

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(1), Duration.ofMinutes(5)).register(server.uri(), TOKEN, BODY);

            assertThat(outcome.exitCode()).isEqualTo(ExitStatus.REFUSED);
            assertThat(server.received()).hasSize(1);
            assertThat(time.sleeps()).isEmpty();
            assertThat(outcome.message())
                    .contains("HTTP 422")
                    .contains("Unprocessable Entity: the registration is incomplete")
                    .contains("uuid: must be libvirt's host UUID")
                    .contains("aggregates[0]: must not be blank");
        }
    }

    @Test
    void anUnauthorizedAnswerPointsAtTheToken() {
        try (FakeFleetcpuServer server = new FakeFleetcpuServer(
                n -> Answer.json(
                        401,
                        "application/problem+json",
                        "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"changing fleetcpu's state needs a token\"}"))) {

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(1), Duration.ofMinutes(5)).register(server.uri(), "wrong", BODY);

            assertThat(outcome.exitCode()).isEqualTo(ExitStatus.REFUSED);
            assertThat(outcome.message())
                    .contains("Unauthorized: changing fleetcpu's state needs a token")
                    .contains("--token-file");
            assertThat(server.received()).hasSize(1);
        }
    }

    @Test
    void aBodyThatIsNotAProblemIsShownAsText() {
        try (FakeFleetcpuServer server =
                new FakeFleetcpuServer(n -> Answer.json(404, "text/html", "<html>no such page</html>"))) {

            RegistrationOutcome outcome =
                    client(Duration.ofSeconds(1), Duration.ofMinutes(5)).register(server.uri(), TOKEN, BODY);

            assertThat(outcome.exitCode()).isEqualTo(ExitStatus.REFUSED);
            assertThat(outcome.message()).contains("HTTP 404").contains("<html>no such page</html>");
        }
    }
}
