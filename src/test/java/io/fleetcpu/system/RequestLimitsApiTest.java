package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * One request cannot ask for unbounded work: beyond the documented limits (aggregates per registration, features
 * per CPU, hosts per what-if list) it is refused whole with 422 naming the field and the limit, and nothing is
 * written. At the limit it is served.
 */
class RequestLimitsApiTest extends ApiAssertions {

    private static final int MAX_AGGREGATES = 100;
    private static final int MAX_FEATURES = 1000;
    private static final int MAX_WHAT_IF_HOSTS = 1000;
    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";

    private static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    @Test
    void aRegistrationNamesAtMostAHundredAggregates() {
        String uuid = UUID.randomUUID().toString();
        Answer beyond = post("/hosts", registration(uuid, "compute-many", names("agg-", MAX_AGGREGATES + 1), HASWELL));
        assertProblem(beyond, 422);
        assertThat(errorFields(beyond)).containsExactly("aggregates");
        assertThat(errorFor(beyond, "aggregates"))
                .contains("101 aggregates", "at most 100", "fleetcpu.request.max-aggregates-per-host");
        assertNothingWritten();

        Answer atLimit = post("/hosts", registration(uuid, "compute-many", names("agg-", MAX_AGGREGATES), HASWELL));
        assertThat(atLimit.status()).as(atLimit.body()).isEqualTo(201);
        assertThat(get("/aggregates").json().size()).isEqualTo(MAX_AGGREGATES);
    }

    @Test
    void aCpuNamesAtMostAThousandFeatures() {
        Answer beyond = post("/hosts", cpuReport(UUID.randomUUID().toString(), MAX_FEATURES + 1));
        assertProblem(beyond, 422);
        assertThat(errorFields(beyond)).containsExactly("cpu.features");
        assertThat(errorFor(beyond, "cpu.features"))
                .contains("1001 features", "at most 1000", "fleetcpu.request.max-features-per-cpu");
        assertNothingWritten();

        Answer atLimit = post("/hosts", cpuReport(UUID.randomUUID().toString(), MAX_FEATURES));
        assertThat(atLimit.status()).as(atLimit.body()).isEqualTo(201);
    }

    @Test
    void featuresInALibvirtDocumentCountToo() {
        String uuid = UUID.randomUUID().toString();
        String extra = String.join(
                "",
                names("    <feature policy='require' name='x-", MAX_FEATURES + 1).stream()
                        .map(f -> f + "'/>\n")
                        .toList());
        Map<String, Object> report = registration(uuid, "compute-xml", List.of("xml"), HASWELL);
        report.put("capabilitiesXml", ((String) report.get("capabilitiesXml")).replace("</cpu>", extra + "</cpu>"));
        Answer beyond = post("/hosts", report);
        assertProblem(beyond, 422);
        assertThat(errorFields(beyond)).containsExactly("capabilitiesXml.features");
        assertNothingWritten();
    }

    @Test
    void aWhatIfListHoldsAtMostAThousandHosts() {
        assertThat(post("/hosts", registration(UUID.randomUUID().toString(), "hsw-1", List.of("east"), HASWELL))
                        .status())
                .isEqualTo(201);
        List<Map<String, Object>> reports = new ArrayList<>();
        for (int i = 0; i <= MAX_WHAT_IF_HOSTS; i++) {
            reports.add(cpuReport(UUID.randomUUID().toString(), 3));
        }
        Answer beyond = post(
                "/aggregates/east/what-if",
                Map.of("addReports", reports, "removeHosts", names("x", MAX_WHAT_IF_HOSTS + 1)));
        assertProblem(beyond, 422);
        assertThat(errorFields(beyond)).containsExactly("addReports", "removeHosts");
        assertThat(errorFor(beyond, "addReports"))
                .contains("1001 hosts", "at most 1000", "fleetcpu.request.max-what-if-hosts");

        Answer atLimit = post("/aggregates/east/what-if", Map.of("addReports", reports.subList(0, MAX_WHAT_IF_HOSTS)));
        assertThat(atLimit.status()).as(atLimit.body()).isEqualTo(200);
        assertThat(atLimit.json().path("after").path("hostCount").asInt()).isEqualTo(MAX_WHAT_IF_HOSTS + 1);
        assertThat(get("/hosts").json().path("totalItems").asInt())
                .as("hosts stored")
                .isEqualTo(1);
    }

    @Test
    void aMigrationCheckGuestCpuNamesAtMostAThousandFeatures() {
        String uuid = UUID.randomUUID().toString();
        assertThat(post("/hosts", registration(uuid, "hsw-1", List.of("east"), HASWELL))
                        .status())
                .isEqualTo(201);
        Answer beyond = post(
                "/migrations/check",
                Map.of("guest", Map.of("cpuXml", guestCpu(MAX_FEATURES + 1)), "target", Map.of("host", uuid)));
        assertProblem(beyond, 422);
        assertThat(errorFields(beyond)).containsExactly("guest.cpuXml.features");

        Answer atLimit = post(
                "/migrations/check",
                Map.of("guest", Map.of("cpuXml", guestCpu(MAX_FEATURES)), "target", Map.of("host", uuid)));
        // Real CPUs have far fewer features than the limit; these made-up ones pass it and fail the catalog check.
        assertProblem(atLimit, 422);
        assertThat(errorFields(atLimit)).containsExactly("guest.cpuXml");
        assertThat(errorFor(atLimit, "guest.cpuXml")).contains("not in the catalog");
    }

    private static String guestCpu(int features) {
        StringBuilder xml = new StringBuilder("<cpu mode='custom' match='exact'><model>Haswell-noTSX</model>");
        for (String name : names("x-", features)) {
            xml.append("<feature policy='disable' name='").append(name).append("'/>");
        }
        return xml.append("</cpu>").toString();
    }

    private static Map<String, Object> cpuReport(String uuid, int features) {
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("arch", "x86_64");
        cpu.put("vendor", "Intel");
        cpu.put("model", "Haswell-noTSX");
        cpu.put("features", names("x-", features));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("uuid", uuid);
        report.put("hostname", "host-" + uuid.substring(0, 8));
        report.put("cpu", cpu);
        return report;
    }
}
