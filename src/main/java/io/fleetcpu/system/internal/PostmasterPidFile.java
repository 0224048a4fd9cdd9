package io.fleetcpu.system.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code postmaster.pid} a running PostgreSQL keeps in its data directory, looked at before the embedded server
 * starts. PostgreSQL itself refuses to start while the process the file names is alive, whatever that process is.
 * Two ways that happens to fleetcpu:
 * <ul>
 * <li>the JVM was killed ({@code kill -9}, OOM killer) and its PostgreSQL kept running: {@code pg_ctl} detaches the
 * server from the JVM, so it is not killed with it. That server is stopped (fast shutdown) and a new one started.</li>
 * <li>the file is stale (the machine or the container restarted) and its process id now belongs to an unrelated
 * process. The file is removed.</li>
 * </ul>
 * A process that cannot be identified either way stops the start, with a message naming the file.
 */
final class PostmasterPidFile {

    private static final Logger log = LoggerFactory.getLogger(PostmasterPidFile.class);
    private static final int STOP_SECONDS = 30;

    private final Path dataDirectory;
    private final Path file;

    PostmasterPidFile(Path dataDirectory) {
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.file = this.dataDirectory.resolve("postmaster.pid");
    }

    /** Stops a PostgreSQL left running on the data directory, or removes a stale file naming an unrelated process. */
    void clearBeforeStart(PostgresPrograms programs) {
        Optional<ProcessHandle> named = namedProcess().filter(ProcessHandle::isAlive);
        if (named.isEmpty()) {
            return; // no file, or its process is gone: PostgreSQL replaces such a file itself
        }
        ProcessHandle process = named.get();
        switch (identify(process)) {
            case POSTGRES_OF_THIS_DIRECTORY -> stop(process, programs);
            case OTHER -> {
                log.warn(
                        "{} names process {} ({}), which is not a PostgreSQL of this data directory: "
                                + "the file is stale, removing it",
                        file,
                        process.pid(),
                        describe(process));
                delete();
            }
            case UNKNOWN ->
                throw new IllegalStateException(file + " names process " + process.pid()
                        + ", which is running, but fleetcpu cannot tell whether it is a PostgreSQL of " + dataDirectory
                        + ". If it is, stop it (pg_ctl -D " + dataDirectory + " stop -m fast); if it is not, delete "
                        + file + ". Then start fleetcpu again.");
        }
    }

    private Optional<ProcessHandle> namedProcess() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty()
                    ? Optional.empty()
                    : ProcessHandle.of(Long.parseLong(lines.get(0).strip()));
        } catch (NumberFormatException e) {
            return Optional.empty(); // not a process id: PostgreSQL reports the bogus file itself
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private enum Identity {
        POSTGRES_OF_THIS_DIRECTORY,
        OTHER,
        UNKNOWN
    }

    /**
     * A PostgreSQL server of this data directory runs the {@code postgres} program with {@code -D <this directory>}
     * ({@code pg_ctl} always passes it) and works in that directory.
     */
    private Identity identify(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        Optional<String> program = info.command();
        if (program.isEmpty()) {
            return Identity.UNKNOWN;
        }
        String name = Path.of(program.get()).getFileName().toString();
        if (!name.equals("postgres") && !name.equals("postgres.exe")) {
            return Identity.OTHER;
        }
        Optional<Path> dataOption = info.arguments().flatMap(PostmasterPidFile::dataDirectoryOption);
        if (dataOption.isPresent()) {
            return sameAsData(dataOption.get()) ? Identity.POSTGRES_OF_THIS_DIRECTORY : Identity.OTHER;
        }
        return workingDirectory(process)
                .map(d -> sameAsData(d) ? Identity.POSTGRES_OF_THIS_DIRECTORY : Identity.OTHER)
                .orElse(Identity.UNKNOWN);
    }

    private static Optional<Path> dataDirectoryOption(String[] arguments) {
        for (int i = 0; i + 1 < arguments.length; i++) {
            if (arguments[i].equals("-D") && Path.of(arguments[i + 1]).isAbsolute()) {
                return Optional.of(Path.of(arguments[i + 1]));
            }
        }
        return Optional.empty();
    }

    /** Where the process works (a PostgreSQL server works in its data directory), where the system tells. */
    private static Optional<Path> workingDirectory(ProcessHandle process) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private boolean sameAsData(Path path) {
        try {
            return Files.isSameFile(dataDirectory, path);
        } catch (IOException e) {
            return false;
        }
    }

    private void stop(ProcessHandle postmaster, PostgresPrograms programs) {
        log.warn(
                "A PostgreSQL (process {}) is still running on {}, left by a run of fleetcpu that ended without "
                        + "stopping it: stopping it (fast shutdown) before starting a new one",
                postmaster.pid(),
                dataDirectory);
        programs.run(
                "pg_ctl",
                List.of(
                        "-D",
                        dataDirectory.toString(),
                        "stop",
                        "-m",
                        "fast",
                        "-w",
                        "-t",
                        Integer.toString(STOP_SECONDS)),
                "");
        try {
            postmaster.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException(
                    "the PostgreSQL left running on " + dataDirectory + " (process " + postmaster.pid()
                            + ") did not stop; stop it yourself and start fleetcpu again",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the PostgreSQL left on " + dataDirectory, e);
        }
    }

    private static String describe(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return info.commandLine().or(info::command).orElse("unknown program");
    }

    private void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale " + file, e);
        }
    }
}
