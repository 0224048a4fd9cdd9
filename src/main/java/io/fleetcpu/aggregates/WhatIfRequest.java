package io.fleetcpu.aggregates;

import io.fleetcpu.hosts.HostReport;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Hosts to add to and take out of an aggregate, to see what it would do. Nothing is written. */
@Schema(
        description = "A change of an aggregate's hosts to preview: registered hosts to add, hosts described inline "
                + "(as registrations) to add, and member hosts to take out; each list at most 1000 entries "
                + "(fleetcpu.request.max-what-if-hosts)")
public record WhatIfRequest(
        @Schema(description = "ids of registered hosts to add") @Nullable
        List<String> addHosts,

        @Schema(description = "hosts not registered yet, described as POST /hosts would take them") @Nullable
        List<HostReport> addReports,

        @Schema(description = "ids of member hosts to take out") @Nullable
        List<String> removeHosts) {}
