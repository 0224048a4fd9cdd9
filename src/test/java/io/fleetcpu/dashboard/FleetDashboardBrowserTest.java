package io.fleetcpu.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.BrowserTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/** The fleet page at / in a real browser: what it lists is what the API answers. */
class FleetDashboardBrowserTest extends BrowserTest {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final String SKYLAKE = "libvirt-5.6.0/x86_64-cpuid-Xeon-Platinum-8268-host.xml";
    private static final String HASWELL_TSX = "libvirt-9.9.0/x86_64-cpuid-Xeon-E7-8890-v3-host.xml";

    private void register(String uuid, String hostname, String aggregate, String cpu) {
        Answer answer = post("/hosts", registration(uuid, hostname, List.of(aggregate), cpu));
        assertThat(answer.status()).as(answer.body()).isIn(200, 201);
    }

    private void aFleet() {
        register("00000000-0000-4000-8000-000000000001", "hsw-1", "east", HASWELL);
        register("00000000-0000-4000-8000-000000000002", "hsw-2", "east", HASWELL);
        register("00000000-0000-4000-8000-000000000003", "ivy-1", "east", IVY_BRIDGE);
        register("00000000-0000-4000-8000-000000000004", "sky-1", "west", SKYLAKE);
        register("00000000-0000-4000-8000-000000000005", "sky-2", "west", SKYLAKE);
        assertThat(post("/aggregates", Map.of("id", "spare", "description", "no hosts yet"))
                        .status())
                .isEqualTo(201);
    }

    /** Rows of a table: the row header's text, then the cells'. */
    private Map<String, List<String>> rows(String table) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (WebElement row : findAll(table + " tbody tr")) {
            String key = row.findElement(By.cssSelector("th")).getText();
            rows.put(
                    key,
                    row.findElements(By.cssSelector("td")).stream()
                            .map(WebElement::getText)
                            .toList());
        }
        return rows;
    }

    @Test
    void theFleetPageListsTheRegisteredHostsAndAggregatesAsTheApiAnswers() {
        aFleet();
        open("/");
        assertThat(browser().getTitle()).isEqualTo("fleetcpu: fleet");

        JsonNode inventory = get("/inventory").json();
        assertThat(find("#host-count").getText())
                .isEqualTo("5")
                .isEqualTo(inventory.get("hosts").asString());
        Map<String, List<String>> vendors = rows("#by-vendor");
        assertThat(vendors).containsOnlyKeys("Intel");
        assertThat(vendors.get("Intel")).containsExactly("5");
        Map<String, List<String>> models = rows("#by-model");
        assertThat(models.keySet())
                .containsExactlyInAnyOrderElementsOf(inventory.get("byModel").propertyNames());
        inventory
                .get("byModel")
                .properties()
                .forEach(e -> assertThat(models.get(e.getKey()))
                        .containsExactly(e.getValue().asString()));
        Map<String, List<String>> levels = rows("#by-level");
        inventory
                .get("byLevel")
                .properties()
                .forEach(e -> assertThat(levels.get(e.getKey()))
                        .containsExactly(e.getValue().asString()));

        // Every aggregate, with the model, mode and features given up its recommendation answers.
        List<String> shown = findAll("#aggregate-table tbody tr").stream()
                .map(r -> r.getDomAttribute("data-aggregate"))
                .toList();
        assertThat(shown).containsExactly("east", "spare", "west");
        for (String aggregate : List.of("east", "west")) {
            JsonNode cpu = get("/aggregates/" + aggregate + "/recommended-cpu").json();
            WebElement row = find("#aggregate-table tr[data-aggregate='" + aggregate + "']");
            List<String> cells = row.findElements(By.cssSelector("td")).stream()
                    .map(WebElement::getText)
                    .toList();
            assertThat(cells.get(0)).isEqualTo(cpu.get("hostCount").asString());
            assertThat(cells.get(1)).isEqualTo(cpu.get("policy").get("goal").asString());
            assertThat(cells.get(2)).isEqualTo(cpu.get("mode").asString());
            assertThat(cells.get(3)).isEqualTo(cpu.get("model").asString());
            assertThat(cells.get(4)).isEqualTo(cpu.get("level").asString());
            List<String> leftOut = cpu.get("reasons").get("featuresLeftOut").findValuesAsString("feature");
            assertThat(cells.get(5)).isEqualTo(leftOut.isEmpty() ? "none" : String.join(", ", leftOut));
            assertThat(cells.get(6)).isEqualTo(aggregate.equals("east") ? "1" : "0");
            assertThat(cells.get(7))
                    .startsWith(cpu.get("nested").get("requested").asString());
            if (cpu.get("nested").get("requested").asString().equals("off")) {
                // nothing needs fixing while nested virtualisation is off
                assertThat(cells.get(7)).doesNotContain("to fix");
            }
            assertThat(row.findElement(By.cssSelector("th a")).getDomAttribute("href"))
                    .isEqualTo("/dashboard/aggregates/" + aggregate);
        }
        // The aggregate without hosts says why it has no CPU, as the API's 409 does.
        assertThat(find("#aggregate-table tr[data-aggregate='spare'] td.problem")
                        .getText())
                .contains("no hosts");

        // The grouping chart: one bar per migration domain, as long as the domain has hosts.
        JsonNode grouping = get("/groupings?strategy=min-domains").json();
        List<WebElement> bars = findAll("#grouping-chart rect.bar-fill");
        assertThat(bars).hasSize(grouping.get("domains").size());
        Map<String, String> domains = new LinkedHashMap<>();
        grouping.get("domains")
                .forEach(d ->
                        domains.put(d.get("name").asString(), d.get("hostCount").asString()));
        assertThat(rows("#grouping-table").entrySet())
                .allSatisfy(e -> assertThat(e.getValue().get(2)).isEqualTo(domains.get(e.getKey())));
        assertThat(rows("#grouping-table").keySet()).containsExactlyElementsOf(domains.keySet());
        screenshot("fleet-page", null);
    }

    @Test
    void aHostsDriftShowsAmongTheRecentChanges() {
        register("00000000-0000-4000-8000-000000000001", "hsw-1", "tsx", HASWELL_TSX);
        register("00000000-0000-4000-8000-000000000002", "hsw-2", "tsx", HASWELL_TSX);
        open("/");
        assertThat(findAll("#drift-table")).isEmpty();

        // A microcode update takes TSX away from one host.
        Map<String, Object> noTsx =
                registration("00000000-0000-4000-8000-000000000001", "hsw-1", List.of("tsx"), HASWELL_TSX);
        noTsx.put(
                "capabilitiesXml",
                noTsx.get("capabilitiesXml")
                        .toString()
                        .replace("<model>Haswell</model>", "<model>Haswell-noTSX</model>"));
        assertThat(post("/hosts", noTsx).status()).isEqualTo(200);

        open("/");
        List<WebElement> rows = findAll("#drift-table tbody tr");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).findElement(By.cssSelector("th")).getText()).isEqualTo("hsw-1");
        List<String> cells = rows.get(0).findElements(By.cssSelector("td")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(cells.get(1)).isEqualTo("cpu-changed");
        assertThat(cells.get(3)).contains("hle", "rtm");
        assertThat(cells.get(4)).isEqualTo("tsx");

        // The aggregate's page has it in its history, as the API does.
        clickAndLoad(rows.get(0).findElement(By.linkText("tsx")));
        assertNoConsoleErrors("the aggregate page");
        JsonNode history = get("/aggregates/tsx/history").json();
        assertThat(history).hasSize(1);
        JsonNode effect = history.get(0).get("aggregates").get(0);
        List<WebElement> events = findAll("#history-table tbody tr");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).findElement(By.cssSelector("th")).getText()).isEqualTo("hsw-1");
        assertThat(events.get(0).findElements(By.cssSelector("td")).stream()
                        .map(WebElement::getText)
                        .toList())
                .containsExactly(
                        history.get(0).get("occurredAt").asString(),
                        "cpu-changed",
                        effect.get("cpuBefore").asString(),
                        effect.get("cpuAfter").asString(),
                        String.join(", ", texts(effect.get("missingFeatures"))));

        // The aggregate goes; its event stays, naming it without a link to a page that is gone.
        assertThat(delete("/aggregates/tsx").status()).isEqualTo(204);
        open("/");
        WebElement affected = findAll("#drift-table tbody tr")
                .get(0)
                .findElements(By.cssSelector("td"))
                .get(4);
        assertThat(affected.getText()).isEqualTo("tsx (deleted)");
        assertThat(affected.findElements(By.cssSelector("a"))).isEmpty();
    }

    @Test
    void thousandsOfAggregatesArePaged() {
        for (int i = 0; i < 30; i++) {
            assertThat(post("/aggregates", Map.of("id", String.format("agg-%02d", i)))
                            .status())
                    .isEqualTo(201);
        }
        open("/");
        assertThat(findAll("#aggregate-table tbody tr")).hasSize(25);
        assertThat(find("#aggregate-table caption").getText()).contains("1–25 of 30");
        assertThat(findAll(".pager a[rel=prev]")).isEmpty();
        clickAndLoad(find(".pager a[rel=next]"));
        assertNoConsoleErrors("/?page=1");
        List<String> second = findAll("#aggregate-table tbody tr").stream()
                .map(r -> r.getDomAttribute("data-aggregate"))
                .toList();
        assertThat(second).containsExactly("agg-25", "agg-26", "agg-27", "agg-28", "agg-29");
        assertThat(findAll(".pager a[rel=next]")).isEmpty();
    }

    @Test
    void thePageSendsAPolicyThatRunsOnlyItsOwnScriptsAndStyles() {
        Answer page = get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy"))
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(page.body()).doesNotContain("<script>", "style=\"", "http://", "https://");
    }
}
