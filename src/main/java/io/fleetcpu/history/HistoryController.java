package io.fleetcpu.history;

import io.fleetcpu.system.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "history", description = "CPU drift: when hosts' CPUs changed, and what it did to their aggregates")
class HistoryController {

    /** What PostgreSQL's timestamptz and every dashboard can hold. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final HistoryService history;

    HistoryController(HistoryService history) {
        this.history = history;
    }

    @GetMapping(path = "/hosts/{id}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getHostHistory", summary = "A host's CPU changes, newest first")
    @ApiResponse(responseCode = "200", description = "The host's events; they outlive the host")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No host with this id, now or before")
    List<CpuEventView> hostHistory(@Parameter(description = "libvirt's host UUID") @PathVariable UUID id) {
        return history.ofHost(id);
    }

    @GetMapping(path = "/aggregates/{id}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "getAggregateHistory",
            summary = "CPU changes of the aggregate's hosts that changed its recommendation or stranded its guests")
    @ApiResponse(responseCode = "200", description = "The events, newest first")
    @ApiResponse(responseCode = "404", description = "No aggregate with this id")
    List<CpuEventView> aggregateHistory(@Parameter(description = "the aggregate's id") @PathVariable String id) {
        return history.ofAggregate(id);
    }

    @GetMapping(path = "/events", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listEvents", summary = "Every CPU change in the fleet since a moment, oldest first")
    @ApiResponse(responseCode = "200", description = "The events")
    @ApiResponse(responseCode = "400", description = "since is not an ISO-8601 instant, or limit is out of range")
    List<CpuEventView> events(
            @Parameter(description = "ISO-8601 instant, e.g. 2026-11-22T00:00:00Z; left out, from the beginning")
                    @RequestParam(required = false)
                    @Nullable
                    String since,
            @Parameter(description = "at most this many events")
                    @RequestParam(defaultValue = "1000")
                    @Min(1)
                    @Max(10000)
                    int limit) {
        Instant from;
        try {
            from = since == null ? Instant.EPOCH : Instant.parse(since);
            if (from.isBefore(EARLIEST) || from.isAfter(LATEST)) {
                throw new DateTimeParseException("out of range", since, 0);
            }
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(
                    "since",
                    "'" + since + "' is not an ISO-8601 instant between the "
                            + "years 1 and 9999, such as 2026-11-22T00:00:00Z");
        }
        return history.since(from, limit);
    }
}
