package io.fleetcpu.metrics;

import static io.fleetcpu.testing.GuestReports.epycGuests;
import static io.fleetcpu.testing.GuestReports.qemu64Guest;
import static io.fleetcpu.testing.GuestReports.withGuests;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The guest gauges say what the aggregate's guest inventory says, without naming a guest. */
class GuestMetricsApiTest extends ScrapingApiTest {

    @Test
    void guestsPerConfigurationAndThoseThatCannotMigrateAreGauged() {
        assertThat(post("/hosts", withGuests(agentRegistration("mixed"), List.of(qemu64Guest()), 1))
                        .status())
                .isEqualTo(201);
        assertThat(post("/hosts", withGuests(emulatedEpycAgentRegistration("mixed"), epycGuests(), 2))
                        .status())
                .isEqualTo(201);
        JsonNode summary = get("/aggregates/mixed/guests", "Authorization", "Bearer " + VIEWER_TOKEN)
                .json()
                .get("summary");

        PrometheusScrape scrape = scrape();

        assertThat(scrape.value("fleetcpu_aggregate_guests_cannot_migrate", "aggregate", "mixed"))
                .isEqualTo(summary.get("cannotMigrate").asDouble())
                .isEqualTo(1.0);
        assertThat(scrape.value("fleetcpu_aggregate_guests_not_on_recommendation", "aggregate", "mixed"))
                .isEqualTo(summary.get("notOnRecommendation").asDouble());
        assertThat(scrape.value(
                        "fleetcpu_aggregate_guests",
                        "aggregate",
                        "mixed",
                        "cpu",
                        "custom EPYC",
                        "machine_type",
                        "pc-q35-7.2"))
                .isEqualTo(1.0);
        assertThat(scrape.value(
                        "fleetcpu_aggregate_guests", "aggregate", "mixed", "cpu", "default", "machine_type", "unknown"))
                .as("the shut-off guest without <cpu> or machine type")
                .isEqualTo(1.0);
        assertThat(get("/actuator/prometheus").body()).as("no guest is named").doesNotContain("tenant-");

        // the EPYC host's guests go away: its next report has none, and the next scrape says so
        assertThat(post("/hosts", withGuests(emulatedEpycAgentRegistration("mixed"), List.of(), 0))
                        .status())
                .isEqualTo(200);
        PrometheusScrape after = scrape();
        assertThat(after.value("fleetcpu_aggregate_guests_cannot_migrate", "aggregate", "mixed"))
                .isZero();
        assertThat(after.of("fleetcpu_aggregate_guests")).hasSize(1);
    }
}
