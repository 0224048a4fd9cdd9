package io.fleetcpu.aggregates;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping("/aggregates")
@Tag(name = "aggregates", description = "Groups of hosts that share one guest CPU configuration")
class AggregateController {

    private final AggregateService aggregates;
    private final RecommendationService recommendations;

    AggregateController(AggregateService aggregates, RecommendationService recommendations) {
        this.aggregates = aggregates;
        this.recommendations = recommendations;
    }

    @GetMapping(path = "/{id}/recommended-cpu", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The guest CPU every host of the aggregate runs, with reasons, the libvirt <cpu> element "
            + "and nova.conf lines; Accept: application/xml gives the <cpu> element alone")
    ResponseEntity<RecommendedCpuView> recommendedCpu(@PathVariable String id, WebRequest request) {
        RecommendationService.Answer answer = recommendations.recommendedCpu(id);
        if (request.checkNotModified(answer.etag())) {
            return null;
        }
        return ResponseEntity.ok().eTag(answer.etag()).body(answer.view());
    }

    @GetMapping(path = "/{id}/recommended-cpu", produces = MediaType.APPLICATION_XML_VALUE)
    @Operation(hidden = true)
    ResponseEntity<String> recommendedCpuXml(@PathVariable String id, WebRequest request) {
        RecommendationService.Answer answer = recommendations.recommendedCpu(id);
        // Another representation of the same answer needs its own strong validator.
        String etag = answer.etag().substring(0, answer.etag().length() - 1) + "-xml\"";
        if (request.checkNotModified(etag)) {
            return null;
        }
        return ResponseEntity.ok().eTag(etag).contentType(MediaType.APPLICATION_XML)
                .body(answer.view().libvirtXml());
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create an aggregate")
    ResponseEntity<AggregateView> create(@RequestBody AggregateRequest request) {
        AggregateView created = aggregates.create(request);
        return ResponseEntity.created(URI.create("/aggregates/" + created.id())).body(created);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "All aggregates")
    List<AggregateView> list() {
        return aggregates.list();
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One aggregate with its hosts")
    AggregateView get(@PathVariable String id) {
        return aggregates.get(id);
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create or replace an aggregate's description and policy")
    ResponseEntity<AggregateView> put(@PathVariable String id, @RequestBody AggregateRequest request) {
        AggregateService.Saved saved = aggregates.put(id, request);
        return saved.created()
                ? ResponseEntity.created(URI.create("/aggregates/" + id)).body(saved.aggregate())
                : ResponseEntity.ok(saved.aggregate());
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete an aggregate; its hosts stay registered")
    ResponseEntity<Void> delete(@PathVariable String id) {
        aggregates.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/{id}/hosts/{hostId}")
    @Operation(summary = "Add a host to the aggregate (201 when it joined, 204 when it was already a member)")
    ResponseEntity<Void> addHost(@PathVariable String id, @PathVariable UUID hostId) {
        return aggregates.addHost(id, hostId)
                ? ResponseEntity.created(URI.create("/aggregates/" + id + "/hosts/" + hostId)).build()
                : ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{id}/hosts/{hostId}")
    @Operation(summary = "Take a host out of the aggregate")
    ResponseEntity<Void> removeHost(@PathVariable String id, @PathVariable UUID hostId) {
        aggregates.removeHost(id, hostId);
        return ResponseEntity.noContent().build();
    }
}
