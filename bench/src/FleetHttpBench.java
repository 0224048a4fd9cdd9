import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The running service over real HTTP, next to what its own PostgreSQL does in the same run: registers a fleet of
 * hosts of about 60 real CPU kinds through {@code POST /hosts} in bands, measures the same rows upserted straight
 * into the same database (the ceiling), then the reads: the recommended CPU cold and warm next to a trivial endpoint,
 * the fleet's groupings, single hosts, and a small aggregate and health while what-if questions load the service.
 * Every figure is wall-clock time measured here, in the client. bench/fleet-http starts and stops the service.
 *
 * Usage: FleetHttpBench service-url token postgres-port service-pid service-log hosts connections
 *        FleetHttpBench --free-ports n     (prints n free TCP ports on one line, for bench/fleet-http)
 */
public final class FleetHttpBench {

    private static final Path CPUDATA = Path.of("src/test/resources/cpudata");
    private static final int WANTED_KINDS = 60;
    private static final List<List<String>> MICROCODE_REMOVALS = List.of(
            List.of("hle", "rtm"),
            List.of("rtm"),
            List.of("mpx"),
            List.of("avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"));
    private static final int SMALL_AGGREGATES = 50;
    private static final int MAX_BAND = 10_000;
    private static final int READ_CONNECTIONS = 64;
    private static final Duration LOAD_TIME = Duration.ofSeconds(10);
    private static final int FAILURES_SHOWN = 5;
    /** How much of an answer is kept: all of a host's, the start of a fleet's recommendation (only counted). */
    private static final int KEPT_BYTES = 1 << 20;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One HTTP exchange as the client saw it, timed to the last byte of the answer: its status (-1 when no answer
     * came), its size, and its first {@link #KEPT_BYTES} bytes.
     */
    record Exchange(int status, long nanos, long size, byte[] body, HttpHeaders headers) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        double millis() {
            return nanos / 1e6;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String describe() {
            String text = text().replaceAll("\\s+", " ");
            return "HTTP " + status + ": " + (text.length() > 300 ? text.substring(0, 300) + " …" : text);
        }
    }

    /** A load: how many requests, how long it took on the wall clock, their latencies and answers. */
    record Run(
            double seconds, long[] sortedNanos, Map<Integer, Integer> statuses, int unexpected, List<String> failures) {
        int count() {
            return sortedNanos.length;
        }

        double perSecond() {
            return count() / seconds;
        }

        double p50() {
            return percentile(0.50);
        }

        double p99() {
            return percentile(0.99);
        }

        private double percentile(double q) {
            return count() == 0 ? Double.NaN : sortedNanos[Math.max(0, (int) Math.ceil(q * count()) - 1)] / 1e6;
        }

        int answered(int status) {
            return statuses.getOrDefault(status, 0);
        }
    }

    /** A CPU the fleet is made of: a libvirt {@code <cpu>} element of a real host, maybe with features removed. */
    record Kind(String name, String cpuXml) {}

    /** The body of {@code POST /hosts}: the host's identity, aggregates and {@code virsh capabilities}. */
    record HostRegistration(String uuid, String hostname, List<String> aggregates, String capabilitiesXml) {}

    /** Hosts upserted straight into PostgreSQL, each with its membership rows, in one transaction per host. */
    record Ceiling(int hosts, int membershipRows, int connections, double seconds, List<String> hostColumns) {
        double hostsPerSecond() {
            return hosts / seconds;
        }
    }

    /** A goal of the benchmark, the figure measured, and whether the figure meets it. */
    record Goal(String what, String goal, String figure, boolean met) {}

    private final Http http;
    private final String jdbcUrl;
    private final long servicePid;
    private final Path serviceLog;
    private final int hostCount;
    private final int connections;
    private final int bandSize;
    private final List<Goal> goals = new ArrayList<>();
    private final List<UUID> probes = new ArrayList<>();
    private boolean failed;

    private FleetHttpBench(String[] args) {
        this.http = new Http(URI.create(args[0]), args[1]);
        // The embedded PostgreSQL wants its superuser's password (the service keeps it in a file, mode 600).
        this.jdbcUrl = "jdbc:postgresql://localhost:" + args[2] + "/postgres?user=postgres&password="
                + URLEncoder.encode(args[7], StandardCharsets.UTF_8);
        this.servicePid = Long.parseLong(args[3]);
        this.serviceLog = Path.of(args[4]);
        this.hostCount = Integer.parseInt(args[5]);
        this.connections = Integer.parseInt(args[6]);
        this.bandSize = Math.max(1, Math.min(MAX_BAND, hostCount / 10));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--free-ports")) {
            System.out.println(freePorts(Integer.parseInt(args[1])));
            return;
        }
        if (args.length != 8) {
            System.err.println("usage: FleetHttpBench service-url token postgres-port service-pid service-log "
                    + "hosts connections postgres-password");
            System.exit(2);
        }
        System.exit(new FleetHttpBench(args).run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        System.out.printf(
                "fleet-http: %,d hosts, %d connections for registrations, %d for reads, loads of %d s; "
                        + "service pid %d, log %s%n",
                hostCount, connections, READ_CONNECTIONS, LOAD_TIME.toSeconds(), servicePid, serviceLog);
        try {
            List<Kind> kinds = kinds();
            Ceiling before = ceiling("before registering (the probes only)", probes.get(0));
            deleteProbes();
            Fleet fleet = Fleet.draw(kinds, hostCount, new Random(42));
            List<Run> bands = register(fleet, before);
            Ceiling after = ceiling("after registering", fleet.registered().get(0));
            judgeRegistration(bands, before, after);
            recommendedCpu();
            groupings();
            singleHosts(fleet);
            underWhatIfLoad(fleet);
        } finally {
            PostgresCeiling.dropTables(jdbcUrl);
        }
        heap();
        summary();
        return !failed;
    }

    // ---- 1. CPU kinds ------------------------------------------------------------------------------------------

    /** What the service made of one probe registration. */
    enum Probe {
        NEW_KIND,
        SAME_KIND,
        REFUSED,
        NOT_IN_CATALOG,
        NOT_INTEL
    }

    /**
     * The Intel CPUs of the fixtures the service accepts and computes with, one registration each (the probes), then
     * the same with TSX, MPX or AVX-512 removed as microcode updates do, until there are enough kinds; kinds are told
     * apart by the features the service answers. Intel only: the service answers 409 for an aggregate whose hosts
     * mix vendors, and every host is in aggregate fleet.
     */
    private List<Kind> kinds() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CPUDATA)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith("-host.xml"))
                    .sorted()
                    .toList();
        }
        Map<String, Kind> byFeatures = new LinkedHashMap<>();
        Map<Probe, List<String>> outcomes = new TreeMap<>();
        for (Path file : files) {
            String name =
                    file.getFileName().toString().replace("x86_64-cpuid-", "").replace("-host.xml", "");
            Kind kind = new Kind(CPUDATA.relativize(file.getParent()) + "/" + name, Files.readString(file));
            outcomes.computeIfAbsent(probe(kind, byFeatures), p -> new ArrayList<>())
                    .add(kind.name());
        }
        List<Kind> real = List.copyOf(byFeatures.values());
        outer:
        for (List<String> removal : MICROCODE_REMOVALS) {
            for (Kind kind : real) {
                if (byFeatures.size() >= WANTED_KINDS) {
                    break outer;
                }
                probe(
                        new Kind(kind.name() + " -" + String.join(",-", removal), without(kind.cpuXml(), removal)),
                        byFeatures);
            }
        }
        List<Kind> kinds = byFeatures.values().stream().limit(WANTED_KINDS).toList();
        if (kinds.isEmpty()) {
            throw new IllegalStateException("the service took none of the CPUs in " + CPUDATA);
        }
        System.out.printf(
                "%nkinds: %d distinct Intel CPUs (%d real ones of %d *-host.xml in %s, %d with "
                        + "TSX/MPX/AVX-512 removed)%n",
                kinds.size(),
                Math.min(real.size(), kinds.size()),
                files.size(),
                CPUDATA,
                Math.max(0, kinds.size() - real.size()));
        System.out.printf(
                "  left out: %d refused by the service %s; %d of other vendors (an aggregate mixing vendors "
                        + "answers 409); %d registered, but with a model or features the service's catalog does not know "
                        + "(an aggregate holding one answers 409) %s%n",
                outcomes.getOrDefault(Probe.REFUSED, List.of()).size(),
                outcomes.getOrDefault(Probe.REFUSED, List.of()),
                outcomes.getOrDefault(Probe.NOT_INTEL, List.of()).size(),
                outcomes.getOrDefault(Probe.NOT_IN_CATALOG, List.of()).size(),
                outcomes.getOrDefault(Probe.NOT_IN_CATALOG, List.of()));
        return kinds;
    }

    /** Registers one host of this kind; a new kind when the catalog knows its CPU and no other kind has its features. */
    private Probe probe(Kind kind, Map<String, Kind> byFeatures) {
        UUID id = UUID.randomUUID();
        int n = probes.size();
        Exchange answer = http.post(
                "/hosts",
                registration(id, "probe-" + n, List.of("probe", "probe-" + n % SMALL_AGGREGATES), kind.cpuXml()));
        if (!answer.ok()) {
            return Probe.REFUSED;
        }
        probes.add(id);
        JsonNode cpu = JSON.readTree(answer.body()).path("cpu");
        if (!cpu.path("modelKnown").asBoolean() || !cpu.path("unknownFeatures").isEmpty()) {
            return Probe.NOT_IN_CATALOG;
        }
        if (!cpu.path("vendor").asString("").equals("Intel")) {
            return Probe.NOT_INTEL;
        }
        return byFeatures.putIfAbsent(cpu.path("features").toString(), kind) == null ? Probe.NEW_KIND : Probe.SAME_KIND;
    }

    /** The CPU with these features gone: no longer listed, and disabled where its model has them. */
    static String without(String cpuXml, List<String> features) {
        String xml = cpuXml;
        StringBuilder disabled = new StringBuilder();
        for (String feature : features) {
            xml = xml.replaceAll("\\s*<feature\\b[^>]*name=['\"]" + Pattern.quote(feature) + "['\"][^>]*/>", "");
            disabled.append("  <feature policy='disable' name='")
                    .append(feature)
                    .append("'/>\n");
        }
        return xml.replace("</cpu>", disabled + "</cpu>");
    }

    private void deleteProbes() {
        for (UUID id : probes) {
            expect(204, http.delete("/hosts/" + id), "DELETE /hosts/" + id);
        }
        expect(204, http.delete("/aggregates/probe"), "DELETE /aggregates/probe");
        for (int i = 0; i < Math.min(SMALL_AGGREGATES, probes.size()); i++) {
            expect(204, http.delete("/aggregates/probe-" + i), "DELETE /aggregates/probe-" + i);
        }
    }

    /**
     * Hosts drawn with a skewed popularity (1/rank over the kinds in a shuffled order, as bench/run draws them);
     * each with a fresh UUID, in aggregate {@code fleet} and in its small aggregate (n % 50).
     */
    record Fleet(List<Kind> kindOfHost, UUID[] ids, boolean[] ok) {

        static Fleet draw(List<Kind> kinds, int hosts, Random random) {
            double[] weight = new double[kinds.size()];
            double total = 0;
            for (int i = 0; i < weight.length; i++) {
                weight[i] = 1.0 / (i + 1);
                total += weight[i];
            }
            List<Kind> order = new ArrayList<>(kinds);
            Collections.shuffle(order, random);
            List<Kind> kindOfHost = new ArrayList<>(hosts);
            UUID[] ids = new UUID[hosts];
            for (int h = 0; h < hosts; h++) {
                double x = random.nextDouble() * total;
                int k = 0;
                while (k < weight.length - 1 && (x -= weight[k]) > 0) {
                    k++;
                }
                kindOfHost.add(order.get(k));
                ids[h] = UUID.randomUUID();
            }
            return new Fleet(kindOfHost, ids, new boolean[hosts]);
        }

        static List<String> aggregates(int host) {
            return List.of("fleet", "agg-" + host % SMALL_AGGREGATES);
        }

        /** The hosts the service registered; none is a failure the reads cannot go on from. */
        List<UUID> registered() {
            List<UUID> registered = new ArrayList<>();
            for (int h = 0; h < ids.length; h++) {
                if (ok[h]) {
                    registered.add(ids[h]);
                }
            }
            if (registered.isEmpty()) {
                throw new IllegalStateException("no host registered: nothing to read");
            }
            return registered;
        }
    }

    // ---- 2. registrations ---------------------------------------------------------------------------------------

    /** Registers the fleet band after band; returns each band's run. */
    private List<Run> register(Fleet fleet, Ceiling ceiling) {
        System.out.printf(
                "%nregistrations: POST /hosts of %,d hosts (each in aggregate fleet and in one of "
                        + "agg-0..agg-%d), %d connections, bands of %,d%n",
                hostCount, SMALL_AGGREGATES - 1, connections, bandSize);
        System.out.printf(
                "%-16s %10s %9s %9s %9s %12s%n", "band (hosts)", "regs/s", "p50 ms", "p99 ms", "non-2xx", "x ceiling");
        List<Run> bands = new ArrayList<>();
        int shown = 0;
        for (int first = 0; first < hostCount; first += bandSize) {
            int from = first;
            int to = Math.min(hostCount, first + bandSize);
            Run run = load(
                    connections,
                    null,
                    to - from,
                    i -> {
                        int host = from + i;
                        Exchange answer = http.post(
                                "/hosts",
                                registration(
                                        fleet.ids()[host],
                                        "compute-" + host,
                                        Fleet.aggregates(host),
                                        fleet.kindOfHost().get(host).cpuXml()));
                        fleet.ok()[host] = answer.ok();
                        return answer;
                    },
                    status -> status == 201 || status == 200);
            bands.add(run);
            System.out.printf(
                    "%,7d-%-,8d %10.0f %9.1f %9.1f %9d %12.2f%n",
                    from + 1,
                    to,
                    run.perSecond(),
                    run.p50(),
                    run.p99(),
                    run.unexpected(),
                    run.perSecond() / ceiling.hostsPerSecond());
            for (String failure : run.failures()) {
                if (shown++ < FAILURES_SHOWN) {
                    System.out.println("    " + failure);
                }
            }
        }
        return bands;
    }

    private void judgeRegistration(List<Run> bands, Ceiling before, Ceiling after) {
        int failures = bands.stream().mapToInt(Run::unexpected).sum();
        failed |= failures > 0;
        System.out.printf(
                "  = %.2f x the ceiling before: the database's own pace, to tell the service's slowdown "
                        + "from the database's%n",
                after.hostsPerSecond() / before.hostsPerSecond());
        double lowest = bands.stream().mapToDouble(Run::perSecond).min().orElse(0);
        double first = bands.get(0).perSecond();
        double last = bands.get(bands.size() - 1).perSecond();
        goals.add(new Goal("every registration answered 201/200", "0 failures", failures + " failures", failures == 0));
        goals.add(new Goal(
                "slowest band vs the PostgreSQL ceiling",
                ">= 0.50",
                String.format(
                        "%.2f (%,.0f / %,.0f per s)",
                        lowest / before.hostsPerSecond(), lowest, before.hostsPerSecond()),
                lowest >= 0.5 * before.hostsPerSecond()));
        goals.add(new Goal(
                "last band vs the first band",
                ">= 0.80",
                String.format("%.2f (%,.0f / %,.0f per s)", last / first, last, first),
                last >= 0.8 * first));
    }

    // ---- 3. the PostgreSQL ceiling ------------------------------------------------------------------------------

    private Ceiling ceiling(String when, UUID sample) throws Exception {
        Ceiling ceiling = PostgresCeiling.measure(jdbcUrl, sample, bandSize, connections);
        System.out.printf(
                "%nceiling %s: %,.0f hosts/s — %,d copies of host %s (%d columns) plus its %d membership "
                        + "rows, upserted by %d JDBC connections, one transaction per host (after as many to warm up)%n",
                when,
                ceiling.hostsPerSecond(),
                ceiling.hosts(),
                sample,
                ceiling.hostColumns().size(),
                ceiling.membershipRows(),
                ceiling.connections());
        return ceiling;
    }

    /**
     * The same rows the service writes for a registration, upserted straight into its database: a copy of one
     * registered host's row (whatever the host table's columns are now) under a fresh UUID, and its membership rows,
     * into tables made like the service's ({@code bench_host}, {@code bench_aggregate_host}, without foreign keys).
     */
    static final class PostgresCeiling {

        /** A row read through JDBC's metadata, to be written again with some columns changed. */
        record Row(List<String> columns, List<Integer> sqlTypes, List<Object> values) {

            static List<Row> read(Connection c, String sql, Object key) throws SQLException {
                try (PreparedStatement select = c.prepareStatement(sql)) {
                    select.setObject(1, key);
                    try (ResultSet rs = select.executeQuery()) {
                        ResultSetMetaData meta = rs.getMetaData();
                        List<Row> rows = new ArrayList<>();
                        while (rs.next()) {
                            List<String> columns = new ArrayList<>();
                            List<Integer> types = new ArrayList<>();
                            List<Object> values = new ArrayList<>();
                            for (int i = 1; i <= meta.getColumnCount(); i++) {
                                columns.add(meta.getColumnName(i));
                                types.add(meta.getColumnType(i));
                                Object value = rs.getObject(i);
                                values.add(
                                        value instanceof Array array
                                                ? new ArrayValue(array.getBaseTypeName(), (Object[]) array.getArray())
                                                : value);
                            }
                            rows.add(new Row(columns, types, values));
                        }
                        return rows;
                    }
                }
            }

            /** Binds this row's values, with {@code changed} columns given other values. */
            void bind(PreparedStatement statement, Map<String, Object> changed) throws SQLException {
                for (int i = 0; i < columns.size(); i++) {
                    Object value = changed.getOrDefault(columns.get(i), values.get(i));
                    if (value == null) {
                        statement.setNull(i + 1, sqlTypes.get(i));
                    } else if (value instanceof ArrayValue array) {
                        statement.setArray(
                                i + 1, statement.getConnection().createArrayOf(array.baseType(), array.elements()));
                    } else {
                        statement.setObject(i + 1, value);
                    }
                }
            }

            String insert(String table) {
                return "insert into " + table + " (" + String.join(", ", columns) + ") values ("
                        + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
            }

            String upsert(String table, String key) {
                return insert(table) + " on conflict (" + key + ") do update set "
                        + columns.stream()
                                .filter(c -> !c.equals(key))
                                .map(c -> c + " = excluded." + c)
                                .collect(Collectors.joining(", "));
            }
        }

        record ArrayValue(String baseType, Object[] elements) {}

        static Ceiling measure(String url, UUID sampleId, int hosts, int connections) throws Exception {
            Row host;
            List<Row> memberships;
            try (Connection c = connect(url);
                    Statement s = c.createStatement()) {
                s.execute("drop table if exists bench_host, bench_aggregate_host");
                s.execute("create table bench_host (like host including all)");
                s.execute("create table bench_aggregate_host (like aggregate_host including defaults)");
                host = Row.read(c, "select * from host where id = ?", sampleId).get(0);
                memberships = Row.read(c, "select * from aggregate_host where host_id = ?", sampleId);
            }
            upsertCopies(
                    url, host, memberships, hosts, connections); // warm-up: this JVM's JDBC code, the server's plans
            try (Connection c = connect(url);
                    Statement s = c.createStatement()) {
                s.execute("truncate bench_host, bench_aggregate_host");
            }
            double seconds = upsertCopies(url, host, memberships, hosts, connections);
            try (Connection c = connect(url);
                    Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("select count(*) from bench_host")) {
                if (!rows.next() || rows.getLong(1) != hosts) {
                    throw new IllegalStateException("the ceiling wrote another number of host rows than " + hosts);
                }
            }
            return new Ceiling(hosts, memberships.size(), connections, seconds, host.columns());
        }

        /** Upserts copies of the host under fresh UUIDs, with its membership rows; returns the wall time in seconds. */
        private static double upsertCopies(String url, Row host, List<Row> memberships, int hosts, int connections)
                throws Exception {
            String upsert = host.upsert("bench_host", "id");
            String insert = memberships.isEmpty() ? null : memberships.get(0).insert("bench_aggregate_host");
            AtomicInteger next = new AtomicInteger();
            CyclicBarrier connected = new CyclicBarrier(connections + 1);
            ExecutorService pool = Executors.newFixedThreadPool(connections);
            List<Future<Void>> workers = new ArrayList<>();
            for (int w = 0; w < connections; w++) {
                workers.add(pool.submit(() -> {
                    try (Connection c = connect(url);
                            PreparedStatement hostRow = c.prepareStatement(upsert);
                            PreparedStatement membershipRow = insert == null ? null : c.prepareStatement(insert)) {
                        c.setAutoCommit(false);
                        connected.await();
                        for (int i = next.getAndIncrement(); i < hosts; i = next.getAndIncrement()) {
                            UUID id = UUID.randomUUID();
                            host.bind(hostRow, Map.of("id", id, "hostname", "bench-" + i));
                            hostRow.executeUpdate();
                            for (Row membership : memberships) {
                                membership.bind(membershipRow, Map.of("host_id", id));
                                membershipRow.addBatch();
                            }
                            if (membershipRow != null) {
                                membershipRow.executeBatch();
                            }
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            connected.await();
            long start = System.nanoTime();
            try {
                for (Future<Void> worker : workers) {
                    worker.get();
                }
            } finally {
                pool.shutdownNow();
            }
            return (System.nanoTime() - start) / 1e9;
        }

        static void dropTables(String url) throws SQLException {
            try (Connection c = connect(url);
                    Statement s = c.createStatement()) {
                s.execute("drop table if exists bench_host, bench_aggregate_host");
            }
        }

        private static Connection connect(String url) throws SQLException {
            return DriverManager.getConnection(url);
        }
    }

    // ---- 4. reads ---------------------------------------------------------------------------------------------

    private void recommendedCpu() {
        String path = "/aggregates/fleet/recommended-cpu";
        System.out.printf("%nGET %s%n", path);
        Exchange cold = http.get(path);
        expect(200, cold, "GET " + path);
        System.out.printf(
                "  first request (cold): %.1f ms, HTTP %d, %,d bytes%n", cold.millis(), cold.status(), cold.size());
        goals.add(new Goal("recommended-cpu of fleet, cold", "<= 250 ms", ms(cold.millis()), cold.millis() <= 250));
        try {
            java.nio.file.Files.write(java.nio.file.Path.of("target/bench/fleet-recommended-cpu.json"), cold.body());
            System.out.println("  the answer: target/bench/fleet-recommended-cpu.json");
        } catch (java.io.IOException e) {
            System.out.println("  could not keep the answer: " + e.getMessage());
        }
        String etag = cold.header("ETag");
        Exchange conditional = etag == null ? null : http.get(path, "If-None-Match", etag);
        if (conditional != null) {
            System.out.printf(
                    "  If-None-Match: %s -> HTTP %d in %.1f ms%n", etag, conditional.status(), conditional.millis());
        } else {
            System.out.println("  no ETag in the answer: no conditional request");
        }
        boolean notModified = conditional != null && conditional.status() == 304;
        failed |= !notModified;
        goals.add(new Goal(
                "recommended-cpu with If-None-Match: <its ETag>",
                "HTTP 304",
                conditional == null ? "no ETag" : "HTTP " + conditional.status() + " in " + ms(conditional.millis()),
                notModified));

        Run warm = forLoadTime(READ_CONNECTIONS, i -> http.get(path), status -> status == 200);
        Run health = forLoadTime(READ_CONNECTIONS, i -> http.get("/actuator/health"), status -> status == 200);
        System.out.printf("  warm, %d connections, %d s:%n", READ_CONNECTIONS, LOAD_TIME.toSeconds());
        printHeader();
        report("GET " + path, warm);
        report("GET /actuator/health (reference)", health);
        double ratio = warm.perSecond() / health.perSecond();
        System.out.printf("  ratio to the reference: %.2f%n", ratio);
        goals.add(new Goal(
                "recommended-cpu warm vs /actuator/health",
                ">= 0.80",
                String.format("%.2f (%,.0f / %,.0f req/s)", ratio, warm.perSecond(), health.perSecond()),
                ratio >= 0.8));
        goals.add(new Goal("recommended-cpu warm p99", "<= 10 ms", ms(warm.p99()), warm.p99() <= 10));
    }

    private void groupings() {
        System.out.printf("%nGET /groupings (every host, max-features)%n");
        double slowest = 0;
        for (int i = 1; i <= 3; i++) {
            Exchange answer = http.get("/groupings");
            expect(200, answer, "GET /groupings");
            System.out.printf(
                    "  request %d: %.1f ms, HTTP %d, %,d bytes%n", i, answer.millis(), answer.status(), answer.size());
            slowest = Math.max(slowest, answer.millis());
        }
        goals.add(new Goal("groupings of every host, slowest of 3", "<= 1 s", ms(slowest), slowest <= 1000));
    }

    private void singleHosts(Fleet fleet) {
        List<UUID> registered = fleet.registered();
        Run run = forLoadTime(READ_CONNECTIONS, i -> http.get("/hosts/" + random(registered)), status -> status == 200);
        System.out.printf(
                "%nGET /hosts/{id} of random registered hosts, %d connections, %d s:%n",
                READ_CONNECTIONS, LOAD_TIME.toSeconds());
        printHeader();
        report("GET /hosts/{id}", run);
        goals.add(new Goal("GET /hosts/{id} p99", "<= 10 ms", ms(run.p99()), run.p99() <= 10));
    }

    /** A small aggregate's answer and health, one connection each, while what-if questions on fleet load the service. */
    private void underWhatIfLoad(Fleet fleet) throws Exception {
        List<UUID> members = fleet.registered();
        String heavyPath = "/aggregates/fleet/what-if";
        String smallPath = "/aggregates/agg-7/recommended-cpu";
        AtomicInteger retryAfter = new AtomicInteger();
        List<Run> runs = inParallel(List.of(
                () -> forLoadTime(
                        READ_CONNECTIONS,
                        i -> {
                            Exchange answer = http.post(heavyPath, "{\"removeHosts\": [\"" + random(members) + "\"]}");
                            if (answer.status() == 503 && answer.header("Retry-After") != null) {
                                retryAfter.incrementAndGet();
                            }
                            return answer;
                        },
                        status -> status == 200 || status == 503),
                () -> forLoadTime(1, i -> http.get(smallPath), status -> status == 200),
                () -> forLoadTime(1, i -> http.get("/actuator/health"), status -> status == 200)));
        Run heavy = runs.get(0);
        System.out.printf(
                "%nunder load: %d connections POST %s {\"removeHosts\": [<a member>]} for %d s, "
                        + "meanwhile one connection each:%n",
                READ_CONNECTIONS, heavyPath, LOAD_TIME.toSeconds());
        printHeader();
        report("POST " + heavyPath, heavy);
        report("GET " + smallPath, runs.get(1));
        report("GET /actuator/health", runs.get(2));
        System.out.printf(
                "  what-if answers: %,d x 200, %,d x 503 (%,d with Retry-After), %,d other %s%n",
                heavy.answered(200), heavy.answered(503), retryAfter.get(), heavy.unexpected(), others(heavy));
    }

    private static String others(Run run) {
        Map<Integer, Integer> others = new TreeMap<>(run.statuses());
        others.remove(200);
        others.remove(503);
        return others.isEmpty() ? "" : others.toString();
    }

    private static void printHeader() {
        System.out.printf(
                "  %-46s %9s %10s %9s %9s %8s%n", "request", "requests", "req/s", "p50 ms", "p99 ms", "non-200");
    }

    /** A load's row, then the first answers it did not expect; any of them fails the run. */
    private void report(String label, Run run) {
        System.out.printf(
                "  %-46s %,9d %,10.0f %9.1f %9.1f %8d%n",
                label, run.count(), run.perSecond(), run.p50(), run.p99(), run.count() - run.answered(200));
        run.failures().forEach(failure -> System.out.println("      " + failure));
        failed |= run.unexpected() > 0;
    }

    // ---- heap and log ---------------------------------------------------------------------------------------

    private void heap() throws IOException, InterruptedException {
        System.out.printf("%nservice heap after a full GC (jcmd %d GC.run):%n", servicePid);
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        info.lines().filter(line -> line.contains("heap")).forEach(line -> System.out.println("  " + line.strip()));
        Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
        String heapUsed = used.find() ? String.format("%,.0f MB", Long.parseLong(used.group(1)) / 1024.0) : "?";
        System.out.printf("  heap used: %s (-Xmx512m)%n", heapUsed);

        List<String> log = Files.readAllLines(serviceLog);
        List<String> oom =
                log.stream().filter(l -> l.contains("OutOfMemoryError")).toList();
        List<String> errors =
                log.stream().filter(l -> l.matches(".*\\sERROR\\s.*")).toList();
        System.out.printf(
                "service log %s: %,d lines, %d with OutOfMemoryError, %d ERROR lines%n",
                serviceLog, log.size(), oom.size(), errors.size());
        Stream.concat(oom.stream(), errors.stream())
                .distinct()
                .limit(FAILURES_SHOWN)
                .forEach(l -> System.out.println("  " + (l.length() > 300 ? l.substring(0, 300) + " …" : l)));
        goals.add(new Goal(
                "service log: no OutOfMemoryError, no ERROR",
                "0 lines",
                oom.size() + " OOM, " + errors.size() + " ERROR; heap used " + heapUsed,
                oom.isEmpty() && errors.isEmpty()));
    }

    /** jcmd of the JDK running this program, which is the one bench/fleet-http started the service with. */
    private String jcmd(String command) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Process process = new ProcessBuilder(java.resolveSibling("jcmd").toString(), Long.toString(servicePid), command)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("jcmd " + servicePid + " " + command + " failed: " + output);
        }
        return output;
    }

    // ---- 5. summary -----------------------------------------------------------------------------------------

    private void summary() {
        System.out.printf("%nsummary%n%-50s %-12s %-40s %s%n", "goal", "target", "figure", "");
        for (Goal goal : goals) {
            System.out.printf(
                    "%-50s %-12s %-40s %s%n", goal.what(), goal.goal(), goal.figure(), goal.met() ? "met" : "NOT MET");
        }
        System.out.printf(
                "%d of %d goals met%s%n",
                goals.stream().filter(Goal::met).count(),
                goals.size(),
                failed ? "; FAILED: some requests were not answered as expected (above)" : "");
    }

    // ---- the load and the HTTP client -----------------------------------------------------------------------

    /** Sends requests from {@code connections} threads for {@link #LOAD_TIME}. */
    private static Run forLoadTime(int connections, IntFunction<Exchange> request, IntPredicate expected) {
        return load(connections, LOAD_TIME, Integer.MAX_VALUE, request, expected);
    }

    /**
     * Sends requests from {@code connections} threads until {@code count} are sent or {@code limit} is over (when
     * given), and returns what they measured; {@code expected} tells which statuses are not failures.
     */
    private static Run load(
            int connections, Duration limit, int count, IntFunction<Exchange> request, IntPredicate expected) {
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger unexpected = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Callable<Samples>> workers = Collections.nCopies(connections, () -> {
            Samples samples = new Samples();
            for (int i; System.nanoTime() < deadline && (i = next.getAndIncrement()) < count; ) {
                Exchange answer = request.apply(i);
                samples.add(answer);
                if (!expected.test(answer.status()) && unexpected.incrementAndGet() <= FAILURES_SHOWN) {
                    failures.add(answer.describe());
                }
            }
            return samples;
        });
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        try {
            Samples all = new Samples();
            for (Future<Samples> worker : pool.invokeAll(workers)) {
                all.addAll(worker.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] nanos = Arrays.copyOf(all.nanos, all.size);
            Arrays.sort(nanos);
            return new Run(seconds, nanos, all.statuses, unexpected.get(), List.copyOf(failures));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One worker's latencies and statuses. */
    private static final class Samples {
        long[] nanos = new long[1024];
        int size;
        final Map<Integer, Integer> statuses = new HashMap<>();

        void add(Exchange answer) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            nanos[size++] = answer.nanos();
            statuses.merge(answer.status(), 1, Integer::sum);
        }

        void addAll(Samples other) {
            nanos = Arrays.copyOf(nanos, Math.max(nanos.length, size + other.size));
            System.arraycopy(other.nanos, 0, nanos, size, other.size);
            size += other.size;
            other.statuses.forEach((status, n) -> statuses.merge(status, n, Integer::sum));
        }
    }

    /** Loads that run at the same time, each on its own thread. */
    private static List<Run> inParallel(List<Callable<Run>> loads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(loads.size());
        try {
            List<Run> runs = new ArrayList<>();
            for (Future<Run> run : pool.invokeAll(loads)) {
                runs.add(run.get());
            }
            return runs;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One HttpClient (HTTP/1.1) for every request; each request is timed around {@code send}. */
    static final class Http {
        private final HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        private final URI base;
        private final String token;

        Http(URI base, String token) {
            this.base = base;
            this.token = token;
        }

        Exchange get(String path, String... headers) {
            HttpRequest.Builder request = request(path).GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            return send(request);
        }

        Exchange post(String path, String json) {
            return send(request(path)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        Exchange delete(String path) {
            return send(request(path).header("Authorization", "Bearer " + token).DELETE());
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120));
        }

        private Exchange send(HttpRequest.Builder request) {
            HttpRequest built = request.build();
            long start = System.nanoTime();
            try {
                HttpResponse<InputStream> response = client.send(built, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    byte[] kept = in.readNBytes(KEPT_BYTES);
                    long size = kept.length + in.transferTo(OutputStream.nullOutputStream());
                    return new Exchange(
                            response.statusCode(), System.nanoTime() - start, size, kept, response.headers());
                }
            } catch (IOException e) {
                byte[] message = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
                return new Exchange(
                        -1,
                        System.nanoTime() - start,
                        message.length,
                        message,
                        HttpHeaders.of(Map.of(), (a, b) -> true));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    // ---- small helpers --------------------------------------------------------------------------------------

    /** The JSON of a registration: the host's CPU inside a {@code virsh capabilities} document, as a host sends it. */
    private static String registration(UUID id, String hostname, List<String> aggregates, String cpuXml) {
        String capabilities =
                "<capabilities>\n  <host>\n    <uuid>" + id + "</uuid>\n" + cpuXml + "  </host>\n</capabilities>\n";
        return JSON.writeValueAsString(new HostRegistration(id.toString(), hostname, aggregates, capabilities));
    }

    private void expect(int status, Exchange answer, String what) {
        if (answer.status() != status) {
            failed = true;
            System.out.printf("  %s: expected HTTP %d, got %s%n", what, status, answer.describe());
        }
    }

    private static <T> T random(List<T> list) {
        return list.get(ThreadLocalRandom.current().nextInt(list.size()));
    }

    private static String ms(double millis) {
        return String.format("%.1f ms", millis);
    }

    private static String freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(s -> Integer.toString(s.getLocalPort())).collect(Collectors.joining(" "));
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
