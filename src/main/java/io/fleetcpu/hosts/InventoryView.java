package io.fleetcpu.hosts;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The fleet's CPUs counted the ways a dashboard shows them. Each map goes from a value to the number
 * of hosts with it; hosts that did not report a value count under {@code "unknown"}.
 */
@Schema(
        description = "The fleet's hosts counted by architecture, vendor, CPU model, x86-64 level, microcode and "
                + "aggregate; "
                + "each map goes from a value to the number of hosts with it, hosts without a value under 'unknown'")
public record InventoryView(
        @Schema(description = "registered hosts") long hosts,
        Map<String, Long> byArch,
        Map<String, Long> byVendor,
        Map<String, Long> byModel,

        @Schema(
                description = "hosts by the x86-64 microarchitecture level (x86-64 psABI) guests get on them: "
                        + "x86-64-baseline, x86-64-v2, x86-64-v3, x86-64-v4; 'unknown' for a CPU model the catalog does not "
                        + "know (or a CPU below the baseline)",
                example = "{\"x86-64-v2\": 12, \"x86-64-v3\": 40}")
        Map<String, Long> byLevel,

        Map<String, Long> byMicrocode,
        Map<String, Long> byAggregate,

        @Schema(description = "hosts that are in no aggregate")
        long hostsInNoAggregate,

        @Schema(description = "features hosts reported that the catalog does not know")
        List<String> unknownFeatures) {}
