package io.fleetcpu.metrics;

import io.fleetcpu.aggregates.AggregateFigures;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.guests.GuestInventoryService;
import io.fleetcpu.guests.GuestInventoryView;
import io.fleetcpu.hosts.FleetCensus;
import io.fleetcpu.hosts.GuestRecords;
import io.fleetcpu.system.NotFoundException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The fleet's gauges, read from numbers the service keeps: hosts counted by kind (cpu_kind_hosts, kept by database
 * triggers), the aggregates' kept recommended-cpu answers and their guest inventories. {@link #refreshIfDue()} reads
 * them again before a scrape, at most every {@code fleetcpu.metrics.refresh-interval}; a scrape that comes sooner
 * reads nothing. Labels are
 * bounded: vendor and model are the catalog's (anything else is "other"), aggregates at most
 * {@code fleetcpu.metrics.max-aggregates}, no host is named.
 */
@Component
class FleetMetrics {

    private static final Logger log = LoggerFactory.getLogger(FleetMetrics.class);

    /** What the last refresh read. */
    private record Fleet(int kinds, long aggregates, long unlisted) {}

    private final FleetCensus census;
    private final AggregateFigures aggregates;
    private final GuestInventoryService guests;
    private final GuestRecords guestRecords;
    /** Each listed aggregate's guest inventory, as of its answers' version and its guests' digest. */
    private Map<String, KeptInventory> inventories = new TreeMap<>();

    private record KeptInventory(String version, GuestInventoryView inventory) {}

    private final CpuCatalog catalog;
    private final MetricsProperties properties;
    private final Clock clock;

    private final MultiGauge hosts;
    private final Map<String, MultiGauge> perAggregate = new TreeMap<>();
    private final Counter refreshFailures;
    private volatile Fleet fleet = new Fleet(0, 0, 0);
    private @Nullable Instant refreshedAt;

    FleetMetrics(
            FleetCensus census,
            AggregateFigures aggregates,
            GuestInventoryService guests,
            GuestRecords guestRecords,
            CpuCatalog catalog,
            MetricsProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.census = census;
        this.aggregates = aggregates;
        this.guests = guests;
        this.guestRecords = guestRecords;
        this.catalog = catalog;
        this.properties = properties;
        this.clock = clock;
        hosts = MultiGauge.builder("fleetcpu.hosts")
                .description("Hosts by CPU vendor and model (the catalog's names; other: a model the catalog does not "
                        + "know)")
                .register(meters);
        Gauge.builder("fleetcpu.cpu.kinds", this, m -> m.fleet.kinds())
                .description("Kinds of CPU in the fleet: hosts with equal CPU facts are one kind")
                .register(meters);
        Gauge.builder("fleetcpu.aggregates", this, m -> m.fleet.aggregates())
                .description("Aggregates of hosts")
                .register(meters);
        Gauge.builder("fleetcpu.aggregates.unlisted", this, m -> m.fleet.unlisted())
                .description("Aggregates beyond fleetcpu.metrics.max-aggregates, which have no per-aggregate gauges")
                .register(meters);
        aggregateGauge(
                meters,
                "fleetcpu.aggregate.answered",
                "1 when a CPU can be recommended for the aggregate, 0 when not (no hosts, no common model, a policy "
                        + "that cannot be met)");
        aggregateGauge(meters, "fleetcpu.aggregate.hosts", "Hosts of the aggregate the recommendation covers");
        aggregateGauge(
                meters,
                "fleetcpu.aggregate.hosts.below.baseline",
                "Hosts that lack features every other host of the aggregate has (recommended-cpu belowBaseline)");
        aggregateGauge(
                meters,
                "fleetcpu.aggregate.features.given.up",
                "Features some hosts have that the aggregate's guest CPU leaves out (reasons.featuresLeftOut)");
        aggregateGauge(
                meters,
                "fleetcpu.aggregate.nested.provided",
                "1 when the aggregate's guests get vmx/svm (nested virtualisation), else 0");
        aggregateGauge(
                meters,
                "fleetcpu.aggregate.nested.ready.hosts",
                "Hosts with vmx/svm and nested enabled in their kvm module");
        aggregateGauge(
                meters,
                "fleetcpu.aggregate.nested.hosts.to.fix",
                "Hosts with vmx/svm whose kvm module does not (or may not) allow nesting");
        perAggregate.put(
                "fleetcpu.aggregate.guests",
                MultiGauge.builder("fleetcpu.aggregate.guests")
                        .description("Guests on the aggregate's hosts by CPU (mode and model; a model the catalog "
                                + "does not know is other) and machine type, as the agents reported them")
                        .register(meters));
        aggregateGauge(
                meters,
                "fleetcpu.aggregate.guests.not.on.recommendation",
                "Guests configured with another CPU than the aggregate's recommended one (the rollout still to do)");
        aggregateGauge(
                meters,
                "fleetcpu.aggregate.guests.cannot.migrate",
                "Running guests that could not live-migrate to at least one member of the aggregate");
        answerCounters(meters, "recommended-cpu", false);
        answerCounters(meters, "baseline", true);
        refreshFailures = Counter.builder("fleetcpu.metrics.refresh.failures")
                .description("Refreshes of the fleet gauges that failed (the database did not answer, the service "
                        + "was busy); the gauges keep the figures read before")
                .register(meters);
    }

    private void aggregateGauge(MeterRegistry meters, String name, String description) {
        perAggregate.put(name, MultiGauge.builder(name).description(description).register(meters));
    }

    private void answerCounters(MeterRegistry meters, String answer, boolean baseline) {
        String description = "Requests for aggregates' answers, answered from the answers kept (hit) or computed "
                + "(miss); the metrics' own reads are not counted";
        FunctionCounter.builder(
                        "fleetcpu.answer.cache.requests",
                        aggregates,
                        a -> a.answerCounts(baseline).hits())
                .tags("answer", answer, "result", "hit")
                .description(description)
                .register(meters);
        FunctionCounter.builder(
                        "fleetcpu.answer.cache.requests",
                        aggregates,
                        a -> a.answerCounts(baseline).misses())
                .tags("answer", answer, "result", "miss")
                .description(description)
                .register(meters);
        Gauge.builder("fleetcpu.answer.cache.hit.ratio", aggregates, a -> {
                    AggregateFigures.AnswerCounts counts = a.answerCounts(baseline);
                    long all = counts.hits() + counts.misses();
                    return all == 0 ? Double.NaN : (double) counts.hits() / all;
                })
                .tag("answer", answer)
                .description("Share of requests for aggregates' answers answered from the answers "
                        + "kept, since the start")
                .register(meters);
    }

    /** Reads the fleet's figures again, unless the last read is more recent than the refresh interval. */
    synchronized void refreshIfDue() {
        Instant now = clock.instant();
        if (refreshedAt != null && now.isBefore(refreshedAt.plus(properties.refreshInterval()))) {
            return;
        }
        refreshedAt = now;
        try {
            refresh();
        } catch (RuntimeException e) {
            refreshFailures.increment();
            log.warn("fleet metrics not refreshed, the last figures stay: {}", e.toString());
        }
    }

    private void refresh() {
        List<FleetCensus.KindCount> kinds = census.hostsByKind();
        AggregateFigures.Fleet figures = aggregates.figures(properties.maxAggregates());
        Map<Tags, Long> byModel = new java.util.LinkedHashMap<>();
        for (FleetCensus.KindCount kind : kinds) {
            Tags tags = Tags.of("vendor", vendorLabel(kind.vendor()), "model", modelLabel(kind));
            byModel.merge(tags, kind.hosts(), Long::sum);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        byModel.forEach((tags, count) -> rows.add(MultiGauge.Row.of(tags, count)));
        hosts.register(rows, true);
        set("fleetcpu.aggregate.answered", figures, f -> f.answered() ? 1 : 0);
        set("fleetcpu.aggregate.hosts", figures, AggregateFigures.Figures::hosts);
        set("fleetcpu.aggregate.hosts.below.baseline", figures, AggregateFigures.Figures::hostsBelowBaseline);
        set("fleetcpu.aggregate.features.given.up", figures, AggregateFigures.Figures::featuresGivenUp);
        set("fleetcpu.aggregate.nested.provided", figures, f -> f.nestedProvided() ? 1 : 0);
        set("fleetcpu.aggregate.nested.ready.hosts", figures, AggregateFigures.Figures::nestedReadyHosts);
        set("fleetcpu.aggregate.nested.hosts.to.fix", figures, AggregateFigures.Figures::nestedHostsToFix);
        refreshGuests(figures);
        fleet = new Fleet(
                kinds.size(),
                figures.total(),
                figures.total() - figures.aggregates().size());
    }

    private void set(String gauge, AggregateFigures.Fleet figures, ToIntFunction<AggregateFigures.Figures> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (AggregateFigures.Figures aggregate : figures.aggregates()) {
            rows.add(MultiGauge.Row.of(Tags.of("aggregate", aggregate.aggregate()), value.applyAsInt(aggregate)));
        }
        gauge(gauge).register(rows, true);
    }

    /**
     * The guest gauges of each aggregate with gauges, from its inventory, read again only for an aggregate whose
     * answers' version or guests changed; an aggregate deleted meanwhile has none.
     */
    private void refreshGuests(AggregateFigures.Fleet figures) {
        List<MultiGauge.Row<?>> configurations = new ArrayList<>();
        List<MultiGauge.Row<?>> notOnRecommendation = new ArrayList<>();
        List<MultiGauge.Row<?>> cannotMigrate = new ArrayList<>();
        Map<String, String> guestVersions = guestRecords.guestVersions(figures.aggregates().stream()
                .map(AggregateFigures.Figures::aggregate)
                .toList());
        Map<String, KeptInventory> read = new TreeMap<>();
        for (AggregateFigures.Figures aggregate : figures.aggregates()) {
            String version = aggregate.version() + "/" + guestVersions.getOrDefault(aggregate.aggregate(), "");
            KeptInventory last = inventories.get(aggregate.aggregate());
            GuestInventoryView inventory;
            if (last != null && last.version().equals(version)) {
                inventory = last.inventory();
            } else {
                try {
                    inventory = guests.inventory(aggregate.aggregate(), aggregate.cpu());
                } catch (NotFoundException e) {
                    continue;
                }
            }
            read.put(aggregate.aggregate(), new KeptInventory(version, inventory));
            Map<Tags, Integer> byCpu = new java.util.LinkedHashMap<>();
            for (GuestInventoryView.Configuration c : inventory.configurations()) {
                Tags tags = Tags.of(
                        "aggregate",
                        aggregate.aggregate(),
                        "cpu",
                        cpuLabel(c),
                        "machine_type",
                        c.machineType() == null ? "unknown" : c.machineType());
                byCpu.merge(tags, c.guests(), Integer::sum);
            }
            byCpu.forEach((tags, count) -> configurations.add(MultiGauge.Row.of(tags, count)));
            Tags tags = Tags.of("aggregate", aggregate.aggregate());
            notOnRecommendation.add(MultiGauge.Row.of(tags, inventory.summary().notOnRecommendation()));
            cannotMigrate.add(MultiGauge.Row.of(tags, inventory.summary().cannotMigrate()));
        }
        inventories = read;
        gauge("fleetcpu.aggregate.guests").register(configurations, true);
        gauge("fleetcpu.aggregate.guests.not.on.recommendation").register(notOnRecommendation, true);
        gauge("fleetcpu.aggregate.guests.cannot.migrate").register(cannotMigrate, true);
    }

    /** Mode and model; the catalog's models are the only model values. */
    private String cpuLabel(GuestInventoryView.Configuration c) {
        if (c.mode() == null) {
            return "default";
        }
        if (c.model() == null) {
            return c.mode();
        }
        return c.mode() + " " + (catalog.model(c.model()).isPresent() ? c.model() : "other");
    }

    private MultiGauge gauge(String name) {
        return Objects.requireNonNull(perAggregate.get(name), name); // registered in the constructor
    }

    /** The catalog's vendors are the only values: a CPU of an architecture the catalog does not cover is "other". */
    private String vendorLabel(@Nullable String vendor) {
        return vendor == null ? "unknown" : catalog.vendors().contains(vendor) ? vendor : "other";
    }

    /** The catalog's models are the only values: any model the catalog does not know is "other". */
    private static String modelLabel(FleetCensus.KindCount kind) {
        return kind.model() == null ? "unknown" : kind.modelKnown() ? kind.model() : "other";
    }
}
