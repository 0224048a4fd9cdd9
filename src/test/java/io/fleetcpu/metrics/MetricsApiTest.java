package io.fleetcpu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiTest;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * /actuator/prometheus over real HTTP: the fleet gauges say what GET /inventory and the aggregates' recommended-cpu
 * answers say, the counters move by exactly the registrations and drift events made, a steady scrape reads no host
 * row, and random paths cannot make new series.
 */
class MetricsApiTest extends ScrapingApiTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void fleetGaugesSayWhatTheInventoryAndTheAnswersSay() {
        registerFleet();
        assertGaugesAgreeWithTheApi(scrape());

        // A host that goes, and one whose CPU changes, move the counts kept by kind.
        String moved = memberIds("amd").get(0);
        register(moved, "epyc-1", List.of("amd"), SKYLAKE, 200);
        assertThat(delete("/hosts/" + memberIds("east").get(0)).status()).isEqualTo(204);
        PrometheusScrape after = scrape();
        assertThat(after.value("fleetcpu_hosts", "model", "EPYC-Rome")).isZero();
        assertThat(after.value("fleetcpu_hosts", "model", "Skylake-Client")).isEqualTo(2);
        assertGaugesAgreeWithTheApi(after);
    }

    private void assertGaugesAgreeWithTheApi(PrometheusScrape scrape) {
        JsonNode inventory = get("/inventory").json();
        Map<String, Long> byModel = new TreeMap<>();
        Map<String, Long> byVendor = new TreeMap<>();
        long hosts = 0;
        for (PrometheusScrape.Sample s : scrape.of("fleetcpu_hosts")) {
            byModel.merge(s.labels().get("model"), (long) s.value(), Long::sum);
            byVendor.merge(s.labels().get("vendor"), (long) s.value(), Long::sum);
            hosts += (long) s.value();
            assertThat(s.labels().keySet()).as("labels of fleetcpu_hosts").containsExactlyInAnyOrder("vendor", "model");
        }
        assertThat(byModel).isEqualTo(longs(inventory.get("byModel")));
        assertThat(byVendor).isEqualTo(longs(inventory.get("byVendor")));
        assertThat(hosts).isEqualTo(inventory.get("hosts").asLong());

        Set<String> kinds = new TreeSet<>();
        for (JsonNode host : get("/hosts?size=500").json().get("items")) {
            kinds.add(host.get("kind").asString());
        }
        assertThat(scrape.value("fleetcpu_cpu_kinds")).isEqualTo(kinds.size());

        JsonNode aggregates = get("/aggregates").json();
        assertThat(scrape.value("fleetcpu_aggregates")).isEqualTo(aggregates.size());
        assertThat(scrape.value("fleetcpu_aggregates_unlisted")).isZero();
        for (JsonNode aggregate : aggregates) {
            String id = aggregate.get("id").asString();
            Answer answer = get("/aggregates/" + id + "/recommended-cpu");
            if (answer.status() != 200) {
                assertThat(answer.status()).as(answer.body()).isEqualTo(409);
                assertThat(scrape.value("fleetcpu_aggregate_answered", "aggregate", id))
                        .as(id)
                        .isZero();
                assertThat(scrape.value("fleetcpu_aggregate_hosts", "aggregate", id))
                        .as(id)
                        .isEqualTo(aggregate.get("hostCount").asInt());
                continue;
            }
            JsonNode cpu = answer.json();
            Map<String, Integer> hostsOfKind = new HashMap<>();
            cpu.get("kinds")
                    .forEach(k -> hostsOfKind.put(
                            k.get("name").asString(), k.get("hosts").asInt()));
            int below = 0;
            for (JsonNode host : cpu.get("belowBaseline")) {
                below += hostsOfKind.get(host.get("host").asString());
            }
            int ready = 0;
            for (JsonNode host : cpu.get("nested").get("readyHosts")) {
                ready += hostsOfKind.get(host.asString());
            }
            assertThat(scrape.value("fleetcpu_aggregate_answered", "aggregate", id))
                    .as(id)
                    .isEqualTo(1);
            assertThat(scrape.value("fleetcpu_aggregate_hosts", "aggregate", id))
                    .as(id)
                    .isEqualTo(cpu.get("hostCount").asInt());
            assertThat(scrape.value("fleetcpu_aggregate_hosts_below_baseline", "aggregate", id))
                    .as(id)
                    .isEqualTo(below);
            assertThat(scrape.value("fleetcpu_aggregate_features_given_up", "aggregate", id))
                    .as(id)
                    .isEqualTo(cpu.get("reasons").get("featuresLeftOut").size());
            assertThat(scrape.value("fleetcpu_aggregate_nested_provided", "aggregate", id))
                    .as(id)
                    .isEqualTo(cpu.get("nested").get("provided").asBoolean() ? 1 : 0);
            assertThat(scrape.value("fleetcpu_aggregate_nested_ready_hosts", "aggregate", id))
                    .as(id)
                    .isEqualTo(ready);
            assertThat(scrape.value("fleetcpu_aggregate_nested_hosts_to_fix", "aggregate", id))
                    .as(id)
                    .isEqualTo(cpu.get("nested").get("hostsToFixCount").asInt());
        }
    }

    @Test
    void theFixtureFleetHasWhatTheGaugesAreAbout() {
        registerFleet();
        PrometheusScrape scrape = scrape();
        // Not vacuous: the Ivy Bridge hosts hold east down, features are given up, an aggregate has no answer.
        assertThat(scrape.value("fleetcpu_aggregate_hosts_below_baseline", "aggregate", "east"))
                .isEqualTo(2);
        assertThat(scrape.value("fleetcpu_aggregate_features_given_up", "aggregate", "east"))
                .isPositive();
        assertThat(scrape.value("fleetcpu_aggregate_answered", "aggregate", "empty"))
                .isZero();
        // Refused, with its host still counted.
        assertThat(scrape.value("fleetcpu_aggregate_answered", "aggregate", "strict"))
                .isZero();
        assertThat(scrape.value("fleetcpu_aggregate_hosts", "aggregate", "strict"))
                .isEqualTo(1);
        assertThat(scrape.value("fleetcpu_hosts", "vendor", "Intel", "model", "Haswell"))
                .isEqualTo(2);
        assertThat(scrape.value("fleetcpu_cpu_kinds")).isEqualTo(4);
        assertThat(scrape.value("fleetcpu_aggregates")).isEqualTo(4);
    }

    private static Map<String, Long> longs(JsonNode object) {
        Map<String, Long> values = new TreeMap<>();
        object.properties().forEach(e -> values.put(e.getKey(), e.getValue().asLong()));
        return values;
    }

    @Test
    void countersMoveByExactlyTheRegistrationsAndDriftEventsMade() {
        PrometheusScrape before = scrape();
        String hsw = register("hsw-1", List.of("east"), HASWELL);
        register("hsw-2", List.of("east"), HASWELL);
        register("ivy-1", List.of("west"), IVY_BRIDGE);
        register(hsw, "hsw-1", List.of("east"), HASWELL, 200);
        // hsw-1's CPU changes under it to one without Haswell's features: guests of east's Haswell cannot come back.
        register(hsw, "hsw-1", List.of("east"), IVY_BRIDGE, 200);
        // Refused: counted nowhere.
        assertProblem(post("/hosts", Map.of("hostname", "broken")), 422);
        PrometheusScrape after = scrape();

        assertThat(delta(before, after, "fleetcpu_registrations_total", "outcome", "created"))
                .isEqualTo(3);
        assertThat(delta(before, after, "fleetcpu_registrations_total", "outcome", "unchanged"))
                .isEqualTo(1);
        assertThat(delta(before, after, "fleetcpu_registrations_total", "outcome", "changed"))
                .isEqualTo(1);
        assertThat(driftEvents(before, after, "cpu-changed", "true")).isEqualTo(1);
        assertThat(driftEvents(before, after, "cpu-changed", "false")).isZero();
        assertThat(driftEvents(before, after, "cpu-view-changed", "false")).isZero();
        JsonNode events = get("/events").json();
        assertThat(events.findValuesAsString("kind").stream()
                        .filter(k -> !k.equals("registered"))
                        .toList())
                .as("drift events the API lists")
                .hasSize(1);
    }

    @Test
    void answerCacheCountsTheApisRequestsNotTheScrapes() {
        registerFleet();
        PrometheusScrape before = scrape();
        scrape();
        assertThat(get("/aggregates/amd/recommended-cpu").status()).isEqualTo(200);
        register("epyc-2", List.of("amd"), EPYC);
        assertThat(get("/aggregates/amd/recommended-cpu").status()).isEqualTo(200);
        assertThat(get("/aggregates/amd/recommended-cpu").status()).isEqualTo(200);
        PrometheusScrape after = scrape();
        // The scrapes computed amd's first answer (not counted): the first GET found it; epyc-2 made a new version,
        // which the next GET computed and the last found.
        assertThat(recommendedCpuLookups(before, after, "hit")).isEqualTo(2);
        assertThat(recommendedCpuLookups(before, after, "miss")).isEqualTo(1);
        double hits = after.value("fleetcpu_answer_cache_requests_total", "answer", "recommended-cpu", "result", "hit");
        double misses =
                after.value("fleetcpu_answer_cache_requests_total", "answer", "recommended-cpu", "result", "miss");
        assertThat(after.value("fleetcpu_answer_cache_hit_ratio", "answer", "recommended-cpu"))
                .isEqualTo(hits / (hits + misses));
    }

    /** How many recommended-cpu answers were looked up in the cache with this result (hit, miss) between the scrapes. */
    private static double recommendedCpuLookups(PrometheusScrape before, PrometheusScrape after, String result) {
        return delta(
                before, after, "fleetcpu_answer_cache_requests_total", "answer", "recommended-cpu", "result", result);
    }

    /** How many drift events of this kind, blocking migration or not, were counted between the two scrapes. */
    private static double driftEvents(
            PrometheusScrape before, PrometheusScrape after, String kind, String blocksMigration) {
        return delta(before, after, "fleetcpu_drift_events_total", "kind", kind, "blocks_migration", blocksMigration);
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    /**
     * The numbers a scrape reads are kept: once the aggregates' answers are kept, a scrape reads no host row (the
     * host table's scans and index scans, as PostgreSQL counts them, do not move).
     */
    @Test
    void aSteadyScrapeReadsNoHostRow() throws Exception {
        registerFleet();
        scrape();
        long before = hostTableReads();
        scrape();
        scrape();
        assertThat(hostTableReads()).isEqualTo(before);
    }

    /**
     * Scans and index scans of the host table so far. A backend reports its counts at most once a second, and counts
     * held back for that are reported once it has been idle 10 seconds (PGSTAT_IDLE_INTERVAL): wait that long.
     */
    private long hostTableReads() throws InterruptedException {
        Thread.sleep(11_000);
        return jdbc.queryForObject("""
                select seq_scan + coalesce(idx_scan, 0) from pg_stat_user_tables where relname = 'host'
                """, Long.class);
    }

    /** Random paths, hostile query strings and made-up methods add no series: uri is a template or NOT_FOUND. */
    @Test
    void randomPathsAndQueriesMakeNoNewSeries() {
        registerFleet();
        scrape();
        storm(150);
        PrometheusScrape first = scrape();
        storm(150);
        PrometheusScrape second = scrape();
        List<PrometheusScrape.Sample> requests = second.of("http_server_requests_seconds_count");
        assertThat(requests).isNotEmpty();
        Set<String> uris = new TreeSet<>();
        requests.forEach(s -> uris.add(s.labels().get("uri")));
        assertThat(uris).allSatisfy(uri -> assertThat(uri).doesNotContain("storm"));
        assertThat(uris).as("uri values").hasSizeLessThan(30);
        System.out.println("uri values after 300 random requests: " + uris);
        assertThat(httpSeries(second))
                .as("HTTP series after 150 more random requests")
                .isEqualTo(httpSeries(first));
        Set<String> methods = new TreeSet<>();
        requests.forEach(s -> methods.add(s.labels().get("method")));
        assertThat(methods).allSatisfy(m -> assertThat(m).doesNotStartWith("STORM"));
    }

    private static Set<String> httpSeries(PrometheusScrape scrape) {
        Set<String> series = new TreeSet<>();
        scrape.samples().stream()
                .filter(s -> s.name().startsWith("http_server_requests"))
                .forEach(s -> series.add(s.name() + s.labels()));
        return series;
    }

    private void storm(int requests) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String[] methods = {"GET", "POST", "DELETE", "STORM" + random.nextInt(1000), "PATCH"};
        for (int i = 0; i < requests; i++) {
            String word = "storm" + Long.toHexString(random.nextLong());
            String path = switch (i % 5) {
                case 0 -> "/" + word;
                case 1 -> "/hosts/" + word + "/" + word;
                case 2 -> "/aggregates/" + word + "/recommended-cpu?format=" + word + "&%3Cscript%3E=" + word;
                case 3 -> "/actuator/" + word;
                default -> "/hosts?vendor=" + word + "&page=" + word + "&" + word + "=%00%FF";
            };
            send(builder(path, "Authorization", "Bearer " + ApiTest.TOKEN)
                    .method(
                            i % 7 == 0 ? methods[3] + i : methods[i % methods.length],
                            HttpRequest.BodyPublishers.noBody()));
        }
    }
}
