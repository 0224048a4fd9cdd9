package io.fleetcpu.hosts;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.data.domain.PageRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.fleetcpu.system.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping("/hosts")
@Tag(name = "hosts", description = "Registration and inventory of compute nodes")
class HostController {

    private final HostService hosts;

    HostController(HostService hosts) {
        this.hosts = hosts;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Register a host, or update its registration (201 when new, 200 when known)")
    ResponseEntity<HostView> register(@RequestBody HostReport report) {
        HostService.Registration registration = hosts.register(report);
        HostView view = HostView.of(registration.host());
        return registration.created()
                ? ResponseEntity.created(URI.create("/hosts/" + view.id())).body(view)
                : ResponseEntity.ok(view);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List hosts, filtered by aggregate, vendor, model or feature")
    PageView<HostView> list(@RequestParam(required = false) String aggregate,
            @RequestParam(required = false) String vendor,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String feature,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return PageView.of(hosts.search(aggregate, vendor, model, feature, PageRequest.of(page, size)), HostView::of);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One host")
    HostView get(@PathVariable UUID id) {
        return HostView.of(hosts.get(id));
    }

    @GetMapping(path = "/{id}/documents/{document}", produces = MediaType.APPLICATION_XML_VALUE)
    @Operation(summary = "A raw libvirt document the host sent: capabilities, domain-capabilities or expanded-cpu")
    String document(@PathVariable UUID id, @PathVariable String document) {
        HostDocument kind = HostDocument.fromPathName(document);
        if (kind == null) {
            throw new NotFoundException("no document '" + document
                    + "'; a host keeps capabilities, domain-capabilities and expanded-cpu");
        }
        String content = kind.content(hosts.get(id));
        if (content == null) {
            throw new NotFoundException("host " + id + " did not send " + document);
        }
        return content;
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Forget a host")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        hosts.delete(id);
        return ResponseEntity.noContent().build();
    }
}
