package io.fleetcpu.hosts;

import java.util.List;
import java.util.Map;

/**
 * The fleet's CPUs counted the ways a dashboard shows them. Each map goes from a value to the number
 * of hosts with it; hosts that did not report a value count under {@code "unknown"}.
 */
public record InventoryView(
        long hosts,
        Map<String, Long> byArch,
        Map<String, Long> byVendor,
        Map<String, Long> byModel,
        Map<String, Long> byMicrocode,
        Map<String, Long> byAggregate,
        long hostsInNoAggregate,
        List<String> unknownFeatures) {
}
