package io.fleetcpu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint the running service serves, called by every kind of caller: no token, an unknown token, and a
 * token of each role. The endpoints come from the service's own handler mappings, so an endpoint added without a
 * line in {@link #expected} fails the test until someone decides who may call it.
 */
abstract class EndpointRoles extends ApiAssertions {

    /** Who calls. */
    enum Caller {
        NOBODY(null),
        UNKNOWN("not-a-configured-token-0123456789"),
        AGENT(AGENT_TOKEN),
        VIEWER(VIEWER_TOKEN),
        OPERATOR(TOKEN);

        final String token;

        Caller(String token) {
            this.token = token;
        }
    }

    static final Set<Caller> ANYONE = EnumSet.allOf(Caller.class);
    static final Set<Caller> READERS = EnumSet.of(Caller.VIEWER, Caller.OPERATOR);
    static final Set<Caller> REGISTRARS = EnumSet.of(Caller.AGENT, Caller.OPERATOR);
    static final Set<Caller> OPERATORS = EnumSet.of(Caller.OPERATOR);

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    /** The actuator's endpoints exposed over HTTP (their own handler mapping, not the controllers'). */
    @Autowired
    private PathMappedEndpoints actuator;

    /** Who may GET: anyone while reads are open, viewers and operators when they are closed. */
    abstract Set<Caller> readers();

    /** Who may call each endpoint, by "METHOD /path/{template}". */
    private Map<String, Set<Caller>> expected() {
        Set<Caller> reads = readers();
        Map<String, Set<Caller>> table = new TreeMap<>();
        table.put("GET /aggregates", reads);
        table.put("POST /aggregates", OPERATORS);
        table.put("GET /aggregates/{id}", reads);
        table.put("PUT /aggregates/{id}", OPERATORS);
        table.put("PATCH /aggregates/{id}", OPERATORS);
        table.put("DELETE /aggregates/{id}", OPERATORS);
        table.put("GET /aggregates/{id}/baseline", reads);
        table.put("GET /aggregates/{id}/history", reads);
        // guest names and UUIDs are tenant data: never open
        table.put("GET /aggregates/{id}/guests", READERS);
        table.put("PUT /aggregates/{id}/hosts/{hostId}", OPERATORS);
        table.put("DELETE /aggregates/{id}/hosts/{hostId}", OPERATORS);
        table.put("GET /aggregates/{id}/recommended-cpu", reads);
        table.put("POST /aggregates/{id}/what-if", reads);
        table.put("GET /cpu-models", reads);
        table.put("GET /cpu-models/{name}", reads);
        table.put("GET /catalogs", reads);
        table.put("GET /cpu-maps/{digest}", reads);
        // an agent uploads its libvirt's cpu_map when the service does not hold it
        table.put("PUT /cpu-maps/{digest}", REGISTRARS);
        table.put("GET /events", reads);
        table.put("GET /groupings", reads);
        table.put("GET /hosts", reads);
        table.put("POST /hosts", REGISTRARS);
        table.put("GET /hosts/{id}", reads);
        table.put("DELETE /hosts/{id}", OPERATORS);
        table.put("GET /hosts/{id}/documents/{document}", reads);
        table.put("GET /hosts/{id}/history", reads);
        table.put("GET /inventory", reads);
        table.put("POST /migrations/check", reads);
        // The dashboard's pages read as the API does; its what-if form is a GET that writes nothing, open as the
        // what-if POST is.
        table.put("GET /", reads);
        table.put("GET /dashboard/aggregates/{id}", reads);
        // The actuator: health stays open to anyone (probes); Prometheus's scrape and the rest are reads.
        table.put("GET /actuator", reads);
        table.put("GET /actuator/health", ANYONE);
        table.put("GET /actuator/info", reads);
        table.put("GET /actuator/prometheus", reads);
        return table;
    }

    /** Every (method, path) fleetcpu's controllers answer, as the running service maps them. */
    private Set<String> served() {
        Set<String> served = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
                mappings.getHandlerMethods().entrySet()) {
            Class<?> controller = entry.getValue().getBeanType();
            // The error controller answers the container's error dispatches (and any method at /error with a 404).
            // Controllers include the dashboard's pages (@Controller), not only the API's (@RestController).
            if (!controller.getPackageName().startsWith("io.fleetcpu")
                    || !AnnotatedElementUtils.hasAnnotation(controller, Controller.class)
                    || ErrorController.class.isAssignableFrom(controller)) {
                continue;
            }
            Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
            assertThat(methods)
                    .as("%s answers one method, not every one", entry.getKey())
                    .isNotEmpty();
            for (String path : entry.getKey().getPatternValues()) {
                methods.forEach(method -> served.add(method.name() + " " + path));
            }
        }
        // Actuator endpoints answer GET (the exposed ones: management.endpoints.web.exposure.include), and the
        // discovery page at the base path lists them.
        served.add("GET " + actuator.getBasePath());
        served.addAll(actuator.getAllPaths().stream().map(path -> "GET " + path).toList());
        return served;
    }

    @Test
    void everyEndpointHasADecidedSetOfRoles() {
        assertThat(served())
                .as("endpoints served; each needs a line in the expected table")
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(expected().keySet());
    }

    @Test
    void eachCallerGetsWhatItsRoleAllowsOnEveryEndpoint() {
        List<String> wrong = new ArrayList<>();
        Map<String, Set<Caller>> expected = expected();
        for (String endpoint : served()) {
            Set<Caller> allowed = expected.getOrDefault(endpoint, Set.of());
            for (Caller caller : Caller.values()) {
                Answer answer = call(endpoint, caller);
                String seen = endpoint + " as " + caller + ": " + answer.status() + " " + answer.body();
                if (allowed.contains(caller)) {
                    if (answer.status() == 401 || answer.status() == 403) {
                        wrong.add("refused, should be allowed: " + seen);
                    }
                } else {
                    int status = caller.token == null || caller == Caller.UNKNOWN ? 401 : 403;
                    if (answer.status() != status) {
                        wrong.add("should be " + status + ": " + seen);
                        continue;
                    }
                    assertProblem(answer, status);
                    if (status == 401) {
                        assertThat(answer.header("WWW-Authenticate")).as(seen).startsWith("Bearer realm=\"fleetcpu\"");
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private Answer call(String endpoint, Caller caller) {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String path = endpoint.substring(endpoint.indexOf(' ') + 1)
                .replace("{id}", UUID.randomUUID().toString())
                .replace("{hostId}", UUID.randomUUID().toString())
                .replace("{name}", "Haswell")
                .replace("{document}", "capabilities")
                .replace("{digest}", "0".repeat(64));
        HttpRequest.Builder request = builder(path)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        method.equals("GET") || method.equals("DELETE")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString("{}"));
        if (caller.token != null) {
            request.header("Authorization", "Bearer " + caller.token);
        }
        return send(request);
    }
}
