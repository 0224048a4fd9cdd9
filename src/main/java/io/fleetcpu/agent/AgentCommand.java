package io.fleetcpu.agent;

import io.fleetcpu.agent.libvirt.LibvirtException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar fleetcpu.jar agent …}: reads this host through libvirt and the kernel and registers it with a
 * fleetcpu service, once (a systemd unit runs it at boot). Plain Java: no Spring context is started, so it is quick.
 */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentCommand.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Reads this host's CPU through libvirt and the kernel, and registers it with a fleetcpu service "
                    + "(POST {server}/hosts), retrying with back-off while the service is unreachable.",
            "Options left out are read from the environment variables named in their descriptions "
                    + "(e.g. from /etc/fleetcpu/agent.env)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:registered (or --dry-run printed the registration)",
            "1:refused by the server (a 4xx other than 429); its problem details are printed",
            "2:usage: a wrong option, or a missing or empty token file",
            "3:could not collect the host's facts (libvirt, /proc, /sys); nothing was sent",
            "4:the server stayed unreachable (or answered 5xx/429) until --deadline"
        })
public final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "the fleetcpu service, e.g. https://fleetcpu.example:8080 (env FLEETCPU_SERVER)")
    @Nullable
    String server;

    @Option(
            names = "--aggregate",
            paramLabel = "NAME",
            split = ",",
            description = "an aggregate this host joins; repeat it or separate names with commas "
                    + "(env FLEETCPU_AGGREGATES)")
    List<String> aggregates = new ArrayList<>();

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "a file holding the API token sent as 'Authorization: Bearer' (env FLEETCPU_TOKEN_FILE)")
    @Nullable
    Path tokenFile;

    @Option(
            names = "--hostname",
            paramLabel = "NAME",
            description = "the name to register instead of the kernel's hostname (env FLEETCPU_HOSTNAME)")
    @Nullable
    String hostname;

    @Option(
            names = "--libvirt-uri",
            paramLabel = "URI",
            defaultValue = "qemu:///system",
            description = "libvirt connection (env FLEETCPU_LIBVIRT_URI; default: ${DEFAULT-VALUE})")
    String libvirtUri;

    @Option(
            names = "--deadline",
            paramLabel = "DURATION",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "stop retrying this long after the first try, e.g. 30s, 5m, 1h "
                    + "(env FLEETCPU_DEADLINE; default: ${DEFAULT-VALUE})")
    Duration deadline;

    @Option(
            names = "--initial-delay",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description = "wait after the first failure, doubled after each further one (default: ${DEFAULT-VALUE})")
    Duration initialDelay;

    @Option(
            names = "--max-delay",
            paramLabel = "DURATION",
            defaultValue = "1m",
            converter = DurationConverter.class,
            description = "the longest wait between two tries (default: ${DEFAULT-VALUE})")
    Duration maxDelay;

    @Option(
            names = "--cpu-map",
            paramLabel = "DIR",
            defaultValue = HostCpuMap.DEFAULT_DIRECTORY,
            description = "libvirt's cpu_map directory, whose x86 part the service reads this host with: its digest "
                    + "is sent with each registration, and the map uploaded once when the service does not hold it "
                    + "(env FLEETCPU_CPU_MAP; default: ${DEFAULT-VALUE}; a folder without index.xml sends none)")
    Path cpuMapDirectory;

    @Option(
            names = "--max-guests",
            paramLabel = "N",
            defaultValue = "1000",
            description = "report at most this many of the host's domains (their CPU and machine type as configured, "
                    + "never disks, networks or metadata); 0 reports none (env FLEETCPU_MAX_GUESTS; default: "
                    + "${DEFAULT-VALUE})")
    int maxGuests;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            defaultValue = "/",
            description = "where /proc and /sys are found (default: ${DEFAULT-VALUE}; another folder for tests)")
    Path root;

    @Option(names = "--dry-run", description = "print the registration as JSON and send nothing")
    boolean dryRun;

    @Option(names = "--verbose", description = "say what is read and sent; print stack traces of failures")
    boolean verbose;

    private final LibvirtFactsSource libvirt;
    private final Clock clock;
    private final Sleeper sleeper;

    /** @param libvirt where libvirt's view of the host comes from; tests pass a double */
    @SuppressWarnings("NullAway.Init") // picocli injects the spec and sets every option with a default before call()
    public AgentCommand(LibvirtFactsSource libvirt, Clock clock, Sleeper sleeper) {
        this.libvirt = libvirt;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Runs {@code agent} with these arguments against the real host; returns the exit code. */
    public static int run(String... args) {
        return runAs(SERVICE_JAR_COMMAND, args);
    }

    /** How the service jar's command is started; its help and usage errors name it so. */
    public static final String SERVICE_JAR_COMMAND = "java -jar fleetcpu.jar agent";

    /**
     * The same, named as its user starts it: {@code fleetcpu-agent} (the package's launcher) or the service jar's
     * {@link #SERVICE_JAR_COMMAND}, in its help's usage line and in the hint of a usage error.
     */
    public static int runAs(String commandName, String... args) {
        CommandLine commandLine =
                commandLine(new AgentCommand(LiveLibvirt.INSTANCE, Clock.systemUTC(), Sleeper.REAL), System.getenv());
        commandLine.setCommandName(commandName);
        return commandLine.execute(args);
    }

    /**
     * The picocli command line for this command, with the agent's handling of errors and exit codes.
     *
     * @param environment where the {@code FLEETCPU_*} defaults of options left out come from
     */
    public static CommandLine commandLine(AgentCommand command, Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setDefaultValueProvider(new EnvironmentDefaults(environment));
        commandLine.setParameterExceptionHandler(AgentCommand::usageError);
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> command.failure(e, cl));
        return commandLine;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> aggregateNames = aggregates == null
                ? List.of()
                : aggregates.stream()
                        .map(String::strip)
                        .filter(name -> !name.isEmpty())
                        .distinct()
                        .toList();
        URI serverUri = dryRun && blank(server) ? null : serverUri();
        String token = dryRun ? null : token();
        RetrySchedule schedule = schedule();
        if (maxGuests < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--max-guests is " + maxGuests + ": give 0 (report no guests) or more");
        }

        verbose(err, "reading the kernel's facts under " + root);
        KernelFacts kernel =
                new KernelReader(root).read(hostname == null || hostname.isBlank() ? null : hostname.strip());
        verbose(err, "reading the host through libvirt at " + libvirtUri);
        LibvirtFacts host = readLibvirt();
        host.notes().forEach(note -> verbose(err, "libvirt: " + note));
        String agentVersion = AgentVersion.current();
        HostCpuMap map = readCpuMap();
        if (map == null) {
            verbose(
                    err,
                    "no cpu_map at " + cpuMapDirectory + ": the service reads this host with the map of its "
                            + "libvirt version");
        } else {
            verbose(
                    err,
                    "cpu_map " + map.digest() + " (" + map.files().size() + " x86 files of " + cpuMapDirectory + ")");
        }
        Registration.Guests guests = host.guests();
        if (guests != null) {
            verbose(
                    err,
                    guests.domains().size() + " of the host's " + guests.total() + " domains reported (--max-guests "
                            + maxGuests + ")");
        }
        Registration registration =
                Registration.of(host, kernel, aggregateNames, agentVersion, map == null ? null : map.digest(), guests);

        JsonMapper json = JsonMapper.builder()
                .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .build();
        if (dryRun) {
            out.println(json.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(registration));
            out.flush();
            return ExitStatus.REGISTERED;
        }

        URI target = Objects.requireNonNull(serverUri); // only a dry run goes without a server
        verbose(
                err,
                "registering " + registration.hostname() + " (" + registration.uuid() + ") with "
                        + RegistrationClient.hostsEndpoint(target));
        RegistrationClient client = new RegistrationClient(
                schedule, clock, sleeper, () -> ThreadLocalRandom.current().nextDouble(), err, agentVersion);
        RegistrationOutcome outcome = client.register(target, token, json.writeValueAsString(registration));
        if (map != null
                && outcome instanceof RegistrationOutcome.Refused refused
                && refused.fields().contains("cpuMap")) {
            outcome = uploadThenRegister(client, target, token, json, registration, map, out, err);
        }
        if (outcome instanceof RegistrationOutcome.Registered registered) {
            out.println("fleetcpu agent: " + registration.hostname() + " (" + registration.uuid() + ") "
                    + outcome.message());
            registered.changes().forEach(change -> out.println("fleetcpu agent: " + change));
            out.flush();
        } else {
            err.println("fleetcpu agent: " + outcome.message());
            err.flush();
        }
        return outcome.exitCode();
    }

    /**
     * The service does not hold this host's map: upload it once, then register again with it. A map the service
     * refuses is reported, and the host registered without it (read with the map of its libvirt version).
     */
    private RegistrationOutcome uploadThenRegister(
            RegistrationClient client,
            URI target,
            @Nullable String token,
            JsonMapper json,
            Registration registration,
            HostCpuMap map,
            PrintWriter out,
            PrintWriter err) {
        RegistrationOutcome upload = client.uploadCpuMap(
                target,
                token,
                map.digest(),
                map.uploadJson(json, registration.versions().libvirt()));
        if (upload instanceof RegistrationOutcome.Registered uploaded) {
            out.println("fleetcpu agent: uploaded this host's libvirt cpu_map " + map.digest() + " (HTTP "
                    + uploaded.status() + ", " + map.files().size() + " files of " + map.directory() + ")");
            out.flush();
            return client.register(target, token, json.writeValueAsString(registration));
        }
        if (upload instanceof RegistrationOutcome.Refused) {
            err.println("fleetcpu agent: " + upload.message());
            err.println("fleetcpu agent: registering without the map: the service reads this host with the map of "
                    + "its libvirt version");
            err.flush();
            return client.register(target, token, json.writeValueAsString(registration.withoutCpuMap()));
        }
        return upload;
    }

    private @Nullable HostCpuMap readCpuMap() {
        try {
            return HostCpuMap.read(cpuMapDirectory);
        } catch (IOException e) {
            throw new CollectionException(
                    "cannot read libvirt's cpu_map in " + cpuMapDirectory + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        }
    }

    private URI serverUri() {
        if (server == null || server.isBlank()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Missing --server URL (or FLEETCPU_SERVER): the fleetcpu service to register with");
        }
        try {
            URI uri = new URI(server.strip());
            String scheme = uri.getScheme();
            if (scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--server '" + server
                                + "' is not an http(s) address; write e.g. https://fleetcpu.example:8080");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ParameterException(
                    spec.commandLine(), "--server '" + server + "' is not a URL: " + e.getReason());
        }
    }

    private RetrySchedule schedule() {
        try {
            return new RetrySchedule(initialDelay, maxDelay, deadline);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private @Nullable String token() {
        if (tokenFile == null || tokenFile.toString().isBlank()) {
            return null;
        }
        String text;
        try {
            text = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), "token file " + tokenFile + " does not exist");
        } catch (IOException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "cannot read token file " + tokenFile + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (text.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "token file " + tokenFile + " is empty");
        }
        return text;
    }

    private LibvirtFacts readLibvirt() {
        try {
            return libvirt.read(libvirtUri, maxGuests);
        } catch (LibvirtException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            boolean named = message.contains(libvirtUri);
            boolean connecting = message.toLowerCase(java.util.Locale.ROOT).contains("connect")
                    || message.contains("cannot be loaded");
            throw new CollectionException(
                    "libvirt" + (named ? "" : " (" + libvirtUri + ")") + ": " + message
                            + (connecting ? " (is libvirtd installed and running?)" : ""),
                    e);
        }
    }

    private void verbose(PrintWriter err, String message) {
        if (verbose) {
            err.println("fleetcpu agent: " + message);
            err.flush();
        }
    }

    /** A wrong command line: one line saying what is wrong and where help is, exit 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("fleetcpu agent: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + commandLine.getCommandName() + " --help' for the options.");
        err.flush();
        return ExitStatus.USAGE;
    }

    /** Failures while collecting: one line, never only a stack trace. */
    private int failure(Exception e, CommandLine commandLine) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof CollectionException) {
            err.println("fleetcpu agent: could not collect this host's facts: " + e.getMessage());
        } else {
            err.println("fleetcpu agent: unexpected error: " + e);
        }
        if (verbose) {
            e.printStackTrace(err);
        } else if (!(e instanceof CollectionException)) {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return ExitStatus.NOT_COLLECTED;
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    /** {@code 5m}, {@code 30s}, {@code 500ms}, {@code 1h30m} or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AgentVersion.current();
            return new String[] {"fleetcpu agent " + (version == null ? "(development build)" : version)};
        }
    }
}
