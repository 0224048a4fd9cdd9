package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default run keeps its data in the embedded PostgreSQL's data directory: what was written before
 * a restart is there after it (the directory is not wiped when {@code clean} is false, its default).
 */
class EmbeddedDataSurvivesRestartTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path home;

    @Test
    void anAggregateCreatedBeforeARestartIsThereAfterIt() {
        Path dataDirectory = home.resolve("postgres");
        String[] arguments = {
            "--fleetcpu.embedded-postgres.data-directory=" + dataDirectory, "--fleetcpu.embedded-postgres.clean=false"
        };

        try (RunningService first = RunningService.start(arguments)) {
            HttpResponse<String> created =
                    first.post("/aggregates", "{\"id\":\"survivor\",\"description\":\"kept across restarts\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        assertThat(Files.exists(dataDirectory.resolve("PG_VERSION")))
                .as("the database files stay after the service stopped")
                .isTrue();

        try (RunningService second = RunningService.start(arguments)) {
            HttpResponse<String> found = second.get("/aggregates/survivor");
            assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
            JsonNode aggregate = JSON.readTree(found.body());
            assertThat(aggregate.get("id").asString()).isEqualTo("survivor");
            assertThat(aggregate.get("description").asString()).isEqualTo("kept across restarts");
        }
    }
}
