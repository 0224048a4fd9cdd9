package io.fleetcpu.fleet;

import io.fleetcpu.system.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "fleet", description = "Migration-safe groupings of the whole fleet, and migration checks")
class FleetController {

    private final FleetService fleet;

    FleetController(FleetService fleet) {
        this.fleet = fleet;
    }

    @GetMapping(
            path = "/groupings",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    @Operation(
            operationId = "getGroupings",
            summary = "The fleet partitioned into migration domains",
            description = "max-features keeps every host's features (one domain per kind of CPU); min-domains makes "
                    + "as few domains as possible while no domain's CPU drops below minimumModel and minimumLevel. "
                    + "format=openstack gives the openstack commands that would build the aggregates.")
    @ApiResponse(
            responseCode = "200",
            description = "The domains, each with its CPU and what its hosts give up",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                        schema = @Schema(implementation = GroupingView.class)),
                @Content(
                        mediaType = MediaType.TEXT_PLAIN_VALUE,
                        schema =
                                @Schema(
                                        type = "string",
                                        description = "format=openstack: openstack aggregate and flavor commands"))
            })
    @ApiResponse(responseCode = "400", description = "Unknown strategy, format, minimum model or minimum level")
    @ApiResponse(responseCode = "404", description = "No aggregate with this id")
    ResponseEntity<?> groupings(
            @Parameter(description = "max-features or min-domains") @RequestParam(defaultValue = "max-features")
                    String strategy,
            @Parameter(description = "with min-domains: no domain's CPU drops below this model")
                    @RequestParam(required = false)
                    @Nullable
                    String minimumModel,
            @Parameter(
                            description =
                                    "no domain's CPU drops below this x86-64 microarchitecture level (x86-64 psABI): "
                                            + "hosts below it on their own are kept apart and listed in hostsBelowMinimum",
                            schema =
                                    @Schema(
                                            allowableValues = {"x86-64-baseline", "x86-64-v2", "x86-64-v3", "x86-64-v4"
                                            }))
                    @RequestParam(required = false)
                    @Nullable
                    String minimumLevel,
            @Parameter(description = "only this aggregate's hosts") @RequestParam(required = false) @Nullable
                    String aggregate,
            @Parameter(description = "only hosts of this CPU vendor") @RequestParam(required = false) @Nullable
                    String vendor,
            @Parameter(
                            description = "json (default) or openstack",
                            schema = @Schema(allowableValues = {"json", "openstack"}))
                    @RequestParam(defaultValue = "json")
                    String format) {
        if (!format.equals("json") && !format.equals("openstack")) {
            throw new InvalidParameterException("format", "'" + format + "' is not json or openstack");
        }
        FleetService.FleetGrouping grouping = fleet.grouping(strategy, minimumModel, minimumLevel, aggregate, vendor);
        if (format.equals("openstack")) {
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(fleet.openstackCommands(grouping));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(GroupingView.of(grouping));
    }

    @PostMapping(
            path = "/migrations/check",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "checkMigration",
            summary = "Can a guest with this CPU live-migrate to this host (or to "
                    + "every host of an aggregate)? As libvirt's virConnectCompareCPU judges it; nothing is written")
    @ApiResponse(
            responseCode = "200",
            description = "Per target host: identical, superset or incompatible, and what " + "is missing")
    @ApiResponse(responseCode = "400", description = "The body is not JSON for this endpoint")
    @ApiResponse(
            responseCode = "409",
            description = "The guest aggregate has no CPU to check (no hosts, no common model)")
    @ApiResponse(
            responseCode = "422",
            description = "Not exactly one guest or target, an unknown host or aggregate, "
                    + "or a <cpu> libvirt would refuse; 'errors' names the field")
    MigrationCheckView check(@RequestBody MigrationCheckRequest request) {
        return fleet.check(request);
    }
}
