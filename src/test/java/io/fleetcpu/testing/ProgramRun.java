package io.fleetcpu.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program run to its end in a process of its own, as an operator's shell would run it.
 *
 * @param exit its exit code
 * @param output what it wrote to standard output
 * @param errors what it wrote to standard error
 */
public record ProgramRun(int exit, String output, String errors) {

    /**
     * Runs the command with these variables added to this process's environment, its output kept in files of
     * {@code scratch}; fails the test when it has not ended within {@code limit}.
     */
    public static ProgramRun of(List<String> command, Map<String, String> environment, Path scratch, Duration limit)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile(scratch, "output-", ".txt");
        Path errors = Files.createTempFile(scratch, "errors-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not end within " + limit + ": " + command);
        }
        return new ProgramRun(
                process.exitValue(),
                Files.readString(output, StandardCharsets.UTF_8),
                Files.readString(errors, StandardCharsets.UTF_8));
    }
}
