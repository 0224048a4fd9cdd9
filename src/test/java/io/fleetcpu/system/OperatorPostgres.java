package io.fleetcpu.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server prepared as an operator prepares one for fleetcpu: a login of its own and databases it owns.
 * For tests that point the service at a database with {@code spring.datasource.url}.
 */
final class OperatorPostgres implements AutoCloseable {

    static final String USER = "fleetcpu_app";
    static final String PASSWORD = "s3cret-for-tests";

    private final EmbeddedPostgres server;

    private OperatorPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts a server with the login and these databases, owned by it. */
    static OperatorPostgres start(String... databases) throws IOException, SQLException {
        EmbeddedPostgres server = EmbeddedPostgres.builder().start();
        try (Connection admin = server.getPostgresDatabase().getConnection();
                Statement sql = admin.createStatement()) {
            sql.execute("create role " + USER + " login password '" + PASSWORD + "'");
            for (String database : databases) {
                sql.execute("create database " + database + " owner " + USER);
            }
        }
        return new OperatorPostgres(server);
    }

    String url(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    EmbeddedPostgres server() {
        return server;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
