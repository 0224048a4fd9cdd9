package io.fleetcpu.system;

import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much one request may ask of fleetcpu. Beyond a limit the request is refused whole (413, 408, or 422 naming
 * the field and the limit) and nothing is written. The defaults are far above what real hosts send: real CPUs
 * list at most about 200 features, and a host sits in a handful of aggregates.
 *
 * @param maxBodySize the largest request body accepted; larger ones get 413
 * @param bodyTimeout how long a client may take to send a whole request body; slower ones get 408. Bodies are
 *        read without holding a request thread, so slow clients cannot starve the others while they send.
 * @param refusedBodyDrain how much of a body refused for its size (413) is still read, and thrown away, after the
 *        answer is sent: a client that sends its whole body before it reads reads the 413 instead of a reset
 *        connection. The reading holds no request thread and ends at {@code bodyTimeout}; a larger body is cut off.
 * @param maxAggregatesPerHost aggregates one registration may name
 * @param maxFeaturesPerCpu features (listed and disabled) one CPU description may name
 * @param maxWhatIfHosts entries in each list of a what-if (addHosts, addReports, removeHosts)
 * @param maxMachineTypes machine types one host's capabilities may list for its arch (QEMU 11.1 lists 42, QEMU 7.2 60)
 * @param maxGuestsPerHost guests (domains) one registration may report; the agent's {@code --max-guests} caps what it
 *     sends at the same number by default
 */
@ConfigurationProperties("fleetcpu.request")
public record RequestLimitProperties(
        @DefaultValue("2MB") DataSize maxBodySize,
        @DefaultValue("30s") Duration bodyTimeout,
        @DefaultValue("8MB") DataSize refusedBodyDrain,
        @DefaultValue("100") int maxAggregatesPerHost,
        @DefaultValue("1000") int maxFeaturesPerCpu,
        @DefaultValue("1000") int maxWhatIfHosts,
        @DefaultValue("1000") int maxMachineTypes,
        @DefaultValue("1000") int maxGuestsPerHost) {

    /** Adds a problem naming the field and the limit when {@code count} things are more than {@code limit}. */
    public static boolean checkCount(
            List<FieldProblem> problems, String field, int count, int limit, String things, String property) {
        if (count <= limit) {
            return true;
        }
        problems.add(new FieldProblem(
                field,
                count + " " + things + "; at most " + limit + " are accepted (setting " + "fleetcpu.request." + property
                        + ")"));
        return false;
    }

    /** Within the limit of features one CPU may name. */
    public boolean checkFeatures(List<FieldProblem> problems, String field, int count) {
        return checkCount(problems, field, count, maxFeaturesPerCpu, "features", "max-features-per-cpu");
    }

    /** Within the limit of machine types one host may list. */
    public boolean checkGuests(List<FieldProblem> problems, String field, int count) {
        return checkCount(problems, field, count, maxGuestsPerHost, "guests", "max-guests-per-host");
    }

    public boolean checkMachineTypes(List<FieldProblem> problems, String field, int count) {
        return checkCount(problems, field, count, maxMachineTypes, "machine types", "max-machine-types");
    }
}
