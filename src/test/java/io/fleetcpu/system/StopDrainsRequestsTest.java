package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill <pid>} (SIGTERM, what systemd and docker stop send) in the middle of a registration storm: the web
 * server stops taking requests and finishes those it took, then the database stops. Every request that got an
 * answer got a real one (no 5xx), the process is gone within a few seconds with exit status 0, and so is its
 * PostgreSQL. (Before, zonky's
 * shutdown hook stopped PostgreSQL ~90 ms after the signal: requests under way got 500, others waited 30 s for a
 * connection.)
 */
class StopDrainsRequestsTest {

    @TempDir
    Path home;

    @Test
    void sigtermDuringAStormAnswersNoRequestWith5xxAndLeavesNoPostgres() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(home)) {
            List<ProcessHandle> postgres = service.postgresProcesses();
            assertThat(postgres).as("the embedded PostgreSQL's processes").isNotEmpty();
            RegistrationStorm storm = RegistrationStorm.start(service, "stop", 12);
            storm.awaitAnswers(50, 60);

            long signalled = System.nanoTime();
            service.jvm().destroy(); // SIGTERM
            boolean exited = service.jvm().waitFor(30, TimeUnit.SECONDS);
            long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            storm.stop();

            List<Integer> serverErrors = storm.answered().stream()
                    .map(RegistrationStorm.Registration::status)
                    .filter(status -> status >= 500)
                    .toList();
            System.out.printf(
                    "SIGTERM: exited after %d ms (exit %s); %d requests answered, %d of them 5xx, "
                            + "%d without an answer%n",
                    exitMillis,
                    exited ? service.jvm().exitValue() : "-",
                    storm.answered().size(),
                    serverErrors.size(),
                    storm.unanswered());
            assertThat(serverErrors)
                    .as("5xx answers during the stop; log:\n" + service.logTail())
                    .isEmpty();
            assertThat(exited).as("the service exited").isTrue();
            assertThat(service.jvm().exitValue())
                    .as("exit status after SIGTERM (a stop asked for is no failure)")
                    .isZero();
            assertThat(exitMillis).as("milliseconds from SIGTERM to exit").isLessThan(10_000);
            // pg_ctl stop returns when the server removed postmaster.pid, a moment before its last process exits
            for (ProcessHandle process : postgres) {
                process.onExit().completeOnTimeout(process, 5, TimeUnit.SECONDS).join();
            }
            assertThat(postgres)
                    .as("PostgreSQL processes running 5 s after the service exited; log:\n" + service.logTail())
                    .noneMatch(ProcessHandle::isAlive);
            assertThat(Files.exists(home.resolve("postgres/postmaster.pid")))
                    .as("postmaster.pid left behind")
                    .isFalse();
        }
    }
}
