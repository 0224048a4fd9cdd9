package io.fleetcpu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.context.TestPropertySource;

/**
 * API tests that scrape /actuator/prometheus, and the fleet of real CPUs they register. The fleet gauges are read again
 * on every scrape here (refresh-interval 0s).
 */
@TestPropertySource(properties = "fleetcpu.metrics.refresh-interval=0s")
abstract class ScrapingApiTest extends ApiAssertions {

    static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E7-8890-v3-host.xml";
    static final String IVY_BRIDGE = "libvirt-9.9.0/x86_64-cpuid-Core-i7-3770-host.xml";
    static final String EPYC = "libvirt-9.9.0/x86_64-cpuid-EPYC-7502-32-Core-host.xml";
    static final String SKYLAKE = "libvirt-9.9.0/x86_64-cpuid-Core-i5-6600-host.xml";

    PrometheusScrape scrape() {
        Answer answer = get("/actuator/prometheus");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/plain");
        return PrometheusScrape.parse(answer.body());
    }

    String register(String hostname, List<String> aggregates, String cpu) {
        String uuid = UUID.randomUUID().toString();
        register(uuid, hostname, aggregates, cpu, 201);
        return uuid;
    }

    void register(String uuid, String hostname, List<String> aggregates, String cpu, int status) {
        Answer answer = post("/hosts", registration(uuid, hostname, aggregates, cpu));
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    }

    /**
     * Two aggregates of real CPUs (two Haswell and two Ivy Bridge hosts in east, which hold it down; an EPYC in amd),
     * a spare host in no aggregate, an aggregate without hosts, and one whose policy its host cannot meet.
     */
    void registerFleet() {
        register("hsw-1", List.of("east"), HASWELL);
        register("hsw-2", List.of("east"), HASWELL);
        register("ivy-1", List.of("east"), IVY_BRIDGE);
        register("ivy-2", List.of("east"), IVY_BRIDGE);
        register("epyc-1", List.of("amd"), EPYC);
        register("spare-1", List.of(), SKYLAKE);
        assertThat(put("/aggregates/empty", Map.of("description", "no hosts yet"))
                        .status())
                .isEqualTo(201);
        // An aggregate with a host and no answer: its policy asks a level its Ivy Bridge does not reach (409).
        register("ivy-3", List.of("strict"), IVY_BRIDGE);
        Answer strict = put("/aggregates/strict", Map.of("policy", Map.of("minimumLevel", "x86-64-v4")));
        assertThat(strict.status()).as(strict.body()).isEqualTo(200);
    }
}
