package io.fleetcpu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * packaging/grafana/fleetcpu.json queries only metrics the service serves: every metric name in every panel's PromQL
 * is found in a scrape of the running service with hosts, aggregates and a drift event.
 */
class GrafanaDashboardTest extends ScrapingApiTest {

    static final Path DASHBOARD = Path.of("packaging/grafana/fleetcpu.json");

    /** PromQL words that are not metric names when they stand alone (keywords, operators written as words). */
    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "atan2",
            "inf",
            "nan");
    /** Clauses whose parentheses hold label names, not expressions. */
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    /** Label matchers and range or subquery brackets. */
    private static final Pattern BRACES = Pattern.compile("\\{[^}]*\\}|\\[[^\\]]*\\]");
    /** An identifier that does not continue a number or a word. */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");

    /**
     * The metric names a PromQL expression reads: identifiers that are not functions or aggregations (followed by
     * "("), keywords, label names in by/without/on/ignoring lists, or inside label matchers, strings or ranges.
     */
    static Set<String> metricNames(String expr) {
        String bare = STRINGS.matcher(expr).replaceAll("\"\"");
        bare = BRACES.matcher(bare).replaceAll(" ");
        bare = LABEL_LISTS.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String rest = bare.substring(m.end()).stripLeading();
            if (!rest.startsWith("(") && !KEYWORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    @Test
    void theTokenizerFindsMetricNamesAndNothingElse() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le, uri) (rate(http_server_requests_seconds_bucket"
                        + "{job=~\"$job\", uri!=\"/actuator/prometheus\"}[5m])))"))
                .containsExactly("http_server_requests_seconds_bucket");
        assertThat(metricNames("sum(rate(a_total{result=\"hit\"}[5m])) by (answer) / sum(rate(b_total[1h] offset 5m)) "
                        + "by (answer)"))
                .containsExactly("a_total", "b_total");
        assertThat(metricNames("count(x == 0) or vector(0)")).containsExactly("x");
        assertThat(metricNames("max by (aggregate) (a) / max by (aggregate) (b > 0) * 1e3"))
                .containsExactly("a", "b");
        assertThat(metricNames("label_values(fleetcpu_cpu_kinds, job)")).containsExactly("fleetcpu_cpu_kinds", "job");
    }

    /** Every panel's expressions by panel title, rows' panels included. */
    private static Map<String, List<String>> expressions(JsonNode dashboard) {
        Map<String, List<String>> exprs = new LinkedHashMap<>();
        collect(dashboard.get("panels"), exprs);
        return exprs;
    }

    private static void collect(JsonNode panels, Map<String, List<String>> exprs) {
        for (JsonNode panel : panels) {
            if (panel.has("panels")) {
                collect(panel.get("panels"), exprs);
            }
            if (panel.path("type").asString().equals("row")) {
                continue;
            }
            List<String> list = new ArrayList<>();
            panel.path("targets").forEach(t -> list.add(t.get("expr").asString()));
            exprs.put(panel.get("title").asString(), list);
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsInAScrape() throws IOException {
        registerFleet();
        // A drift event that blocks migration: the lone host of west changes from a Haswell to an Ivy Bridge, so
        // guests of west's previous (Haswell) CPU cannot come back to it. (In east, held down by its Ivy Bridges,
        // the same change would block nothing.)
        String hsw = register("hsw-3", List.of("west"), HASWELL);
        get("/aggregates/west/recommended-cpu");
        register(hsw, "hsw-3", List.of("west"), IVY_BRIDGE, 200);
        get("/aggregates/east/recommended-cpu");
        get("/aggregates/east/baseline");
        PrometheusScrape scrape = scrape();
        assertThat(scrape.value("fleetcpu_drift_events_total", "kind", "cpu-changed", "blocks_migration", "true"))
                .isPositive();

        JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
        Map<String, List<String>> exprs = expressions(dashboard);
        assertThat(exprs).as("panels").hasSizeGreaterThan(10);
        Set<String> used = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        exprs.forEach((title, list) -> {
            assertThat(list).as("queries of panel '%s'", title).isNotEmpty();
            for (String expr : list) {
                Set<String> names = metricNames(expr);
                assertThat(names)
                        .as("metrics of '%s' in panel '%s'", expr, title)
                        .isNotEmpty();
                names.stream()
                        .filter(n -> !scrape.names().contains(n))
                        .forEach(n -> missing.add(n + " (panel '" + title + "': " + expr + ")"));
                used.addAll(names);
            }
        });
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.has("definition")) {
                Matcher m = Pattern.compile("label_values\\((\\w+),")
                        .matcher(variable.get("definition").asString());
                assertThat(m.find()).as(variable.toString()).isTrue();
                if (!scrape.names().contains(m.group(1))) {
                    missing.add(
                            m.group(1) + " (variable " + variable.get("name").asString() + ")");
                }
            }
        }
        assertThat(missing)
                .as("metrics the dashboard queries that the service does not serve")
                .isEmpty();
        // What the dashboard is for: fleet composition, below-baseline hosts, drift rate, request latency.
        assertThat(used)
                .contains(
                        "fleetcpu_hosts",
                        "fleetcpu_aggregate_hosts_below_baseline",
                        "fleetcpu_drift_events_total",
                        "http_server_requests_seconds_bucket");
        System.out.println("scrape excerpt: the fleet's metrics, and the latency of recommended-cpu");
        get("/actuator/prometheus")
                .body()
                .lines()
                .filter(l -> l.matches("(# (HELP|TYPE) )?fleetcpu_.*")
                        || l.startsWith("http_server_requests_seconds") && l.contains("recommended-cpu"))
                .forEach(System.out::println);
    }
}
