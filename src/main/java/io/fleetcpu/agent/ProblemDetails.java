package io.fleetcpu.agent;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The RFC 9457 problem the service answers with ({@code application/problem+json}), as far as the agent shows it:
 * title, detail, and each {@code errors[]} entry ({@code field}: {@code problem}).
 */
record ProblemDetails(@Nullable String title, @Nullable String detail, List<FieldProblem> errors) {

    record FieldProblem(@Nullable String field, @Nullable String problem) {}

    /** @return null when the body is not a JSON object (a proxy's HTML page, an empty body) */
    static @Nullable ProblemDetails parse(JsonMapper json, @Nullable String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                return null;
            }
            List<FieldProblem> errors = new ArrayList<>();
            for (JsonNode error : root.path("errors")) {
                errors.add(new FieldProblem(text(error.get("field")), text(error.get("problem"))));
            }
            return new ProblemDetails(text(root.get("title")), text(root.get("detail")), List.copyOf(errors));
        } catch (JacksonException e) {
            return null;
        }
    }

    /** {@code title: detail}, or whichever of the two is there; null when neither. */
    @Nullable
    String summary() {
        if (title != null && detail != null) {
            return title + ": " + detail;
        }
        return title != null ? title : detail;
    }

    private static @Nullable String text(@Nullable JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }
}
