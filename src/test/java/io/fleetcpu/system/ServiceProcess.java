package io.fleetcpu.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The whole service started as its own operating-system process ({@code java … FleetcpuApplication}), as an
 * operator runs it, with the embedded PostgreSQL keeping its data and password under {@code home}: for tests that
 * kill or signal it. Its output goes to {@code home/service-N.log}.
 */
final class ServiceProcess implements AutoCloseable {

    static final String TOKEN = "process-test-token-0123456789";
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private final Process jvm;
    private final Path dataDirectory;
    private final Path log;
    private final ServiceClient client;

    private ServiceProcess(Process jvm, int port, Path dataDirectory, Path log) {
        this.jvm = jvm;
        this.client = new ServiceClient(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), port);
        this.dataDirectory = dataDirectory;
        this.log = log;
    }

    /** Starts the service on a free port with its data under {@code home} and waits until it answers. */
    static ServiceProcess start(Path home) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dataDirectory = home.resolve("postgres");
        Path log;
        try (Stream<Path> existing = Files.list(home)) {
            log = home.resolve("service-"
                    + existing.filter(p -> p.toString().endsWith(".log")).count() + ".log");
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classPath,
                "io.fleetcpu.FleetcpuApplication",
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--fleetcpu.security.tokens=" + TOKEN,
                "--fleetcpu.embedded-postgres.data-directory=" + dataDirectory,
                "--fleetcpu.embedded-postgres.password-file=" + home.resolve("postgres-password"));
        Process jvm = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServiceProcess service = new ServiceProcess(jvm, port, dataDirectory, log);
        service.awaitReady();
        return service;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException(
                        "the service exited with " + jvm.exitValue() + " while starting:\n" + logTail());
            }
            try {
                if (get("/actuator/health").statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("the service did not start within " + START_LIMIT + ":\n" + logTail());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    Process jvm() {
        return jvm;
    }

    HttpResponse<String> get(String path) {
        return client.send(client.request(path).timeout(Duration.ofSeconds(30)).GET());
    }

    HttpResponse<String> post(String path, String json) {
        return client.send(client.request(path)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * The embedded PostgreSQL server ({@code postmaster.pid} names it) and its processes. The server is not a
     * descendant of the JVM: {@code pg_ctl} starts it detached.
     */
    List<ProcessHandle> postgresProcesses() {
        return postgresProcesses(dataDirectory);
    }

    static List<ProcessHandle> postgresProcesses(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        List<ProcessHandle> processes = new ArrayList<>();
        try {
            if (Files.exists(pidFile)) {
                // only a postgres program: a stale file may name an unrelated process
                Optional<ProcessHandle> postmaster = ProcessHandle.of(Long.parseLong(
                                Files.readAllLines(pidFile).get(0).strip()))
                        .filter(p -> p.info().command().orElse("").endsWith("/postgres"));
                postmaster.ifPresent(p -> {
                    processes.add(p);
                    p.descendants().forEach(processes::add);
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return processes;
    }

    /** {@code kill -9} of the JVM and every PostgreSQL process at once, as a power cut ends them. */
    void killEverything() {
        List<ProcessHandle> all = new ArrayList<>(postgresProcesses());
        jvm.descendants().forEach(all::add);
        all.add(jvm.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        awaitExit(all);
    }

    /** {@code kill -9} of the JVM alone: what the OOM killer does. */
    void killJvm() {
        jvm.destroyForcibly();
        awaitExit(List.of(jvm.toHandle()));
    }

    static void awaitExit(List<ProcessHandle> processes) {
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("process " + process.pid() + " did not exit", e);
            }
        }
    }

    /** Stops whatever is still running of this service, the hard way (for test clean-up). */
    @Override
    public void close() {
        killEverything();
    }
}
