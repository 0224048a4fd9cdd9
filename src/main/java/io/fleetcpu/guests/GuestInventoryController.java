package io.fleetcpu.guests;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "aggregates", description = "Groups of hosts that share one guest CPU configuration")
class GuestInventoryController {

    private final GuestInventoryService inventory;

    GuestInventoryController(GuestInventoryService inventory) {
        this.inventory = inventory;
    }

    @GetMapping(path = "/aggregates/{id}/guests", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "getAggregateGuests",
            summary = "The guests on the aggregate's hosts",
            description = "What the members' agents last reported of their domains: how many guests run which "
                    + "configuration (<cpu> and machine type), which are not on the recommended CPU (the rollout's "
                    + "progress), and which could not live-migrate to which member, by the migration check of "
                    + "POST /migrations/check over each guest's own CPU. Guest names and UUIDs are tenant data: "
                    + "this needs a viewer's or operator's token even where other reads are open.")
    @ApiResponse(responseCode = "200", description = "The inventory")
    @ApiResponse(responseCode = "404", description = "No aggregate with this id")
    GuestInventoryView guests(@Parameter(description = "the aggregate's id") @PathVariable String id) {
        return inventory.inventory(id);
    }
}
