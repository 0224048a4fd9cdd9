package io.fleetcpu.system.internal;

import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * What is wrong with a request body Jackson could not read, in the operator's words: the field by its
 * path in the body ({@code cpu.features[3]}) and what it should be, never Java types or Jackson's own
 * messages. Text with control characters is content, not syntax: 422 like every other invalid field.
 */
final class UnreadableBody {

    private static final String TITLE = "Malformed request body";
    private static final String NOT_JSON = "the request body is not valid JSON for this endpoint";

    private UnreadableBody() {}

    static ProblemDetail problem(HttpMessageNotReadableException e) {
        JacksonException cause = jacksonCause(e);
        if (cause == null) {
            return Problems.of(
                    HttpStatus.BAD_REQUEST,
                    TITLE,
                    "the request body is empty or JSON null; this endpoint takes a JSON object");
        }
        if (cause.getCause() instanceof InvalidRequestException invalid) {
            return Problems.invalid(invalid); // unprintable text, outside a request's body advice
        }
        if (cause instanceof StreamConstraintsException) {
            return Problems.of(
                    HttpStatus.BAD_REQUEST,
                    TITLE,
                    NOT_JSON + ": it nests too deeply, or holds a number, name or string longer than fleetcpu reads");
        }
        String problem = fieldProblem(cause);
        String field = field(cause);
        if (problem == null) {
            return Problems.of(HttpStatus.BAD_REQUEST, TITLE, NOT_JSON + ": " + syntax(cause));
        }
        if (field.isEmpty()) {
            return Problems.of(HttpStatus.BAD_REQUEST, TITLE, NOT_JSON + ": the body " + problem);
        }
        ProblemDetail detail = Problems.of(HttpStatus.BAD_REQUEST, TITLE, NOT_JSON + ": " + field + " " + problem);
        detail.setProperty("errors", List.of(new FieldProblem(field, problem)));
        return detail;
    }

    private static @Nullable JacksonException jacksonCause(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JacksonException j) {
                return j;
            }
        }
        return null;
    }

    /** What is wrong with the one field Jackson stopped at; null when it is the JSON itself that is broken. */
    private static @Nullable String fieldProblem(JacksonException e) {
        if (e instanceof PropertyBindingException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return "is not a field here"
                    + (known == null || known.isEmpty()
                            ? ""
                            : "; the fields are "
                                    + String.join(
                                            ", ",
                                            new TreeSet<>(known.stream()
                                                    .map(String::valueOf)
                                                    .toList())));
        }
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e instanceof MismatchedInputException mismatch) {
            String found = e instanceof InvalidFormatException format
                    ? json(format.getValue())
                    : json(mismatch.getCurrentToken());
            return "must be " + jsonType(mismatch.getTargetType()) + (found == null ? "" : ", not " + found);
        }
        if (e instanceof DatabindException) {
            return "is not a valid value";
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate Object property")) {
            return "is given more than once";
        }
        return null;
    }

    /** Where in the body: the path Jackson kept, or else where the parser stood (duplicate keys). */
    private static String field(JacksonException e) {
        if (e instanceof StreamReadException && e.processor() instanceof JsonParser parser) {
            return StrictJsonConfiguration.path(parser.streamReadContext());
        }
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            StrictJsonConfiguration.append(path, ref.getPropertyName(), ref.getIndex());
        }
        return path.toString();
    }

    private static String jsonType(@Nullable Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type == String.class
                || CharSequence.class.isAssignableFrom(type)
                || type.isEnum()
                || type == java.util.UUID.class
                || type == Character.class
                || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class
                || type == Byte.class
                || type == byte.class
                || type == BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || !type.isPrimitive() ? "an object" : "of another JSON type";
    }

    private static @Nullable String json(@Nullable Object value) {
        if (value instanceof String s) {
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        return value instanceof Number || value instanceof Boolean ? value.toString() : null;
    }

    private static @Nullable String json(@Nullable JsonToken token) {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction";
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    /** Jackson's description of broken JSON, without its notes on where its own settings are. */
    private static String syntax(JacksonException e) {
        String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        for (String cut : new String[] {"\n", " (start marker at", " at [Source", "[Source"}) {
            int at = message.indexOf(cut);
            if (at >= 0) {
                message = message.substring(0, at);
            }
        }
        int tick = message.indexOf('`');
        if (tick >= 0) {
            int cut = Math.max(
                    message.lastIndexOf(": ", tick),
                    Math.max(message.lastIndexOf("; ", tick), message.lastIndexOf(" (", tick)));
            message = message.substring(0, cut > 0 ? cut : tick);
        }
        message = message.strip();
        if (message.length() > 200) {
            message = message.substring(0, 200) + "…";
        }
        TokenStreamLocation where = e.getLocation();
        return message
                + (where == null || where.getLineNr() < 0
                        ? ""
                        : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")");
    }
}
