package io.fleetcpu.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts one registration to {@code {server}/hosts}, retrying connection errors, 5xx, 429 and 408 (the body took
 * longer than the server waits, as on a congested link) on a
 * {@link RetrySchedule} until the deadline. A {@code Retry-After} (seconds or an HTTP date) is honoured as the least
 * wait; when it points past the deadline the client gives up at once instead of ignoring it.
 *
 * <p>Why not Spring Framework 7's {@code RetryTemplate}: it sleeps with {@code Thread.sleep} and measures its timeout
 * with {@code System.currentTimeMillis}, so tests would really wait, and its {@code BackOff} cannot see the
 * response, so it cannot honour {@code Retry-After}. The loop below is short and takes its clock and sleeper.
 */
public final class RegistrationClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final JsonMapper json;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final PrintWriter progress;
    private final String userAgent;

    /**
     * @param progress where each failed try and the wait before the next are reported (stderr; the journal)
     */
    public RegistrationClient(
            RetrySchedule schedule,
            Clock clock,
            Sleeper sleeper,
            DoubleSupplier random,
            PrintWriter progress,
            @Nullable String agentVersion) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.json = JsonMapper.builder().build();
        this.schedule = schedule;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.progress = progress;
        this.userAgent = "fleetcpu-agent/" + (agentVersion == null ? "dev" : agentVersion);
    }

    /** The registration endpoint under a server address that may carry a path prefix or a trailing slash. */
    public static URI hostsEndpoint(URI server) {
        String base = server.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/hosts");
    }

    /**
     * @param token the bearer token, or null to send none
     * @param body  the registration as JSON
     */
    public RegistrationOutcome register(URI server, @Nullable String token, String body) {
        return send("POST", hostsEndpoint(server), "the registration", token, body);
    }

    /**
     * Uploads the host's libvirt's cpu_map ({@code PUT {server}/cpu-maps/{digest}}), with the same retries: a 2xx
     * ends as {@link RegistrationOutcome.Registered}, the map then held by the service.
     *
     * @param body the map's files as JSON ({@link HostCpuMap#uploadJson})
     */
    public RegistrationOutcome uploadCpuMap(URI server, @Nullable String token, String digest, String body) {
        URI endpoint = URI.create(hostsEndpoint(server).toString().replaceFirst("/hosts$", "/cpu-maps/" + digest));
        return send("PUT", endpoint, "the cpu_map upload", token, body);
    }

    private RegistrationOutcome send(String method, URI endpoint, String what, @Nullable String token, String body) {
        Instant start = clock.instant();
        Instant deadline = start.plus(schedule.deadline());
        int attempts = 0;
        while (true) {
            attempts++;
            Failure failure;
            try {
                HttpResponse<String> response = http.send(
                        request(method, endpoint, token, body),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new RegistrationOutcome.Registered(
                            status,
                            attempts,
                            response.headers().firstValue("Location").orElse(null),
                            RegistrationChanges.lines(json, response.body()));
                }
                if (status != 408 && status != 429 && status < 500) {
                    ProblemDetails problem = ProblemDetails.parse(json, response.body());
                    return new RegistrationOutcome.Refused(
                            status,
                            refusal(method, endpoint, what, response, problem),
                            problem == null
                                    ? List.of()
                                    : problem.errors().stream()
                                            .map(ProblemDetails.FieldProblem::field)
                                            .filter(java.util.Objects::nonNull)
                                            .toList());
                }
                failure = new Failure(httpFailure(method, endpoint, response), retryAfter(response));
            } catch (IOException e) {
                failure = new Failure(connectionFailure(endpoint, e), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new RegistrationOutcome.Unreachable(
                        "interrupted while talking to " + endpoint, attempts, elapsed(start));
            }

            Instant now = clock.instant();
            Duration left = Duration.between(now, deadline);
            // Retry-After is the least the server wants; the back-off may ask for more
            Duration wait = schedule.delayAfter(attempts, random);
            if (failure.retryAfter != null && failure.retryAfter.compareTo(wait) > 0) {
                wait = failure.retryAfter;
            }
            if (left.isNegative() || left.isZero()) {
                return new RegistrationOutcome.Unreachable(failure.description, attempts, elapsed(start));
            }
            if (wait.compareTo(left) > 0) {
                if (failure.retryAfter != null) {
                    return new RegistrationOutcome.Unreachable(
                            failure.description + " (it asked to retry after " + Durations.format(failure.retryAfter)
                                    + ", past the deadline)",
                            attempts,
                            elapsed(start));
                }
                wait = left; // one last try right at the deadline
            }
            progress.println(
                    "try " + attempts + " failed: " + failure.description + "; next try in " + Durations.format(wait));
            progress.flush();
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new RegistrationOutcome.Unreachable(
                        failure.description + " (interrupted while waiting)", attempts, elapsed(start));
            }
        }
    }

    private record Failure(String description, @Nullable Duration retryAfter) {}

    private HttpRequest request(String method, URI endpoint, @Nullable String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent)
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private String refusal(
            String method, URI endpoint, String what, HttpResponse<String> response, @Nullable ProblemDetails problem) {
        int status = response.statusCode();
        StringBuilder message = new StringBuilder("the server refused ")
                .append(what)
                .append(": HTTP ")
                .append(status)
                .append(" from ")
                .append(method)
                .append(" ")
                .append(endpoint);
        if (status >= 300 && status < 400) {
            response.headers()
                    .firstValue("Location")
                    .ifPresent(location -> message.append("; it redirects to ")
                            .append(location)
                            .append(" (use that address as --server)"));
            return message.toString();
        }
        if (problem == null) {
            String text = response.body() == null ? "" : response.body().strip();
            if (!text.isEmpty()) {
                message.append(": ").append(text.length() > 500 ? text.substring(0, 500) + "…" : text);
            }
            return message.toString();
        }
        if (problem.summary() != null) {
            message.append(": ").append(problem.summary());
        }
        for (ProblemDetails.FieldProblem error : problem.errors()) {
            message.append(System.lineSeparator())
                    .append("  ")
                    .append(error.field())
                    .append(": ")
                    .append(error.problem());
        }
        if (status == 401) {
            message.append(System.lineSeparator())
                    .append("  (check the token in --token-file against the service's agent tokens)");
        } else if (status == 403) {
            message.append(System.lineSeparator())
                    .append("  (the token in --token-file is known but may not do this: it is not an agent token, or "
                            + "this host is registered with another agent token)");
        }
        return message.toString();
    }

    private String httpFailure(String method, URI endpoint, HttpResponse<String> response) {
        String text = "HTTP " + response.statusCode() + " from " + method + " " + endpoint;
        ProblemDetails problem = ProblemDetails.parse(json, response.body());
        return problem == null || problem.summary() == null ? text : text + " (" + problem.summary() + ")";
    }

    private static String connectionFailure(URI endpoint, IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "cannot connect to " + endpoint + ": no connection within " + Durations.format(CONNECT_TIMEOUT);
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer from " + endpoint + " within " + Durations.format(REQUEST_TIMEOUT);
        }
        String reason = null;
        for (Throwable t = e; t != null && reason == null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                reason = "unknown host name '" + endpoint.getHost() + "'";
            } else if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        if (reason == null) {
            // the JDK's client says nothing more when nobody listens on the port
            reason = e instanceof ConnectException
                    ? "connection refused"
                    : e.getClass().getSimpleName();
        }
        return "cannot connect to " + endpoint + ": " + reason;
    }

    /** Retry-After is either seconds or an HTTP date; anything else is ignored (the back-off applies). */
    private @Nullable Duration retryAfter(HttpResponse<String> response) {
        String value =
                response.headers().firstValue("Retry-After").map(String::strip).orElse(null);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                        .toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private String elapsed(Instant start) {
        return Durations.format(Duration.between(start, clock.instant()));
    }
}
