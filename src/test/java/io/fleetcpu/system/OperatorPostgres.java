package io.fleetcpu.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL server prepared as an operator prepares one for fleetcpu: a login of its own and databases it owns.
 * For tests that point the service at a database with {@code spring.datasource.url}. It can be stopped and started
 * again on the same port with its data, as an outage does.
 */
final class OperatorPostgres implements AutoCloseable {

    static final String USER = "fleetcpu_app";
    static final String PASSWORD = "s3cret-for-tests";

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private OperatorPostgres(Path dataDirectory, EmbeddedPostgres server) {
        this.dataDirectory = dataDirectory;
        this.server = server;
        this.port = server.getPort();
    }

    /** Starts a server with the login and these databases, owned by it. */
    static OperatorPostgres start(String... databases) throws IOException, SQLException {
        Path dataDirectory = Files.createTempDirectory("operator-postgres");
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .start();
        try (Connection admin = server.getPostgresDatabase().getConnection();
                Statement sql = admin.createStatement()) {
            sql.execute("create role " + USER + " login password '" + PASSWORD + "'");
            for (String database : databases) {
                sql.execute("create database " + database + " owner " + USER);
            }
        }
        return new OperatorPostgres(dataDirectory, server);
    }

    String url(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    EmbeddedPostgres server() {
        return server;
    }

    /** Stops the server (a fast shutdown: open connections are cut); its data stays. */
    void stop() throws IOException {
        server.close();
        server = null;
    }

    /** Starts the stopped server again, on the same port, with its data. */
    void startAgain() throws IOException {
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
