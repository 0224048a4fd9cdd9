package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL answers only to its superuser's password, which only the user running fleetcpu can read,
 * and writes every commit to disk. (zonky's defaults trusted every local connection: any local user could be the
 * superuser and read fleetcpu's files with {@code copy … from program}.)
 */
class EmbeddedPostgresLockedDownTest {

    @TempDir
    Path home;

    private Path dataDirectory() {
        return home.resolve("postgres");
    }

    private Path passwordFile() {
        return home.resolve("secrets/postgres-password");
    }

    private RunningService start() {
        return RunningService.start(
                "--fleetcpu.embedded-postgres.data-directory=" + dataDirectory(),
                "--fleetcpu.embedded-postgres.password-file=" + passwordFile());
    }

    private static int port(RunningService service) {
        return service.context().getBean(EmbeddedPostgres.class).getPort();
    }

    private static Connection connect(int port, String password) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", "postgres");
        if (password != null) {
            login.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", login);
    }

    private static String show(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    @Test
    void onlyThePasswordInAnOwnerOnlyFileOpensTheDatabase() throws Exception {
        String password;
        try (RunningService service = start()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile())))
                    .as("mode of the password file")
                    .isEqualTo("rw-------");
            password = Files.readString(passwordFile()).strip();
            assertThat(password).hasSizeGreaterThanOrEqualTo(32);
            int port = port(service);

            assertThatThrownBy(() -> connect(port, null).close())
                    .as("without a password")
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connect(port, "postgres").close())
                    .as("with a wrong password")
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            try (Connection superuser = connect(port, password)) {
                assertThat(show(
                                superuser,
                                "select count(*) from pg_hba_file_rules "
                                        + "where auth_method <> 'scram-sha-256' or error is not null"))
                        .as("pg_hba.conf rules other than scram-sha-256")
                        .isEqualTo("0");
                assertThat(show(superuser, "show listen_addresses")).isEqualTo("localhost");
                assertThat(show(superuser, "show fsync")).isEqualTo("on");
                assertThat(show(superuser, "show synchronous_commit")).isEqualTo("on");
                assertThat(show(superuser, "show full_page_writes")).isEqualTo("on");
            }
            HttpResponse<String> created = service.post("/aggregates", "{\"id\":\"locked\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }

        // An operator who lost the file (or wants another password) deletes it: the next start makes a new one.
        Files.delete(passwordFile());
        try (RunningService service = start()) {
            String newPassword = Files.readString(passwordFile()).strip();
            assertThat(newPassword).isNotEqualTo(password);
            assertThatThrownBy(() -> connect(port(service), password).close())
                    .as("with the old password")
                    .isInstanceOf(SQLException.class);
            connect(port(service), newPassword).close();
            assertThat(service.get("/aggregates/locked").statusCode())
                    .as("data kept")
                    .isEqualTo(200);
        }
    }

    /**
     * zonky unpacks the PostgreSQL programs into /tmp/embedded-pg by default, where any local user could plant programs
     * before the first unpack, which fleetcpu would then run.
     */
    @Test
    void thePostgresProgramsRunFromADirectoryOnlyTheServiceWrites() throws Exception {
        Path programs = home.resolve("programs");
        try (RunningService service = RunningService.start(
                "--fleetcpu.embedded-postgres.data-directory=" + dataDirectory(),
                "--fleetcpu.embedded-postgres.password-file=" + passwordFile(),
                "--fleetcpu.embedded-postgres.programs-directory=" + programs)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(programs)))
                    .as("mode of the programs directory")
                    .isEqualTo("rwx------");
            long postmaster = Long.parseLong(Files.readAllLines(dataDirectory().resolve("postmaster.pid"))
                    .get(0)
                    .strip());
            assertThat(Path.of("/proc/" + postmaster + "/exe").toRealPath())
                    .as("the running postgres")
                    .startsWith(programs.toRealPath());
        }
        // Anyone could have entered and changed the programs while it was open to all: fleetcpu does not run them.
        Files.setPosixFilePermissions(programs, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> RunningService.start(
                                "--fleetcpu.embedded-postgres.data-directory=" + dataDirectory(),
                                "--fleetcpu.embedded-postgres.password-file=" + passwordFile(),
                                "--fleetcpu.embedded-postgres.programs-directory=" + programs)
                        .close())
                .hasStackTraceContaining("others may write to " + programs.toAbsolutePath());
    }

    @Test
    void aDataDirectoryOfAnEarlierVersionLosesTrustAtStartAndKeepsItsData() throws IOException, SQLException {
        // What earlier versions left: zonky's initdb (trust, superuser without a password).
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDirectory())
                        .setCleanDataDirectory(false)
                        .start();
                Connection trusted = connect(earlier.getPort(), null);
                Statement sql = trusted.createStatement()) {
            sql.execute("create schema earlier");
            sql.execute("create table earlier.kept (note text)");
            sql.execute("insert into earlier.kept values ('written by an earlier version')");
        }
        assertThat(Files.readString(dataDirectory().resolve("pg_hba.conf"))).contains("trust");

        try (RunningService service = start()) {
            int port = port(service);
            assertThatThrownBy(() -> connect(port, null).close())
                    .as("without a password")
                    .isInstanceOf(SQLException.class);
            try (Connection superuser =
                    connect(port, Files.readString(passwordFile()).strip())) {
                assertThat(show(superuser, "select note from earlier.kept")).isEqualTo("written by an earlier version");
            }
            HttpResponse<String> created = service.post("/aggregates", "{\"id\":\"after-upgrade\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        assertThat(Files.readString(dataDirectory().resolve("pg_hba.conf"))).doesNotContain("trust");
    }
}
