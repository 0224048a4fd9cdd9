package io.fleetcpu.web;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The syntax of an aggregate's readable id, checked wherever one arrives: in a host's registration
 * as well as in the aggregates API. Valid in URLs, as a DNS label and as an OpenStack aggregate name.
 */
public final class AggregateId {

    private static final Pattern SYNTAX = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private AggregateId() {}

    public static boolean isValid(@Nullable String id) {
        return id != null && SYNTAX.matcher(id).matches();
    }

    /** What is wrong with an id that is not valid, in words an operator can act on. */
    public static String problem(@Nullable String id) {
        return (id == null ? "missing" : "'" + id + "' is not a valid aggregate id")
                + ": use 1 to 63 lower-case letters, digits and dashes, starting and ending with a letter or digit";
    }
}
