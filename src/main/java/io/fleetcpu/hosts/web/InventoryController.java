package io.fleetcpu.hosts.web;

import io.fleetcpu.hosts.FleetCensus;
import io.fleetcpu.hosts.InventoryView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "inventory", description = "The fleet's CPUs at a glance, for dashboards")
class InventoryController {

    private final FleetCensus census;

    InventoryController(FleetCensus census) {
        this.census = census;
    }

    @GetMapping(path = "/inventory", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "getInventory",
            summary = "Hosts counted by architecture, vendor, CPU model, x86-64 level, microcode and aggregate")
    @ApiResponse(
            responseCode = "200",
            description = "The counts; hosts that did not report a value count under 'unknown'")
    InventoryView inventory() {
        return census.inventory();
    }
}
