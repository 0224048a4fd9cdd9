package io.fleetcpu.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the service says a registration changed (the {@code registration} of its answer), as lines for the operator's
 * journal: aggregates created (a misspelt name shows up here), joined and left, the ones an operator put the host in,
 * and whether the CPU changed; or that nothing changed.
 */
final class RegistrationChanges {

    private RegistrationChanges() {}

    /** @return no lines when the body is not the service's answer (an older service, a proxy's page) */
    static List<String> lines(JsonMapper json, String body) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        JsonNode host;
        try {
            host = json.readTree(body);
        } catch (JacksonException e) {
            return List.of();
        }
        JsonNode changes = host == null ? null : host.get("registration");
        if (changes == null || !changes.isObject()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode created : changes.path("createdAggregates")) {
            lines.add("created aggregate '" + created.asString() + "' (it did not exist: check the name if that "
                    + "is a surprise)");
        }
        for (JsonNode joined : changes.path("joined")) {
            lines.add("joined aggregate '" + joined.asString() + "'");
        }
        for (JsonNode left : changes.path("left")) {
            lines.add("left aggregate '" + left.asString() + "' (no longer configured)");
        }
        for (JsonNode kept : host.path("aggregatesAddedByOperator")) {
            lines.add("stays in aggregate '" + kept.asString() + "' (an operator put it there)");
        }
        if (changes.path("cpuChanged").asBoolean(false)) {
            String id = host.path("id").asString("");
            lines.add("CPU facts changed" + (isUuid(id) ? " (GET /hosts/" + id + "/history shows how)" : ""));
        } else if (changes.path("factsChanged").asBoolean(false)) {
            lines.add("host facts changed (CPU unchanged)");
        }
        boolean changed = !changes.path("createdAggregates").isEmpty()
                || !changes.path("joined").isEmpty()
                || !changes.path("left").isEmpty()
                || changes.path("cpuChanged").asBoolean(false)
                || changes.path("factsChanged").asBoolean(false);
        if (!changed) {
            // a report of the timer or the path unit on a host where nothing happened: the usual case
            lines.add("nothing changed since the last report");
        }
        return List.copyOf(lines);
    }

    private static boolean isUuid(String text) {
        try {
            UUID.fromString(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
