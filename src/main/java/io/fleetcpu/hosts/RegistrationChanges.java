package io.fleetcpu.hosts;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** What one registration changed, for the agent to show its operator. */
@Schema(
        description = "What this registration changed (only in the answer to POST /hosts). Empty lists and false when "
                + "the report equals the stored one.")
public record RegistrationChanges(
        @Schema(
                description = "aggregates the host joined because the registration names them",
                example = "[\"haswell-east\"]")
        List<String> joined,

        @Schema(description = "aggregates the host left because its agent put it there and no longer names them")
        List<String> left,

        @Schema(
                description = "aggregates that did not exist and this registration created with the default policy; "
                        + "a misspelt aggregate name shows up here",
                example = "[\"haswel-east\"]")
        List<String> createdAggregates,

        @Schema(
                description = "the host's facts (name, CPU, kernel, versions, libvirt documents) changed, so its "
                        + "updatedAt moved; false for a new host")
        boolean factsChanged,

        @Schema(description = "the host's CPU facts changed; the change is recorded in GET /hosts/{id}/history")
        boolean cpuChanged,

        @Schema(
                description = "the guests reported differ from those the last registration reported (or one of "
                        + "the two reported none); false for a new host")
        boolean guestsChanged) {

    /** A report equal to the stored one. */
    public static final RegistrationChanges NONE =
            new RegistrationChanges(List.of(), List.of(), List.of(), false, false, false);
}
