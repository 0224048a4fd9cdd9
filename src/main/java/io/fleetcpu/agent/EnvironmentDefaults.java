package io.fleetcpu.agent;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Options left out of the command line are taken from {@code FLEETCPU_*} variables, which systemd sets from
 * {@code /etc/fleetcpu/agent.env}. A variable set to nothing ({@code FLEETCPU_DEADLINE=}) counts as unset, so the
 * option keeps its own default instead of failing on an empty value.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

    /** Option name → variable; the option's description names the variable too. */
    static final Map<String, String> VARIABLES = Map.of(
            "--server", "FLEETCPU_SERVER",
            "--aggregate", "FLEETCPU_AGGREGATES",
            "--token-file", "FLEETCPU_TOKEN_FILE",
            "--hostname", "FLEETCPU_HOSTNAME",
            "--libvirt-uri", "FLEETCPU_LIBVIRT_URI",
            "--deadline", "FLEETCPU_DEADLINE",
            "--cpu-map", "FLEETCPU_CPU_MAP",
            "--max-guests", "FLEETCPU_MAX_GUESTS");

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public @Nullable String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option)) {
            return null;
        }
        String variable = VARIABLES.get(option.longestName());
        String value = variable == null ? null : environment.get(variable);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
