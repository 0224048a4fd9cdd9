package io.fleetcpu.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.aggregates.OutputFormat;
import io.fleetcpu.testing.BrowserTest;
import io.fleetcpu.testing.GuestReports;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;

/**
 * An aggregate's page in a real browser: the recommended CPU it shows is the API's, in every format; the feature
 * matrix marks the recommended CPU's features; the what-if form answers as the what-if API does and writes nothing;
 * the copy buttons and the form work from the keyboard.
 */
class AggregateDashboardBrowserTest extends BrowserTest {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    private static final String HSW_1 = "00000000-0000-4000-8000-000000000001";
    private static final String HSW_2 = "00000000-0000-4000-8000-000000000002";
    private static final String IVY = "00000000-0000-4000-8000-000000000003";
    private static final String SPARE_HSW = "00000000-0000-4000-8000-000000000004";

    @BeforeEach
    void twoHaswellsAndAnIvyBridge() {
        for (Map<String, Object> host : List.of(
                registration(HSW_1, "hsw-1", List.of("east"), HASWELL),
                registration(HSW_2, "hsw-2", List.of("east"), HASWELL),
                registration(IVY, "ivy-1", List.of("east"), IVY_BRIDGE),
                registration(SPARE_HSW, "hsw-spare", List.of("spare"), HASWELL))) {
            Answer answer = post("/hosts", host);
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        }
    }

    @Test
    void theGuestsSectionCountsWhatTheInventoryCountsAndNamesNoGuest() {
        Map<String, Object> withGuests = GuestReports.withGuests(
                registration(HSW_1, "hsw-1", List.of("east"), HASWELL), GuestReports.epycGuests(), 2);
        assertThat(post("/hosts", withGuests).status()).isEqualTo(200);
        JsonNode inventory = get("/aggregates/east/guests", "Authorization", "Bearer " + VIEWER_TOKEN)
                .json();

        open("/dashboard/aggregates/east");

        JsonNode summary = inventory.get("summary");
        assertThat(find("#guests-summary").getText())
                .startsWith(summary.get("guests").asInt() + " guests ("
                        + summary.get("running").asInt() + " running) reported by 1 of 3 hosts.")
                .contains("On the recommended CPU: 0 of 2.")
                .endsWith("Running guests that cannot migrate to some member: "
                        + summary.get("cannotMigrate").asInt() + ".");
        List<WebElement> rows = find("#guests-table").findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(inventory.get("configurations").size());
        JsonNode first = inventory.get("configurations").get(0);
        assertThat(rows.get(0).findElement(By.cssSelector("th")).getText())
                .isEqualTo(first.get("cpu").asString());
        assertThat(find("#guests").getText()).doesNotContain("tenant-");
    }

    @Test
    void thePageShowsTheApisRecommendationInEveryFormat() {
        open("/dashboard/aggregates/east");
        JsonNode cpu = get("/aggregates/east/recommended-cpu").json();
        assertThat(find("#aggregate-id").getText()).isEqualTo("east");
        assertThat(find("#cpu-mode").getText()).isEqualTo(cpu.get("mode").asString());
        assertThat(find("#cpu-model").getText())
                .isEqualTo(cpu.get("model").asString())
                .isEqualTo("IvyBridge");
        assertThat(find("#cpu-level").getText()).isEqualTo(cpu.get("level").asString());
        List<String> features = new ArrayList<>();
        cpu.get("features")
                .forEach(f -> features.add(
                        f.get("name").asString() + " " + f.get("policy").asString()));
        assertThat(findAll("#cpu-features tbody tr").stream()
                        .map(WebElement::getText)
                        .toList())
                .containsExactlyElementsOf(features);

        // Each rendering is the API's text, character for character, with a copy button.
        List<WebElement> renderings = findAll(".rendering");
        assertThat(renderings.stream()
                        .map(r -> r.getDomAttribute("data-format"))
                        .toList())
                .as("every format the API writes, in its order")
                .containsExactlyElementsOf(Arrays.stream(OutputFormat.values())
                        .map(OutputFormat::wireName)
                        .toList());
        for (WebElement rendering : renderings) {
            String format = rendering.getDomAttribute("data-format");
            Answer api = get("/aggregates/east/recommended-cpu?format=" + format);
            assertThat(api.status()).as(format).isEqualTo(200);
            assertThat(text(rendering.findElement(By.cssSelector("pre"))))
                    .as(format)
                    .isEqualTo(api.body());
            WebElement copy = rendering.findElement(By.cssSelector("button.copy"));
            assertThat(copy.isDisplayed()).as("copy button of %s", format).isTrue();
        }

        // What holds it down: the Ivy Bridge, and what it costs.
        JsonNode limiting = cpu.get("reasons").get("limitingHosts");
        List<WebElement> rows = findAll("#limiting-table tbody tr");
        assertThat(rows).hasSize(limiting.size()).hasSize(1);
        assertThat(rows.get(0).findElement(By.cssSelector("th")).getText()).isEqualTo("ivy-1");
        assertThat(rows.get(0).findElement(By.cssSelector("td")).getText())
                .isEqualTo(String.join(", ", texts(limiting.get(0).get("featuresOthersShare"))));
        assertThat(find("#policy-goal").getText()).isEqualTo("migration");
        screenshot("aggregate-page", null);
    }

    @Test
    void theFeatureMatrixHasOneRowPerKindAndMarksExactlyTheRecommendedCpusFeatures() {
        open("/dashboard/aggregates/east");
        JsonNode cpu = get("/aggregates/east/recommended-cpu").json();

        // The recommended CPU's features, from the API alone: the model's, plus those required, minus those disabled.
        Set<String> expected = new HashSet<>(
                texts(get("/cpu-models/" + cpu.get("model").asString()).json().get("features")));
        cpu.get("features").forEach(f -> {
            if (f.get("policy").asString().equals("disable")) {
                expected.remove(f.get("name").asString());
            } else {
                expected.add(f.get("name").asString());
            }
        });
        WebElement matrix = find("#feature-matrix");
        List<WebElement> columns = matrix.findElements(By.cssSelector("thead th[data-feature]"));
        Set<String> marked = new HashSet<>();
        for (WebElement column : columns) {
            if ("true".equals(column.getDomAttribute("data-guest"))) {
                marked.add(column.getDomAttribute("data-feature"));
                assertThat(column.getText()).contains("★");
            } else {
                assertThat(column.getText()).doesNotContain("★");
            }
        }
        assertThat(marked).isEqualTo(expected);
        assertThat(find("#guest-feature-count").getText()).isEqualTo(String.valueOf(expected.size()));

        // One row per kind of CPU, as the API names them; every kind has every feature of the recommended CPU.
        List<WebElement> rows = matrix.findElements(By.cssSelector("tbody tr"));
        List<String> kinds = cpu.get("kinds").findValuesAsString("kind");
        assertThat(rows.stream().map(r -> r.getDomAttribute("data-kind")).toList())
                .containsExactlyElementsOf(kinds);
        Map<String, Map<String, String>> cells = new LinkedHashMap<>();
        for (WebElement row : rows) {
            Map<String, String> byFeature = new LinkedHashMap<>();
            for (WebElement cell : row.findElements(By.cssSelector("td"))) {
                // Colour is not the only signal: each cell says ✓ or ✗.
                String said = text(cell).strip();
                String mark = said.substring(0, 1);
                assertThat(said).isIn("✓ present", "✗ absent");
                assertThat(cell.getDomAttribute("class")).contains(mark.equals("✓") ? "present" : "absent");
                byFeature.put(cell.getDomAttribute("data-feature"), mark);
            }
            assertThat(byFeature).hasSize(columns.size());
            cells.put(row.getDomAttribute("data-kind"), byFeature);
        }
        for (String feature : expected) {
            assertThat(cells.values())
                    .as(feature)
                    .allSatisfy(r -> assertThat(r.get(feature)).isEqualTo("✓"));
        }
        // What the Ivy Bridge lacks and the Haswells have: the features its limiting entry names.
        String ivyKind = get("/hosts/" + IVY).json().get("kind").asString();
        for (String lacking :
                texts(cpu.get("reasons").get("limitingHosts").get(0).get("featuresOthersShare"))) {
            assertThat(cells.get(ivyKind).get(lacking)).as(lacking).isEqualTo("✗");
        }
        new Actions(browser()).scrollToElement(matrix).perform();
        screenshot("feature-matrix", find("#matrix"));
    }

    private Map<String, Object> apiState() {
        Map<String, Object> state = new LinkedHashMap<>();
        Answer east = get("/aggregates/east");
        state.put("east", east.body());
        state.put("east etag", east.header("ETag"));
        state.put("hosts", get("/hosts?size=500").body());
        state.put("events", get("/events").body());
        state.put("aggregates", get("/aggregates").body());
        state.put("inventory", get("/inventory").body());
        return state;
    }

    @Test
    void theWhatIfFormAnswersAsTheWhatIfApiAndWritesNothing() {
        Map<String, Object> before = apiState();
        open("/dashboard/aggregates/east");
        find("#what-if-remove").sendKeys(IVY);
        find("#what-if-add").sendKeys(SPARE_HSW);
        clickAndLoad(find("#what-if-submit"));
        assertNoConsoleErrors("the what-if answer");
        assertThat(browser().getCurrentUrl()).contains("remove=" + IVY).endsWith("#what-if");

        JsonNode api = post(
                        "/aggregates/east/what-if",
                        Map.of("removeHosts", List.of(IVY), "addHosts", List.of(SPARE_HSW)),
                        "Authorization",
                        "Bearer " + VIEWER_TOKEN)
                .json();
        assertThat(find("#what-if-result .before-hosts").getText())
                .isEqualTo(api.get("before").get("hostCount").asString())
                .isEqualTo("3");
        assertThat(find("#what-if-result .after-hosts").getText())
                .isEqualTo(api.get("after").get("hostCount").asString())
                .isEqualTo("3");
        assertThat(find("#what-if-result .before-cpu").getText())
                .isEqualTo(api.get("before").get("cpu").asString());
        assertThat(find("#what-if-result .after-cpu").getText())
                .isEqualTo(api.get("after").get("cpu").asString());
        assertThat(find("#what-if-result .before-model").getText())
                .isEqualTo(api.get("before").get("model").asString())
                .isEqualTo("IvyBridge");
        assertThat(find("#what-if-result .after-model").getText())
                .isEqualTo(api.get("after").get("model").asString())
                .startsWith("Haswell");
        assertThat(find("#what-if-gained").getText()).isEqualTo(String.join(", ", texts(api.get("featuresGained"))));
        assertThat(find("#what-if-lost").getText())
                .isEqualTo(
                        api.get("featuresLost").isEmpty() ? "none" : String.join(", ", texts(api.get("featuresLost"))));
        screenshot("what-if-result", find("#what-if"));

        assertThat(apiState()).as("nothing written").isEqualTo(before);
    }

    @Test
    void aWhatIfNamingAHostThatIsNotAMemberSaysSoAndWritesNothing() {
        Map<String, Object> before = apiState();
        open("/dashboard/aggregates/east");
        find("#what-if-remove").sendKeys(SPARE_HSW + "\nnot-a-host");
        clickAndLoad(find("#what-if-submit"));
        // Chromium reports the answer's status, 422 as the API's, as an error of the page; nothing else may be one.
        assertNoConsoleErrorsBut("a refused what-if", "the server responded with a status of 422");
        List<String> problems = findAll("#what-if-problems li").stream()
                .map(WebElement::getText)
                .toList();
        assertThat(problems)
                .containsExactly(
                        "removeHosts[0]: '" + SPARE_HSW + "' is not a host of aggregate 'east'",
                        "removeHosts[1]: 'not-a-host' is not a host of aggregate 'east'");
        assertThat(findAll("#what-if-result")).isEmpty();
        assertThat(find("#what-if-remove").getDomProperty("value")).isEqualTo(SPARE_HSW + "\nnot-a-host");
        // A refused change is the API's 422, with the page and the problems.
        Answer page = get("/dashboard/aggregates/east?remove=not-a-host");
        assertThat(page.status()).isEqualTo(422);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body())
                .contains("removeHosts[0]: &#39;not-a-host&#39; is not a host of aggregate &#39;east&#39;");
        assertThat(apiState()).as("nothing written").isEqualTo(before);
    }

    @Test
    void theCopyButtonsAndTheFormAreReachableAndUsableFromTheKeyboard() {
        open("/dashboard/aggregates/east");
        Set<String> wanted = new HashSet<>();
        findAll("button.copy").forEach(b -> wanted.add("copy " + b.getDomAttribute("data-copy")));
        wanted.addAll(List.of("what-if-add", "what-if-remove", "what-if-submit"));
        assertThat(wanted).hasSize(9 + 3);

        Set<String> reached = new HashSet<>();
        Actions keyboard = new Actions(browser());
        for (int i = 0; i < 200 && !reached.containsAll(wanted); i++) {
            keyboard.sendKeys(Keys.TAB).perform();
            WebElement focused = browser().switchTo().activeElement();
            String copy = focused.getDomAttribute("data-copy");
            reached.add(copy != null ? "copy " + copy : String.valueOf(focused.getDomAttribute("id")));
        }
        assertThat(reached).containsAll(wanted);

        // A copy button pressed with the keyboard copies (or selects the text to copy) and says so.
        WebElement copy = find("button.copy[data-copy='format-libvirt']");
        copy.sendKeys(Keys.ENTER);
        assertThat(textOnceItHas("#copy-status", "libvirt")).contains("libvirt");

        // The form submits from the keyboard.
        WebElement remove = find("#what-if-remove");
        remove.sendKeys(IVY);
        loadAfter(() -> find("#what-if-submit").sendKeys(Keys.ENTER));
        assertThat(find("#what-if-result .after-hosts").getText()).isEqualTo("2");
        assertNoConsoleErrors("keyboard use");
    }

    @Test
    void anAggregateWithoutACpuSaysWhyAndStillShowsItsPolicyAndForm() {
        assertThat(post("/aggregates", Map.of("id", "empty")).status()).isEqualTo(201);
        open("/dashboard/aggregates/empty");
        assertThat(find("#no-recommendation").getText()).contains("has no hosts");
        assertThat(find("#policy-goal").getText()).isEqualTo("migration");
        assertThat(findAll("#what-if-form")).hasSize(1);
        assertThat(findAll("#feature-matrix")).isEmpty();
    }
}
