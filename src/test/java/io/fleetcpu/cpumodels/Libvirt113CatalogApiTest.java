package io.fleetcpu.cpumodels;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service with {@code fleetcpu.catalog.libvirt-version=11.3}: the bundled libvirt 11.3 cpu_map instead of 9.0's.
 * The real CPUs libvirt 9.0 refuses for {@code flush-l1d} (a feature its map does not have) are read in full.
 */
@TestPropertySource(properties = "fleetcpu.catalog.libvirt-version=11.3")
class Libvirt113CatalogApiTest extends ApiAssertions {

    /** Every host CPU of the libvirt 9.9.0 fixtures that lists flush-l1d (cpudata/README.md: 12 of them). */
    private static List<String> hostsWithFlushL1d() throws IOException, URISyntaxException {
        Path dir = Path.of(Libvirt113CatalogApiTest.class
                .getResource("/cpudata/libvirt-9.9.0")
                .toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-host.xml"))
                    .filter(f -> read(f).contains("<feature name='flush-l1d'/>"))
                    .map(f -> "libvirt-9.9.0/" + f.getFileName())
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertCatalogIs113(JsonNode catalog) {
        assertThat(catalog.path("libvirtVersion").asString()).isEqualTo("11.3.0");
        assertThat(catalog.path("source").asString()).contains("libvirt 11.3.0");
        assertThat(catalog.path("verifiedAgainstLibvirt").asBoolean(true)).isFalse();
        assertThat(catalog.path("verification").asString()).startsWith("not verified against libvirt 11.3");
    }

    @Test
    void hostsWithFlushL1dRegisterKnownInFullAndGetARecommendation() throws Exception {
        List<String> hosts = hostsWithFlushL1d();
        assertThat(hosts).hasSize(12);
        int n = 0;
        for (String file : hosts) {
            n++;
            String uuid = String.format("00000000-0000-4000-8000-%012d", n);
            String aggregate = "flush-" + n;
            Answer registered = post("/hosts", registration(uuid, "host-" + n, List.of(aggregate), file));
            assertThat(registered.status()).as(file + ": " + registered.body()).isEqualTo(201);
            JsonNode cpu = registered.json().path("cpu");
            assertThat(texts(cpu.path("unknownFeatures"))).as(file).isEmpty();
            assertThat(texts(cpu.path("features"))).as(file).contains("flush-l1d");

            Answer recommended = get("/aggregates/" + aggregate + "/recommended-cpu");
            assertThat(recommended.status())
                    .as(file + ": " + recommended.body())
                    .isEqualTo(200);
            assertCatalogIs113(recommended.json().path("catalog"));
        }
    }

    @Test
    void catalogListsTheNewerModels() {
        for (String model :
                List.of("SapphireRapids", "GraniteRapids", "SierraForest", "EPYC-Genoa", "SapphireRapids-v3")) {
            Answer answer = get("/cpu-models/" + model);
            assertThat(answer.status()).as(model).isEqualTo(200);
            assertCatalogIs113(answer.json().path("catalog"));
        }
        assertThat(get("/cpu-models/EPYC-Genoa").json().path("vendor").asString())
                .isEqualTo("AMD");
    }
}
