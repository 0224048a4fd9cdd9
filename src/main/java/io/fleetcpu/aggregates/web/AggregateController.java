package io.fleetcpu.aggregates.web;

import io.fleetcpu.aggregates.AggregateRequest;
import io.fleetcpu.aggregates.AggregateService;
import io.fleetcpu.aggregates.AggregateView;
import io.fleetcpu.system.JsonMergePatch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Aggregates as resources: create, read, replace, patch, delete, and their hosts joining and leaving. What an
 * aggregate's hosts should run is {@link AggregateAnswerController}'s.
 */
@RestController
@RequestMapping("/aggregates")
@Tag(name = "aggregates", description = "Groups of hosts that share one guest CPU configuration")
class AggregateController {

    private final AggregateService aggregates;

    AggregateController(AggregateService aggregates) {
        this.aggregates = aggregates;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "createAggregate",
            summary = "Create an aggregate",
            description =
                    "The id is in the body. To create or replace an aggregate under a known id, PUT /aggregates/{id}.")
    @ApiResponse(
            responseCode = "201",
            description = "The aggregate, with no hosts yet",
            headers =
                    @Header(
                            name = "Location",
                            description = "/aggregates/{id} of the new aggregate",
                            schema = @Schema(type = "string", format = "uri-reference")))
    @ApiResponse(responseCode = "400", description = "The body is not JSON for this endpoint")
    @ApiResponse(responseCode = "409", description = "An aggregate with this id exists")
    @ApiResponse(responseCode = "422", description = "Invalid id or unknown policy goal; 'errors' names each field")
    ResponseEntity<AggregateView> create(@RequestBody AggregateRequest request) {
        AggregateView created = aggregates.create(request);
        return ResponseEntity.created(URI.create("/aggregates/" + created.id())).body(created);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listAggregates", summary = "All aggregates, by id, with their hosts")
    @ApiResponse(responseCode = "200", description = "The aggregates")
    List<AggregateView> list() {
        return aggregates.list();
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getAggregate", summary = "One aggregate with its hosts")
    @ApiResponse(
            responseCode = "200",
            description = "The aggregate",
            headers =
                    @Header(
                            name = "ETag",
                            description = "its version; send it in If-Match to change it only as you saw it",
                            schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No aggregate with this id")
    ResponseEntity<AggregateView> get(@Parameter(description = "the aggregate's id") @PathVariable String id) {
        AggregateView aggregate = aggregates.get(id);
        return ResponseEntity.ok().eTag(aggregate.etag()).body(aggregate);
    }

    @PutMapping(
            path = "/{id}",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "putAggregate",
            summary = "Create or replace an aggregate's description and policy",
            description = "Replaces the whole aggregate: a field left out takes its default (an empty description, the "
                    + "default policy), exactly as in a new aggregate; to change some fields and keep the others, "
                    + "PATCH it. Its hosts stay. The body's id may be left out; when given it must equal the path's.")
    @ApiResponse(responseCode = "200", description = "The aggregate existed and is replaced")
    @ApiResponse(
            responseCode = "201",
            description = "A new aggregate",
            headers =
                    @Header(
                            name = "Location",
                            description = "/aggregates/{id}",
                            schema = @Schema(type = "string", format = "uri-reference")))
    @ApiResponse(responseCode = "400", description = "The body is not JSON for this endpoint")
    @ApiResponse(
            responseCode = "422",
            description = "Invalid id, the body's id differs from the path's, "
                    + "or an invalid policy (unknown goal, model or mitigation feature); 'errors' names each field")
    @GuardedByIfMatch
    ResponseEntity<AggregateView> put(
            @Parameter(description = "lower-case letters, digits and dashes", example = "haswell-east") @PathVariable
                    String id,
            @RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch,
            @RequestBody AggregateRequest request) {
        AggregateService.Saved saved = aggregates.put(id, request, ifMatch);
        ResponseEntity.BodyBuilder answer =
                saved.created() ? ResponseEntity.created(URI.create("/aggregates/" + id)) : ResponseEntity.ok();
        return answer.eTag(saved.aggregate().etag()).body(saved.aggregate());
    }

    @PatchMapping(path = "/{id}", consumes = JsonMergePatch.MEDIA_TYPE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "patchAggregate",
            summary = "Change some of an aggregate's fields, keeping the others",
            description = "A JSON merge patch (RFC 7396, Content-Type application/merge-patch+json) over the aggregate "
                    + "as GET shows its description and policy: the fields given replace the stored ones, objects "
                    + "(policy, policy.mitigations) merge field by field, null puts a field back to its default, what "
                    + "is left out stays. The result is checked as a PUT body is. Its hosts stay.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = JsonMergePatch.MEDIA_TYPE,
                                            schema = @Schema(implementation = AggregateRequest.class),
                                            examples =
                                                    @ExampleObject(
                                                            value =
                                                                    "{\"description\": \"Haswell nodes, east hall\", "
                                                                            + "\"policy\": {\"nestedVirtualization\": \"allowed\"}}"))))
    @ApiResponse(
            responseCode = "200",
            description = "The aggregate as changed",
            headers = @Header(name = "ETag", description = "its new version", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "The body is not JSON")
    @ApiResponse(responseCode = "404", description = "No aggregate with this id")
    @ApiResponse(responseCode = "415", description = "The Content-Type is not application/merge-patch+json")
    @ApiResponse(
            responseCode = "422",
            description = "The patch is not a JSON object, names an unknown field, a "
                    + "different id, or makes an invalid policy; 'errors' names each field")
    @GuardedByIfMatch
    ResponseEntity<AggregateView> patch(
            @Parameter(description = "the aggregate's id", example = "haswell-east") @PathVariable String id,
            @RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch,
            @RequestBody JsonNode patch) {
        AggregateView patched = aggregates.patch(id, patch, ifMatch);
        return ResponseEntity.ok().eTag(patched.etag()).body(patched);
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteAggregate", summary = "Delete an aggregate; its hosts stay registered")
    @ApiResponse(responseCode = "204", description = "The aggregate is gone")
    @ApiResponse(responseCode = "404", description = "No aggregate with this id")
    @ApiResponse(responseCode = "412", description = "If-Match named another version")
    ResponseEntity<Void> delete(
            @Parameter(description = "the aggregate's id") @PathVariable String id,
            @Parameter(in = ParameterIn.HEADER, description = "the ETag of the aggregate as last read")
                    @RequestHeader(name = "If-Match", required = false)
                    @Nullable
                    String ifMatch) {
        aggregates.delete(id, ifMatch);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/{id}/hosts/{hostId}")
    @Operation(
            operationId = "addAggregateHost",
            summary = "Add a host to the aggregate (201 when it joined, 204 when it was already a member)")
    @ApiResponse(
            responseCode = "201",
            description = "The host joined the aggregate",
            headers =
                    @Header(
                            name = "Location",
                            description = "/aggregates/{id}/hosts/{hostId}",
                            schema = @Schema(type = "string", format = "uri-reference")))
    @ApiResponse(responseCode = "204", description = "The host was already a member")
    @ApiResponse(responseCode = "400", description = "The host id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No aggregate with this id, or no host with this id")
    ResponseEntity<Void> addHost(
            @Parameter(description = "the aggregate's id") @PathVariable String id,
            @Parameter(description = "libvirt's host UUID") @PathVariable UUID hostId) {
        return aggregates.addHost(id, hostId)
                ? ResponseEntity.created(URI.create("/aggregates/" + id + "/hosts/" + hostId))
                        .build()
                : ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{id}/hosts/{hostId}")
    @Operation(
            operationId = "removeAggregateHost",
            summary = "Take a host out of the aggregate",
            description = "The host stays registered.")
    @ApiResponse(responseCode = "204", description = "The host left the aggregate")
    @ApiResponse(responseCode = "400", description = "The host id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No aggregate with this id, or the host is not in it")
    ResponseEntity<Void> removeHost(
            @Parameter(description = "the aggregate's id") @PathVariable String id,
            @Parameter(description = "libvirt's host UUID") @PathVariable UUID hostId) {
        aggregates.removeHost(id, hostId);
        return ResponseEntity.noContent().build();
    }
}
