package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clients that send their request bodies a byte at a time (a broken network, or an attack) cannot take the request
 * threads: while 250 of them drip bodies, health checks, reads and a normal registration are answered at once, and
 * each slow one is refused with 408 when its time is up.
 */
class SlowClientsTest {

    private static final int SLOW_CLIENTS = 250;
    /** Refused before their bodies are read; the connection must not stay busy with the rest of the body. */
    private static final int WITHOUT_CREDENTIAL = 50;

    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void slowBodiesHoldNoRequestThreadAndAreRefusedWith408AtTheirDeadline() throws Exception {
        try (RunningService service = RunningService.start(
                "--fleetcpu.embedded-postgres.data-directory=target/test-postgres/slow-" + System.nanoTime(),
                "--fleetcpu.embedded-postgres.clean=true",
                "--fleetcpu.request.body-timeout=" + BODY_TIMEOUT.toMillis() + "ms")) {
            int port = ((WebServerApplicationContext) service.context())
                    .getWebServer()
                    .getPort();
            timed(service, port, "/actuator/health", 200);
            timed(service, port, "/hosts", 200);
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < SLOW_CLIENTS; i++) {
                    slow.add(startSlowRegistration(port, "Authorization: Bearer " + RunningService.TOKEN + "\r\n"));
                }
                List<Socket> withoutCredential = new ArrayList<>();
                for (int i = 0; i < WITHOUT_CREDENTIAL; i++) {
                    withoutCredential.add(startSlowRegistration(port, ""));
                }
                slow.addAll(withoutCredential);
                long start = System.nanoTime();
                List<Long> healthMillis = new ArrayList<>();
                List<Long> readMillis = new ArrayList<>();
                int registered = 0;
                // Drip one byte into every slow body every 2 s, past their deadline, while measuring answers.
                long nextDrip = 0;
                while (System.nanoTime() - start < BODY_TIMEOUT.plusSeconds(4).toNanos()) {
                    if (System.nanoTime() >= nextDrip) {
                        drip(slow);
                        nextDrip = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    }
                    healthMillis.add(timed(service, port, "/actuator/health", 200));
                    readMillis.add(timed(service, port, "/hosts", 200));
                    if (registered == 0
                            && System.nanoTime() - start > Duration.ofSeconds(3).toNanos()) {
                        String uuid = "00000000-0000-4000-8000-000000005105";
                        HttpResponse<String> answer = service.post(
                                "/hosts",
                                "{\"hostname\": \"while-slow\", "
                                        + "\"capabilitiesXml\": "
                                        + JsonMapper.builder()
                                                .build()
                                                .writeValueAsString(RunningService.capabilities(
                                                        uuid, "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml"))
                                        + "}");
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                        registered++;
                    }
                    Thread.sleep(100);
                }
                System.out.printf(
                        "slow clients: %d; health: %d answers, p50 %d ms, max %d ms; GET /hosts: "
                                + "p50 %d ms, max %d ms%n",
                        SLOW_CLIENTS,
                        healthMillis.size(),
                        percentile(healthMillis, 50),
                        percentile(healthMillis, 100),
                        percentile(readMillis, 50),
                        percentile(readMillis, 100));
                assertThat(percentile(healthMillis, 100))
                        .as("slowest health answer, ms")
                        .isLessThan(ANSWER_WITHIN.toMillis());
                assertThat(percentile(readMillis, 100))
                        .as("slowest GET /hosts, ms")
                        .isLessThan(ANSWER_WITHIN.toMillis());
                assertThat(registered).isEqualTo(1);

                Map<String, Integer> outcomes = new TreeMap<>();
                for (Socket socket : slow) {
                    outcomes.merge(outcome(socket), 1, Integer::sum);
                }
                System.out.println("slow clients got: " + outcomes);
                assertThat(outcomes)
                        .as("what the slow clients got")
                        .isEqualTo(Map.of("408, closed", SLOW_CLIENTS, "401, closed", WITHOUT_CREDENTIAL));
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    private static Socket startSlowRegistration(int port, String credential) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("localhost", port), 2000);
        socket.setSoTimeout(5000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /hosts HTTP/1.1\r\nHost: localhost\r\n" + credential
                        + "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static void drip(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.getOutputStream().write(' ');
                socket.getOutputStream().flush();
            } catch (IOException refused) {
                // the service closed it: what it does at the deadline
            }
        }
    }

    /** "408, closed" when the service answered 408 and closed the connection. */
    private static String outcome(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();
            String text = new String(answer, StandardCharsets.US_ASCII);
            String status = text.isEmpty()
                    ? "no answer"
                    : text.substring(0, Math.min(12, text.length())).substring(9);
            return status + ", closed";
        } catch (SocketTimeoutException e) {
            return "still open after 5 s";
        } catch (IOException e) {
            return "reset: " + e.getMessage();
        }
    }

    private long timed(RunningService service, int port, String path, int expected) throws Exception {
        long before = System.nanoTime();
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - before) / 1_000_000;
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(expected);
        return millis;
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }
}
