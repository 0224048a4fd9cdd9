package io.fleetcpu.agent;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** How a registration ended: each outcome has its exit code and a message for the operator. */
public sealed interface RegistrationOutcome {

    int exitCode();

    String message();

    /**
     * 2xx: the service has the host.
     *
     * @param changes what the registration changed, one line each, as the service's answer says
     */
    record Registered(int status, int attempts, @Nullable String location, List<String> changes)
            implements RegistrationOutcome {

        public Registered {
            changes = changes == null ? List.of() : List.copyOf(changes);
        }

        @Override
        public int exitCode() {
            return ExitStatus.REGISTERED;
        }

        @Override
        public String message() {
            return "registered: HTTP " + status + (status == 201 ? " (new host)" : " (known host)")
                    + (location == null ? "" : " at " + location)
                    + (attempts > 1 ? " after " + attempts + " tries" : "");
        }
    }

    /**
     * A 4xx other than 429 (or a redirect): the request itself is wrong, so it was not retried.
     *
     * @param fields the request's fields the service's problem names ({@code errors[].field})
     */
    record Refused(int status, String message, List<String> fields) implements RegistrationOutcome {

        public Refused {
            fields = List.copyOf(fields);
        }

        @Override
        public int exitCode() {
            return ExitStatus.REFUSED;
        }
    }

    /** Connection errors, 5xx or 429 until the deadline. */
    record Unreachable(String lastFailure, int attempts, String elapsed) implements RegistrationOutcome {
        @Override
        public int exitCode() {
            return ExitStatus.UNREACHABLE;
        }

        @Override
        public String message() {
            return "gave up after " + attempts + (attempts == 1 ? " try" : " tries") + " in " + elapsed
                    + "; last failure: " + lastFailure;
        }
    }
}
