package io.fleetcpu.system.internal;

import io.fleetcpu.system.Access;
import io.fleetcpu.system.Role;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;

/**
 * The head of the API contract ({@code openapi.yaml} at the repository root is this document as
 * springdoc writes it). The token and body-size rules are enforced by servlet filters, which
 * springdoc cannot see, so they are declared here, next to those filters, for every operation
 * they apply to.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info =
                @Info(
                        title = "fleetcpu",
                        version = "1",
                        description = """
                        Guest CPU models for groups of KVM hosts that keep both performance and live migration.

                        Agents on compute nodes register what each host's CPU really is (libvirt's own documents); \
                        fleetcpu keeps it in PostgreSQL and recommends, for every aggregate, the guest CPU \
                        configuration that all its hosts can run: the libvirt `<cpu>` element and the `nova.conf` lines.

                        Reads, and the POSTs that only ask a question (what-if, migration checks), are open unless \
                        fleetcpu.security.reads-need-credential closes them (then a viewer or operator token). Every \
                        other POST, PUT and DELETE needs `Authorization: Bearer <token>` with a token of a role that \
                        may: an agent registers its own hosts, an operator does everything (`x-fleetcpu-roles` on \
                        each operation). \
                        Errors are RFC 9457 problem details (`application/problem+json`).""",
                        license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        // A relative server, so the document does not depend on where (or on which port) the service runs.
        servers = @Server(url = "/", description = "this fleetcpu service"))
@SecurityScheme(
        name = OpenApiConfiguration.BEARER_TOKEN,
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description = "An API token of a role: operator (fleetcpu.security.tokens, or the one fleetcpu made at first "
                + "start in fleetcpu.security.token-file), agent or viewer. Needed on POST, PUT, PATCH and DELETE; reads are "
                + "open unless fleetcpu.security.reads-need-credential is set.")
public class OpenApiConfiguration {

    public static final String BEARER_TOKEN = "bearerToken";

    private static final String PROBLEM_DETAIL = "ProblemDetail";

    private static final Set<PathItem.HttpMethod> READS =
            Set.of(PathItem.HttpMethod.GET, PathItem.HttpMethod.HEAD, PathItem.HttpMethod.OPTIONS);

    /**
     * What {@link ApiTokenFilter} and {@link RequestBodyLimitFilter} do to every request, declared per operation;
     * and every error a controller declares (by status and description) answered as {@link Problems} writes it:
     * controllers declare no content for errors.
     */
    @Bean
    OpenApiCustomizer contractCustomizer(AccessRules access) {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas(PROBLEM_DETAIL, problemDetailSchema());
            // Tags, paths and schemas in a stable order, so the written contract does not move when the order
            // in which springdoc discovers handlers and types does.
            if (openApi.getTags() != null) {
                List<Tag> tags = new ArrayList<>(openApi.getTags());
                tags.sort(Comparator.comparing(Tag::getName));
                openApi.setTags(tags);
            }
            openApi.getComponents()
                    .setSchemas(new TreeMap<>(openApi.getComponents().getSchemas()));
            Paths sorted = new Paths();
            new TreeMap<>(openApi.getPaths()).forEach(sorted::addPathItem);
            sorted.setExtensions(openApi.getPaths().getExtensions());
            openApi.setPaths(sorted);
            for (Map.Entry<String, PathItem> path : sorted.entrySet()) {
                for (Map.Entry<PathItem.HttpMethod, Operation> entry :
                        path.getValue().readOperationsMap().entrySet()) {
                    Operation operation = entry.getValue();
                    if (operation.getResponses() == null) {
                        operation.setResponses(new ApiResponses());
                    }
                    // The questions (what-if, migration checks) are POSTs that read: as open as the GETs. Reads of
                    // tenant data never are.
                    if ((!READS.contains(entry.getKey()) || access.tenantData(path.getKey()))
                            && access.needed(entry.getKey().name(), path.getKey()) != Access.OPEN) {
                        if (operation.getSecurity() == null
                                || operation.getSecurity().isEmpty()) {
                            operation.addSecurityItem(new SecurityRequirement().addList(BEARER_TOKEN));
                        }
                        operation
                                .getResponses()
                                .putIfAbsent(
                                        "401",
                                        problem(
                                                "No 'Authorization: Bearer <token>' header with a configured API token"));
                        Access needed = access.needed(entry.getKey().name(), path.getKey());
                        operation.addExtension(
                                "x-fleetcpu-roles",
                                Arrays.stream(Role.values())
                                        .filter(r -> r.may(needed))
                                        .map(Role::label)
                                        .toList());
                        operation
                                .getResponses()
                                .putIfAbsent(
                                        "403",
                                        problem(
                                                "The token's role may not do this (x-fleetcpu-roles names the roles that may)"));
                    }
                    if (operation.getRequestBody() != null) {
                        operation
                                .getResponses()
                                .putIfAbsent(
                                        "413",
                                        problem(
                                                "The request body is larger than fleetcpu.request.max-body-size (2MB by default)"));
                        operation
                                .getResponses()
                                .putIfAbsent(
                                        "408",
                                        problem("The request body did not arrive whole "
                                                + "within fleetcpu.request.body-timeout (30s by default)"));
                    }
                    operation
                            .getResponses()
                            .putIfAbsent(
                                    "503",
                                    problem("The database cannot be reached just now "
                                            + "(fleetcpu waits spring.datasource.hikari.connection-timeout for it); Retry-After says "
                                            + "when to come back"));
                    // springdoc gives every declared response the handler's return type; errors and
                    // bodiless statuses do not have it.
                    operation.getResponses().forEach((status, response) -> {
                        if (status.matches("[45]..")) {
                            response.setContent(problemContent());
                        } else if (status.equals("204") || status.equals("304")) {
                            response.setContent(null);
                        }
                    });
                    operation.setResponses(inStatusOrder(operation.getResponses()));
                }
            }
        };
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(problemContent());
    }

    private static Content problemContent() {
        return new Content()
                .addMediaType(
                        MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        new io.swagger.v3.oas.models.media.MediaType()
                                .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_DETAIL)));
    }

    /** RFC 9457 problem details as {@link Problems} and {@link ProblemAdvice} write them, with fleetcpu's extensions. */
    private static Schema<?> problemDetailSchema() {
        Schema<?> fieldProblem = new ObjectSchema()
                .addProperty(
                        "field",
                        new StringSchema()
                                .description("where in the request, as a JSON path")
                                .example("policy.goal"))
                .addProperty("problem", new StringSchema().description("what is wrong with it"));
        return new ObjectSchema()
                .description("RFC 9457 problem details, with a message a person can act on")
                .addProperty("type", new StringSchema().format("uri").example("https://fleetcpu.io/problems/not-found"))
                .addProperty("title", new StringSchema().example("Not found"))
                .addProperty("status", new IntegerSchema().example(404))
                .addProperty("detail", new StringSchema().example("no aggregate 'haswell-east'"))
                .addProperty(
                        "instance", new StringSchema().format("uri-reference").example("/aggregates/haswell-east"))
                .addProperty(
                        "errors",
                        new ArraySchema()
                                .items(fieldProblem)
                                .description("422 and 400 on parameters: each field that is wrong"))
                .addProperty(
                        "hosts",
                        new ArraySchema().items(new StringSchema()).description("409: the hosts that are in the way"))
                .addProperty(
                        "supportedMediaTypes",
                        new ArraySchema()
                                .items(new StringSchema())
                                .description("406: the media types the resource answers in, to ask for in Accept"));
    }

    private static ApiResponses inStatusOrder(ApiResponses responses) {
        ApiResponses ordered = new ApiResponses();
        new TreeMap<>(responses).forEach(ordered::addApiResponse);
        ordered.setExtensions(responses.getExtensions());
        return ordered;
    }
}
