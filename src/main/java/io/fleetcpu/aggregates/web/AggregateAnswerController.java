package io.fleetcpu.aggregates.web;

import io.fleetcpu.aggregates.AnswerRenderings;
import io.fleetcpu.aggregates.BaselineView;
import io.fleetcpu.aggregates.OutputFormat;
import io.fleetcpu.aggregates.RecommendationService;
import io.fleetcpu.aggregates.RecommendedCpuView;
import io.fleetcpu.aggregates.ValidatedAnswer;
import io.fleetcpu.aggregates.WhatIfRequest;
import io.fleetcpu.aggregates.WhatIfService;
import io.fleetcpu.aggregates.WhatIfView;
import io.fleetcpu.policy.baseline.LibvirtDriver;
import io.fleetcpu.system.Access;
import io.fleetcpu.system.Credential;
import io.fleetcpu.system.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * What an aggregate's hosts should run: the recommended CPU in every consumer's form, libvirt's own baseline, and what
 * adding or removing hosts would change. Every answer carries a strong ETag per representation, compared before
 * anything is computed. The aggregate as a resource is {@link AggregateController}'s.
 */
@RestController
@RequestMapping("/aggregates")
@Tag(name = "aggregates", description = "Groups of hosts that share one guest CPU configuration")
class AggregateAnswerController {

    private final RecommendationService recommendations;
    private final AnswerRenderings renderings;
    private final WhatIfService whatIfs;

    AggregateAnswerController(
            RecommendationService recommendations, AnswerRenderings renderings, WhatIfService whatIfs) {
        this.recommendations = recommendations;
        this.renderings = renderings;
        this.whatIfs = whatIfs;
    }

    @GetMapping(path = "/{id}/recommended-cpu", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "getRecommendedCpu",
            summary = "The guest CPU for the aggregate under its policy, with every choice explained, in the form "
                    + "each consumer takes (libvirt, nova.conf, Placement traits, QEMU, KubeVirt, cpu_map)",
            description = "Computed from the aggregate's hosts as they are now. JSON by default; "
                    + "?format=libvirt|nova-conf|placement|qemu|kubevirt|kubevirt-labels|kubevirt-cluster|cpu-map (or "
                    + "Accept: application/xml for libvirt, application/yaml for KubeVirt) gives one rendering alone: "
                    + "kubevirt the VMI spec (domain.cpu and a nodeSelector on KubeVirt's node labels), "
                    + "kubevirt-labels the CPU labels KubeVirt's node-labeller would write on each kind of host, "
                    + "kubevirt-cluster the KubeVirt CR's cpuModel and obsoleteCPUModels. The answer carries a strong ETag "
                    + "(each representation its own); send it back in If-None-Match to get 304 while nothing changed.",
            parameters = {
                @Parameter(
                        in = ParameterIn.HEADER,
                        name = "If-None-Match",
                        required = false,
                        description = "the ETag of an earlier answer",
                        schema = @Schema(type = "string")),
                @Parameter(
                        in = ParameterIn.QUERY,
                        name = "format",
                        required = false,
                        description = "one rendering alone instead of the JSON answer",
                        schema =
                                @Schema(
                                        type = "string",
                                        allowableValues = {
                                            "json",
                                            "libvirt",
                                            "nova-conf",
                                            "placement",
                                            "qemu",
                                            "kubevirt",
                                            "kubevirt-labels",
                                            "kubevirt-cluster",
                                            "cpu-map"
                                        })),
                @Parameter(
                        in = ParameterIn.QUERY,
                        name = "modelName",
                        required = false,
                        description = "with format=cpu-map: the name of the new model (default <model>-<aggregate>)",
                        schema = @Schema(type = "string"))
            })
    @ApiResponse(
            responseCode = "200",
            description = "The recommendation, or one rendering of it",
            headers =
                    @Header(
                            name = "ETag",
                            description = "validator of this representation",
                            schema = @Schema(type = "string")),
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(implementation = RecommendedCpuView.class)),
                @Content(
                        mediaType = MediaType.APPLICATION_XML_VALUE,
                        schema =
                                @Schema(
                                        type = "string",
                                        description =
                                                "format=libvirt: the <cpu> element; format=cpu-map: a cpu_map model",
                                        example = "<cpu mode='custom' match='exact'>\n"
                                                + "  <model fallback='allow'>Haswell-noTSX-IBRS</model>\n"
                                                + "  <vendor>Intel</vendor>\n"
                                                + "  <feature policy='require' name='vmx'/>\n"
                                                + "  <feature policy='disable' name='spec-ctrl'/>\n</cpu>\n")),
                @Content(
                        mediaType = "application/yaml",
                        schema =
                                @Schema(
                                        type = "string",
                                        description = "format=kubevirt: the VMI spec (domain.cpu, nodeSelector); "
                                                + "format=kubevirt-labels: the node labels of each kind of host; "
                                                + "format=kubevirt-cluster: the KubeVirt CR's spec.configuration")),
                @Content(
                        mediaType = MediaType.TEXT_PLAIN_VALUE,
                        schema =
                                @Schema(
                                        type = "string",
                                        description =
                                                "format=nova-conf: the [libvirt] section, cpu_models listing every model all "
                                                        + "hosts can run, oldest first; format=placement: the HW_CPU_X86_* traits every "
                                                        + "host has (nova's names) and flavor commands as templates (FLAVOR is a "
                                                        + "placeholder); format=qemu: QEMU's arguments, -machine (the "
                                                        + "migration contract's machine type, where there is one) and "
                                                        + "-cpu (qemuCpu)"))
            })
    @ApiResponse(responseCode = "304", description = "Not modified: If-None-Match named the current ETag")
    @ApiResponse(responseCode = "400", description = "Unknown format")
    @ApiResponse(responseCode = "404", description = "No aggregate with this id")
    @ApiResponse(
            responseCode = "406",
            description = "Accept names no media type this answer comes in by Accept alone "
                    + "(application/json, application/xml, application/yaml; text/plain with format=nova-conf, placement or "
                    + "qemu); "
                    + "'supportedMediaTypes' lists them")
    @ApiResponse(
            responseCode = "409",
            description = "No CPU can be recommended: the aggregate has no hosts, its hosts "
                    + "share no CPU model, the policy cannot be met (minimum model, strict nested), or the recommendation "
                    + "cannot be written in the format asked for ('hosts' names the ones in the way)")
    @Nullable
    ResponseEntity<byte[]> recommendedCpu(
            @Parameter(description = "the aggregate's id") @PathVariable String id,
            @Parameter(
                            description =
                                    "list every feature of a named model (libvirt's VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES "
                                            + "form) instead of only the ones on top of it or taken from it")
                    @RequestParam(defaultValue = "false")
                    boolean expand,
            WebRequest request) {
        return represented(
                request,
                Representation.JSON,
                clientHas -> recommendations.recommendedCpu(id, expand, clientHas),
                RecommendationService.Answer::json);
    }

    // text/plain only to refuse it with a 406: it comes with format=nova-conf or qemu, and the format mapping below,
    // which produces it, would otherwise answer a 400 for the missing parameter.
    @GetMapping(
            path = "/{id}/recommended-cpu",
            produces = {MediaType.APPLICATION_XML_VALUE, "application/yaml", MediaType.TEXT_PLAIN_VALUE})
    @Operation(hidden = true) // documented with getRecommendedCpu
    @Nullable
    ResponseEntity<?> recommendedCpuByAccept(
            @PathVariable String id,
            @RequestParam(defaultValue = "false") boolean expand,
            @RequestHeader(name = "Accept") String accept,
            WebRequest request)
            throws HttpMediaTypeNotAcceptableException {
        if (accept.contains(MediaType.APPLICATION_XML_VALUE)) {
            return rendered(id, expand, OutputFormat.LIBVIRT, null, request);
        }
        if (accept.contains(MediaType.APPLICATION_YAML_VALUE)) {
            return rendered(id, expand, OutputFormat.KUBEVIRT, null, request);
        }
        throw new HttpMediaTypeNotAcceptableException(
                List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.APPLICATION_YAML));
    }

    // What the formats give, so that an Accept none of the mappings answers is a 406, not a 400 for the
    // missing parameter.
    @GetMapping(
            path = "/{id}/recommended-cpu",
            params = "format",
            produces = {
                MediaType.APPLICATION_JSON_VALUE,
                MediaType.APPLICATION_XML_VALUE,
                "application/yaml",
                MediaType.TEXT_PLAIN_VALUE
            })
    @Operation(hidden = true) // documented with getRecommendedCpu
    @Nullable
    ResponseEntity<?> recommendedCpuInFormat(
            @PathVariable String id,
            @RequestParam(defaultValue = "false") boolean expand,
            @RequestParam String format,
            @RequestParam(required = false) @Nullable String modelName,
            WebRequest request) {
        OutputFormat known = OutputFormat.fromWireName(format);
        if (known == null) {
            throw new InvalidParameterException(
                    "format",
                    "'" + format + "' is not one of "
                            + Arrays.stream(OutputFormat.values())
                                    .map(OutputFormat::wireName)
                                    .toList());
        }
        return rendered(id, expand, known, modelName, request);
    }

    /** The recommendation in one format, with that representation's own strong validator. */
    private @Nullable ResponseEntity<?> rendered(
            String id, boolean expand, OutputFormat format, @Nullable String modelName, WebRequest request) {
        Function<RecommendationService.Answer, Object> body = format == OutputFormat.JSON
                ? RecommendationService.Answer::json
                : answer -> renderings.render(answer, format, modelName);
        return represented(
                request,
                Representation.of(format, modelName),
                clientHas -> recommendations.recommendedCpu(id, expand, clientHas),
                body);
    }

    @PostMapping(
            path = "/{id}/what-if",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "whatIf",
            summary = "What adding and removing hosts would do to the aggregate's CPU; " + "nothing is written")
    @ApiResponse(
            responseCode = "200",
            description = "The recommendation before and after, features gained and lost, "
                    + "and the hosts that would block migration")
    @ApiResponse(responseCode = "400", description = "The body is not JSON for this endpoint")
    @ApiResponse(responseCode = "404", description = "No aggregate with this id")
    @ApiResponse(
            responseCode = "422",
            description = "An unknown host to add, a host to remove that is not a member, "
                    + "or an inline host that would not register; 'errors' names each")
    WhatIfView whatIf(
            @Parameter(description = "the aggregate's id") @PathVariable String id,
            @RequestBody WhatIfRequest request,
            @Parameter(hidden = true) @RequestAttribute(name = Credential.ATTRIBUTE, required = false) @Nullable
                    Credential caller) {
        // the stranded guests' names are tenant data: only for a token that may read them
        return whatIfs.whatIf(id, request, caller != null && caller.role().may(Access.READ));
    }

    @GetMapping(path = "/{id}/baseline", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "getBaseline",
            summary = "libvirt's exact baseline of the aggregate's hosts, whatever the policy",
            description = "What libvirt's virConnectBaselineCPU answers for the same host CPUs with the same cpu_map: "
                    + "no policy, no obsolete-model or usable-model filter. By default as libvirtd's QEMU driver "
                    + "answers it (virsh -c qemu:///system cpu-baseline), which leaves out the features it never "
                    + "passes to QEMU (cmt, mbm_total, mbm_local, osxsave, ospke); driver=test answers as libvirt's "
                    + "test driver (test:///default), with the CPU code alone. Accept: application/xml gives the "
                    + "<cpu> element alone.")
    @ApiResponse(
            responseCode = "200",
            description = "libvirt's baseline",
            headers =
                    @Header(
                            name = "ETag",
                            description = "validator of this representation",
                            schema = @Schema(type = "string")),
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(implementation = BaselineView.class)),
                @Content(
                        mediaType = MediaType.APPLICATION_XML_VALUE,
                        schema = @Schema(type = "string", description = "the <cpu> element as libvirt returns it"))
            })
    @ApiResponse(responseCode = "304", description = "Not modified: If-None-Match named the current ETag")
    @ApiResponse(
            responseCode = "400",
            description = "Unknown driver, or migratable=true with driver=test (libvirt's "
                    + "test driver refuses that form)")
    @ApiResponse(responseCode = "404", description = "No aggregate with this id")
    @ApiResponse(
            responseCode = "406",
            description =
                    "Accept names neither application/json nor application/xml; " + "'supportedMediaTypes' lists them")
    @ApiResponse(
            responseCode = "409",
            description = "The aggregate has no hosts, or libvirt would refuse its hosts "
                    + "('hosts' names the ones in the way)")
    @Nullable
    ResponseEntity<byte[]> baseline(
            @Parameter(description = "the aggregate's id") @PathVariable String id,
            @Parameter(description = "VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES: list every feature of the model")
                    @RequestParam(defaultValue = "false")
                    boolean expand,
            @Parameter(description = "VIR_CONNECT_BASELINE_CPU_MIGRATABLE: leave out features that block migration")
                    @RequestParam(defaultValue = "false")
                    boolean migratable,
            @Parameter(
                            description =
                                    "whose answer: qemu, libvirtd's QEMU driver (qemu:///system); or test, libvirt's "
                                            + "test driver (test:///default)",
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {"qemu", "test"},
                                            defaultValue = "qemu"))
                    @RequestParam(defaultValue = "qemu")
                    String driver,
            WebRequest request) {
        return represented(
                request,
                Representation.JSON,
                clientHas -> recommendations.baseline(id, expand, migratable, driver(migratable, driver), clientHas),
                RecommendationService.BaselineAnswer::json);
    }

    @GetMapping(path = "/{id}/baseline", produces = MediaType.APPLICATION_XML_VALUE)
    @Operation(hidden = true) // documented as the application/xml response of getBaseline
    @Nullable
    ResponseEntity<String> baselineXml(
            @PathVariable String id,
            @RequestParam(defaultValue = "false") boolean expand,
            @RequestParam(defaultValue = "false") boolean migratable,
            @RequestParam(defaultValue = "qemu") String driver,
            WebRequest request) {
        return represented(
                request,
                Representation.BASELINE_XML,
                clientHas -> recommendations.baseline(id, expand, migratable, driver(migratable, driver), clientHas),
                answer -> answer.view().libvirtXml());
    }

    private static LibvirtDriver driver(boolean migratable, String driverScheme) {
        LibvirtDriver driver = LibvirtDriver.ofUriScheme(driverScheme)
                .orElseThrow(() -> new InvalidParameterException(
                        "driver",
                        "'" + driverScheme + "' is not one of "
                                + Arrays.stream(LibvirtDriver.values())
                                        .map(LibvirtDriver::uriScheme)
                                        .toList()
                                + ": qemu answers as libvirtd's QEMU driver (qemu:///system), test as libvirt's test driver "
                                + "(test:///default)"));
        if (migratable && driver == LibvirtDriver.TEST) {
            throw new InvalidParameterException(
                    "migratable",
                    "libvirt's test driver (test:///default) refuses the "
                            + "migratable form (VIR_CONNECT_BASELINE_CPU_MIGRATABLE); ask it of driver=qemu");
        }
        return driver;
    }

    /**
     * A representation of an answer with its ETag, or nothing when the request's conditions say so (304, 412): the
     * answer's ETag needs no answer, so {@link WebRequest#checkNotModified(String)} is asked before anything is
     * computed. The one place the answers' validators are compared and sent.
     *
     * @param answer the answer unless the client has it (given whether the client has the answer with an ETag)
     * @param <A> the answer
     * @param <T> the body
     */
    private static <A extends ValidatedAnswer, T> @Nullable ResponseEntity<T> represented(
            WebRequest request,
            Representation representation,
            Function<Predicate<String>, Optional<A>> answer,
            Function<A, T> body) {
        return answer.apply(answerEtag -> request.checkNotModified(representation.etag(answerEtag)))
                // The same URL answers JSON, XML or YAML by Accept: caches must keep them apart.
                .map(a -> ResponseEntity.ok()
                        .eTag(representation.etag(a.etag()))
                        .varyBy("Accept")
                        .contentType(representation.type())
                        .body(body.apply(a)))
                .orElse(null);
    }
}
