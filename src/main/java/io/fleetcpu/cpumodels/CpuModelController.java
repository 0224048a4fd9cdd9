package io.fleetcpu.cpumodels;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.system.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping("/cpu-models")
@Tag(name = "cpu-models", description = "The catalog: libvirt's named CPU models and their features")
class CpuModelController {

    private final CpuCatalog catalog;

    CpuModelController(CpuCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listCpuModels", summary = "Every CPU model of the catalog, oldest first, optionally of one vendor")
    @ApiResponse(responseCode = "200", description = "The models")
    List<CpuModelView> list(@Parameter(description = "only models of this vendor (case does not matter)", example = "Intel")
            @RequestParam(required = false) String vendor) {
        return catalog.models().stream()
                .filter(m -> vendor == null || vendor.equalsIgnoreCase(m.vendor()))
                .map(m -> CpuModelView.of(m, catalog))
                .toList();
    }

    @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getCpuModel", summary = "One CPU model with every feature it stands for")
    @ApiResponse(responseCode = "200", description = "The model")
    @ApiResponse(responseCode = "404", description = "The catalog has no model of this name")
    CpuModelView get(@Parameter(description = "the model's name in libvirt's cpu_map", example = "Haswell-noTSX-IBRS")
            @PathVariable String name) {
        return catalog.model(name).map(m -> CpuModelView.of(m, catalog))
                .orElseThrow(() -> new NotFoundException("the catalog (" + catalog.info().source()
                        + ") has no CPU model '" + name + "'"));
    }
}
