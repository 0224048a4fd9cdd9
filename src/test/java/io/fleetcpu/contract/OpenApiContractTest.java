package io.fleetcpu.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fleetcpu.testing.ApiTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code openapi.yaml} at the repository root is the API contract: it must say exactly what the running
 * service publishes at {@code /v3/api-docs}. When this test fails, the service and the contract disagree;
 * if the change to the API is meant, regenerate the contract and review its diff:
 *
 * <pre>
 * ./mvnw -q -o test -Dtest=OpenApiContractTest -Dfleetcpu.openapi.write=true
 * </pre>
 *
 * which writes springdoc's own YAML ({@code /v3/api-docs.yaml}) to {@code openapi.yaml} and then checks it.
 * Against a running service the same file is {@code curl -s http://localhost:8080/v3/api-docs.yaml > openapi.yaml}.
 */
// Extends ApiTest so that the Spring context (and its embedded PostgreSQL) is the one every API test shares.
class OpenApiContractTest extends ApiTest {

    private static final Path CONTRACT = Path.of("openapi.yaml");
    private static final int SHOWN_DIFFERENCES = 25;
    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private Map<String, Object> published() {
        Answer answer = get("/v3/api-docs");
        assertThat(answer.status()).as("GET /v3/api-docs").isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> document = JSON.readValue(answer.body(), Map.class);
        return document;
    }

    private Map<String, Object> contract() throws IOException {
        if (Boolean.getBoolean("fleetcpu.openapi.write")) {
            Answer yaml = get("/v3/api-docs.yaml");
            assertThat(yaml.status()).as("GET /v3/api-docs.yaml").isEqualTo(200);
            Files.writeString(CONTRACT, yaml.body(), StandardCharsets.UTF_8);
        }
        assertThat(CONTRACT)
                .as("the API contract openapi.yaml at the repository root")
                .exists();
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(CONTRACT, StandardCharsets.UTF_8));
        assertThat(loaded).as("openapi.yaml holds one YAML mapping").isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> document = (Map<String, Object>) loaded;
        return document;
    }

    @Test
    void theContractIsWhatTheServicePublishes() throws IOException {
        List<String> differences = new ArrayList<>();
        compare("", contract(), published(), differences);
        if (!differences.isEmpty()) {
            fail(String.format(
                    "openapi.yaml differs from the running service's /v3/api-docs at %d place(s), the first:%n"
                            + "  %s%nIf the API change is meant, regenerate the contract and review its diff:%n"
                            + "  ./mvnw -q -o test -Dtest=OpenApiContractTest -Dfleetcpu.openapi.write=true",
                    differences.size(),
                    String.join(
                            System.lineSeparator() + "  ",
                            differences.subList(0, Math.min(SHOWN_DIFFERENCES, differences.size())))));
        }
    }

    // Note: /v3/api-docs.yaml needs snakeyaml at run time; the pom declares snakeyaml test-scoped, which
    // demotes the copy jackson-dataformat-yaml brings, so the packaged service answers 500 here while tests pass.
    @Test
    void springdocsYamlIsTheSameDocumentAsItsJson() {
        Answer yaml = get("/v3/api-docs.yaml");
        assertThat(yaml.status()).as("GET /v3/api-docs.yaml").isEqualTo(200);
        List<String> differences = new ArrayList<>();
        compare("", new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml.body()), published(), differences);
        assertThat(differences).isEmpty();
    }

    @Test
    void everyOperationHasAnIdASummaryAndDeclaredResponses() {
        List<String> missing = new ArrayList<>();
        operations(published()).forEach((where, operation) -> {
            if (isBlank(operation.get("summary"))) {
                missing.add(where + ": no summary");
            }
            if (isBlank(operation.get("operationId"))) {
                missing.add(where + ": no operationId");
            }
            Map<String, Object> responses = map(operation.get("responses"));
            if (responses.keySet().stream().noneMatch(status -> status.startsWith("2"))) {
                missing.add(where + ": no success response");
            }
            if (responses.containsKey("default")) {
                missing.add(where + ": a 'default' response instead of declared statuses");
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void operationIdsAreUnique() {
        List<String> ids = operations(published()).values().stream()
                .map(o -> String.valueOf(o.get("operationId")))
                .toList();
        assertThat(ids).doesNotHaveDuplicates();
    }

    /** Every request handled by a controller of ours is in the document, and nothing else is. */
    @Test
    void everyControllerEndpointIsDocumented() {
        Set<String> served = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
                mappings.getHandlerMethods().entrySet()) {
            Class<?> controller = entry.getValue().getBeanType();
            if (!controller.getPackageName().startsWith("io.fleetcpu")
                    || !AnnotatedElementUtils.hasAnnotation(controller, RestController.class)) {
                continue;
            }
            for (String path : entry.getKey().getPatternValues()) {
                for (RequestMethod method : entry.getKey().getMethodsCondition().getMethods()) {
                    served.add(method.name().toLowerCase() + " " + path);
                }
            }
        }
        assertThat(served).as("handler methods of fleetcpu's controllers").isNotEmpty();
        Set<String> documented = new TreeSet<>(operations(published()).keySet());
        assertThat(documented).as("operations in /v3/api-docs").containsExactlyElementsOf(served);
    }

    private static final Set<String> QUESTIONS = Set.of("post /aggregates/{id}/what-if", "post /migrations/check");

    private static final Set<String> TENANT_DATA = Set.of("get /aggregates/{id}/guests");

    @Test
    void changingStateNeedsTheBearerTokenAndReadsAreOpen() {
        Map<String, Object> document = published();
        Map<String, Object> schemes = map(map(document.get("components")).get("securitySchemes"));
        assertThat(schemes).containsKey("bearerToken");
        assertThat(map(schemes.get("bearerToken")))
                .containsEntry("type", "http")
                .containsEntry("scheme", "bearer");
        assertThat(document.get("security"))
                .as("no global security: reads are open")
                .isNull();
        operations(document).forEach((where, operation) -> {
            Object security = operation.get("security");
            // The two questions (what-if, migration checks) are POSTs that write nothing: as open as the reads.
            // Guest names are tenant data: never open.
            if (where.startsWith("get ") && !TENANT_DATA.contains(where) || QUESTIONS.contains(where)) {
                assertThat(security).as(where).isNull();
                assertThat(map(operation.get("responses"))).as(where).doesNotContainKeys("401", "403");
            } else {
                assertThat(security).as(where).isEqualTo(List.of(Map.of("bearerToken", List.of())));
                assertThat(map(operation.get("responses"))).as(where).containsKeys("401", "403");
                assertThat(operation.get("x-fleetcpu-roles"))
                        .as(where + ": the roles that may")
                        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                        .contains("operator");
            }
        });
    }

    @Test
    void errorsAreProblemDetails() {
        Map<String, Object> document = published();
        assertThat(map(map(document.get("components")).get("schemas"))).containsKey("ProblemDetail");
        operations(document)
                .forEach((where, operation) -> map(operation.get("responses")).forEach((status, response) -> {
                    if (status.startsWith("4") || status.startsWith("5")) {
                        assertThat(map(map(response).get("content")).keySet())
                                .as(where + " " + status)
                                .containsExactly("application/problem+json");
                    }
                }));
    }

    @Test
    void theRecommendedCpuIsDocumentedInEveryFormat() {
        Map<String, Object> operation = operations(published()).get("get /aggregates/{id}/recommended-cpu");
        Map<String, Object> ok = map(map(operation.get("responses")).get("200"));
        assertThat(map(ok.get("content")).keySet())
                .containsExactlyInAnyOrder("application/json", "application/xml", "application/yaml", "text/plain");
    }

    /** Operations by "method path", e.g. "get /hosts/{id}". */
    private static Map<String, Map<String, Object>> operations(Map<String, Object> document) {
        Map<String, Map<String, Object>> operations = new java.util.LinkedHashMap<>();
        map(document.get("paths"))
                .forEach((path, item) -> map(item).forEach((method, operation) -> {
                    if (HTTP_METHODS.contains(method)) {
                        operations.put(method + " " + path, map(operation));
                    }
                }));
        return operations;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static boolean isBlank(Object value) {
        return value == null || value.toString().isBlank();
    }

    /** Collects the places where two trees differ, as JSON pointers; key order does not matter, list order does. */
    private static void compare(String pointer, Object expected, Object actual, List<String> differences) {
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            Set<Object> keys = new java.util.LinkedHashSet<>(e.keySet());
            keys.addAll(a.keySet());
            for (Object key : keys) {
                String at = pointer + "/" + key.toString().replace("~", "~0").replace("/", "~1");
                if (!a.containsKey(key)) {
                    differences.add(at + ": only in openapi.yaml: " + brief(e.get(key)));
                } else if (!e.containsKey(key)) {
                    differences.add(at + ": only in the running service: " + brief(a.get(key)));
                } else {
                    compare(at, e.get(key), a.get(key), differences);
                }
            }
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
                String at = pointer + "/" + i;
                if (i >= a.size()) {
                    differences.add(at + ": only in openapi.yaml: " + brief(e.get(i)));
                } else if (i >= e.size()) {
                    differences.add(at + ": only in the running service: " + brief(a.get(i)));
                } else {
                    compare(at, e.get(i), a.get(i), differences);
                }
            }
        } else if (!scalar(expected).equals(scalar(actual))) {
            differences.add((pointer.isEmpty() ? "/" : pointer) + ": openapi.yaml has " + brief(expected)
                    + ", the running service " + brief(actual));
        }
    }

    /** YAML and JSON readers pick different number types for the same number. */
    private static Object scalar(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        return value == null ? "<null>" : value;
    }

    private static String brief(Object value) {
        String text = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }
}
