package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed JVM or a restarted machine leaves in the data directory does not keep fleetcpu from starting:
 * PostgreSQL refuses to start while {@code postmaster.pid} names a live process, whatever that process is.
 */
class LeftoverPostmasterTest {

    @TempDir
    Path home;

    private RunningService start() {
        return RunningService.start(
                "--fleetcpu.embedded-postgres.data-directory=" + home.resolve("postgres"),
                "--fleetcpu.embedded-postgres.password-file=" + home.resolve("postgres-password"));
    }

    @Test
    void aPostgresLeftRunningByAKilledJvmIsStoppedAndTheNextStartWorks() throws Exception {
        List<ProcessHandle> leftover;
        try (ServiceProcess first = ServiceProcess.start(home)) {
            HttpResponse<String> created = first.post("/aggregates", "{\"id\":\"before-the-kill\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            leftover = first.postgresProcesses();
            first.killJvm();
            assertThat(leftover).isNotEmpty();
            assertThat(leftover.get(0).isAlive())
                    .as("PostgreSQL (its postmaster) outlives its JVM")
                    .isTrue();

            try (RunningService second = start()) {
                assertThat(second.get("/aggregates/before-the-kill").statusCode())
                        .isEqualTo(200);
                assertThat(leftover).as("the PostgreSQL left running").noneMatch(ProcessHandle::isAlive);
            }
        }
        assertThat(ServiceProcess.postgresProcesses(home.resolve("postgres"))).isEmpty();
    }

    @Test
    void aPidFileNamingAnUnrelatedLiveProcessIsStale() throws IOException, InterruptedException {
        try (RunningService first = start()) {
            HttpResponse<String> created = first.post("/aggregates", "{\"id\":\"before-the-reboot\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        // After a reboot the process id in the file belongs to whatever got it now.
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        try {
            Path pidFile = home.resolve("postgres/postmaster.pid");
            Files.writeString(
                    pidFile,
                    unrelated.pid() + "\n" + home.resolve("postgres") + "\n1764000000\n5432\n"
                            + "/tmp\nlocalhost\n  5432001    12345\nready   \n");

            try (RunningService second = start()) {
                assertThat(second.get("/aggregates/before-the-reboot").statusCode())
                        .isEqualTo(200);
            }
            assertThat(unrelated.isAlive())
                    .as("the unrelated process is left alone")
                    .isTrue();
        } finally {
            unrelated.destroy();
        }
    }
}
