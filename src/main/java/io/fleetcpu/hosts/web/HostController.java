package io.fleetcpu.hosts.web;

import io.fleetcpu.hosts.HostDocument;
import io.fleetcpu.hosts.HostRecords;
import io.fleetcpu.hosts.HostRegistration;
import io.fleetcpu.hosts.HostReport;
import io.fleetcpu.hosts.HostView;
import io.fleetcpu.system.Credential;
import io.fleetcpu.system.NotFoundException;
import io.fleetcpu.system.SecurityHeaders;
import io.fleetcpu.web.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/hosts")
@Tag(name = "hosts", description = "Registration and inventory of compute nodes")
class HostController {

    /** A filter takes one value: names never hold commas, and Spring joins repeated parameters with one. */
    private static final String ONE_VALUE = "[^,]*";

    private static final String ONE_VALUE_MESSAGE =
            "give one value; repeated or comma-separated filters are not supported";

    private final HostRegistration registration;
    private final HostRecords hosts;

    HostController(HostRegistration registration, HostRecords hosts) {
        this.registration = registration;
        this.hosts = hosts;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "registerHost",
            summary = "Register a host, or update its registration (201 when new, 200 when known)",
            description = "What the agent sends at boot. Idempotent: a report equal to the stored one changes nothing "
                    + "but the host's lastSeenAt; a changed CPU is kept as history. Aggregates named in the "
                    + "registration are created when missing. Memberships: the registration changes only the ones its "
                    + "agent made. The host joins each aggregate named in 'aggregates' and leaves each one an earlier "
                    + "registration put it in that is no longer named (an agent with no aggregate configured sends [] "
                    + "and leaves them all); an aggregate an operator put it in (PUT /aggregates/{id}/hosts/{hostId}) "
                    + "stays whatever the registration names, until an operator removes it. An aggregate both name "
                    + "is the operator's. The answer's 'registration' says what changed: aggregates joined, left and "
                    + "created (a misspelt name shows up as created), and whether the host's facts and CPU changed.")
    @ApiResponse(responseCode = "200", description = "The host was known; its registration is updated")
    @ApiResponse(
            responseCode = "201",
            description = "A new host",
            headers =
                    @Header(
                            name = "Location",
                            description = "/hosts/{id} of the new host",
                            schema = @Schema(type = "string", format = "uri-reference")))
    @ApiResponse(
            responseCode = "400",
            description = "The body is not JSON, or a libvirt document in it is not well-formed XML")
    @ApiResponse(
            responseCode = "403",
            description = "The credential may not register hosts, or it is an agent "
                    + "credential and the host is registered with another one (nothing is changed)")
    @ApiResponse(
            responseCode = "422",
            description = "The registration is incomplete or contradicts itself; " + "'errors' names each field")
    ResponseEntity<HostView> register(
            @RequestBody HostReport report,
            @Parameter(hidden = true) @RequestAttribute(Credential.ATTRIBUTE) Credential registrant) {
        HostRegistration.Registered registered = registration.register(report, registrant);
        HostView view = registered.host();
        return registered.created()
                ? ResponseEntity.created(URI.create("/hosts/" + view.id())).body(view)
                : ResponseEntity.ok(view);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "listHosts",
            summary = "List hosts, filtered by aggregate, vendor, model, feature or kind of CPU",
            description = "Filters combine (all must match). One page at a time, ordered by hostname.")
    @ApiResponse(responseCode = "200", description = "One page of hosts")
    @ApiResponse(responseCode = "400", description = "'page' or 'size' is out of range or not a number")
    PageView<HostView> list(
            @Parameter(description = "only hosts in this aggregate", example = "haswell-east")
                    @RequestParam(required = false)
                    @Pattern(regexp = ONE_VALUE, message = ONE_VALUE_MESSAGE)
                    @Nullable
                    String aggregate,
            @Parameter(description = "only hosts of this CPU vendor, as libvirt names it", example = "Intel")
                    @RequestParam(required = false)
                    @Pattern(regexp = ONE_VALUE, message = ONE_VALUE_MESSAGE)
                    @Nullable
                    String vendor,
            @Parameter(description = "only hosts whose CPU libvirt names this model", example = "Haswell-noTSX-IBRS")
                    @RequestParam(required = false)
                    @Pattern(regexp = ONE_VALUE, message = ONE_VALUE_MESSAGE)
                    @Nullable
                    String model,
            @Parameter(description = "only hosts whose CPU has this feature (libvirt's name)", example = "avx2")
                    @RequestParam(required = false)
                    @Pattern(regexp = ONE_VALUE, message = ONE_VALUE_MESSAGE)
                    @Nullable
                    String feature,
            @Parameter(description = "only hosts of this kind of CPU (the 'kind' of a host, or of an answer's kinds)")
                    @RequestParam(required = false)
                    @Pattern(regexp = ONE_VALUE, message = ONE_VALUE_MESSAGE)
                    @Nullable
                    String kind,
            @Parameter(description = "page number, from 0") @RequestParam(defaultValue = "0") @Min(0) int page,
            @Parameter(description = "hosts per page") @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return PageView.of(hosts.search(aggregate, vendor, model, feature, kind, PageRequest.of(page, size)));
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getHost", summary = "One host, with its CPU as reported and as the catalog expands it")
    @ApiResponse(responseCode = "200", description = "The host")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No host with this id")
    HostView get(@Parameter(description = "libvirt's host UUID") @PathVariable UUID id) {
        return hosts.view(id);
    }

    @GetMapping(path = "/{id}/documents/{document}", produces = MediaType.APPLICATION_XML_VALUE)
    @Operation(
            operationId = "getHostDocument",
            summary = "A raw libvirt document the host sent: capabilities, domain-capabilities or expanded-cpu",
            description = "Exactly as the agent sent it, so a better parser can read it again later. It is agent "
                    + "input, so it comes as a download (Content-Disposition: attachment) under a sandboxing "
                    + "Content-Security-Policy: a browser never runs what it holds.")
    @ApiResponse(responseCode = "200", description = "The XML document")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(
            responseCode = "404",
            description = "No host with this id, no such kind of document, " + "or the host did not send this document")
    ResponseEntity<String> document(
            @Parameter(description = "libvirt's host UUID") @PathVariable UUID id,
            @Parameter(
                            description = "which document",
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {"capabilities", "domain-capabilities", "expanded-cpu"}))
                    @PathVariable
                    String document) {
        HostDocument kind = HostDocument.fromPathName(document);
        if (kind == null) {
            throw new NotFoundException(
                    "no document '" + document + "'; a host keeps capabilities, domain-capabilities and expanded-cpu");
        }
        String content = hosts.document(id, kind)
                .orElseThrow(() -> new NotFoundException("host " + id + " did not send " + document));
        return ResponseEntity.ok()
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(id + "-" + document + ".xml")
                                .build()
                                .toString())
                .header("Content-Security-Policy", SecurityHeaders.DOCUMENT_POLICY)
                .body(content);
    }

    @DeleteMapping("/{id}")
    @Operation(
            operationId = "deleteHost",
            summary = "Forget a host",
            description =
                    "It leaves every aggregate; its CPU history stays (GET /hosts/{id}/history). Its agent registers "
                            + "it again at next boot.")
    @ApiResponse(responseCode = "204", description = "The host is forgotten")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No host with this id")
    ResponseEntity<Void> delete(@Parameter(description = "libvirt's host UUID") @PathVariable UUID id) {
        hosts.delete(id);
        return ResponseEntity.noContent().build();
    }
}
