package io.fleetcpu.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** The catalog of libvirt's named CPU models, as operators browse it. */
class CatalogApiTest extends ApiAssertions {

    /** The x86 models the bundled cpu_map's index.xml includes, in its order. */
    private static List<String> x86ModelsOfTheBundledMap() throws IOException {
        String index;
        try (InputStream in = CatalogApiTest.class.getResourceAsStream("/catalog/cpu_map/index.xml")) {
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> files = new ArrayList<>();
        Matcher m = Pattern.compile("filename='x86_([^']+)\\.xml'").matcher(index);
        while (m.find()) {
            if (!m.group(1).equals("features") && !m.group(1).equals("vendors")) {
                files.add(m.group(1));
            }
        }
        return files;
    }

    private static List<String> names(JsonNode models) {
        List<String> names = new ArrayList<>();
        for (JsonNode model : models) {
            names.add(model.path("name").asString());
        }
        return names;
    }

    @Test
    void listsEveryX86Model() throws IOException {
        Answer answer = get("/cpu-models");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode models = answer.json();
        List<String> expected = x86ModelsOfTheBundledMap();
        assertThat(expected).hasSizeGreaterThan(50);
        assertThat(names(models)).hasSameSizeAs(expected)
                .contains("qemu64", "Haswell-noTSX", "Skylake-Client", "EPYC-Rome", "Dhyana", "Cooperlake")
                .doesNotHaveDuplicates();
        for (JsonNode model : models) {
            assertThat(model.path("name").asString()).isNotBlank();
            assertThat(model.path("features").isArray()).as(model.path("name").asString()).isTrue();
            assertThat(model.path("catalog").path("source").asString()).contains("libvirt");
            if (model.has("vendor")) {
                assertThat(model.path("vendor").asString()).isIn("Intel", "AMD", "Hygon");
            }
        }
        assertThat(vendorOf(models, "Haswell-noTSX")).isEqualTo("Intel");
        assertThat(vendorOf(models, "EPYC-Rome")).isEqualTo("AMD");
        assertThat(vendorOf(models, "Dhyana")).isEqualTo("Hygon");
        assertThat(models.findValues("name").stream().anyMatch(n -> n.asString().equals("POWER9"))).isFalse();
    }

    private static String vendorOf(JsonNode models, String name) {
        for (JsonNode model : models) {
            if (model.path("name").asString().equals(name)) {
                return model.path("vendor").isMissingNode() ? null : model.path("vendor").asString();
            }
        }
        throw new AssertionError("no model " + name);
    }

    @Test
    void vendorlessModelsHaveNoVendor() {
        JsonNode models = get("/cpu-models").json();
        assertThat(vendorOf(models, "qemu64")).isNull();
        assertThat(vendorOf(models, "kvm64")).isNull();
    }

    @Test
    void filterByVendorGivesOnlyThatVendorsModels() {
        // The filter matches the model's vendor, ignoring case; vendorless models (qemu64, kvm64, …) are left out.
        JsonNode amd = get("/cpu-models?vendor=AMD").json();
        assertThat(names(amd)).contains("EPYC", "EPYC-Rome", "Opteron_G3", "phenom")
                .doesNotContain("qemu64", "kvm64", "Haswell-noTSX", "Dhyana");
        for (JsonNode model : amd) {
            assertThat(model.path("vendor").asString()).isEqualTo("AMD");
        }
        assertThat(names(get("/cpu-models?vendor=amd").json())).isEqualTo(names(amd));
        JsonNode intel = get("/cpu-models?vendor=Intel").json();
        assertThat(names(intel)).contains("Haswell-noTSX", "Skylake-Client").doesNotContain("EPYC");
        assertThat(get("/cpu-models?vendor=Zilog").json().size()).isZero();
    }

    @Test
    void oneModelWithItsFeatures() {
        Answer answer = get("/cpu-models/Haswell-noTSX");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode model = answer.json();
        assertThat(model.path("name").asString()).isEqualTo("Haswell-noTSX");
        assertThat(model.path("vendor").asString()).isEqualTo("Intel");
        List<String> features = texts(model.path("features"));
        assertThat(features).contains("avx2", "fma", "bmi1", "bmi2", "movbe", "sse4.2").doesNotContain("hle", "rtm")
                .doesNotHaveDuplicates();
        assertThat(texts(get("/cpu-models/Haswell").json().path("features"))).contains("hle", "rtm", "avx2");
        JsonNode signatures = model.path("signatures");
        assertThat(signatures.isArray()).isTrue();
        assertThat(model.path("catalog").path("version").isMissingNode() && model.path("catalog").size() == 0).isFalse();
    }

    @Test
    void unknownModelIs404Problem() {
        Answer answer = get("/cpu-models/Icelake-Server-v2");
        JsonNode problem = assertProblem(answer, 404);
        assertThat(problem.path("detail").asString()).contains("Icelake-Server-v2");
        assertProblem(get("/cpu-models/NoSuchModel"), 404);
    }

    @Test
    void modelNamesAreCaseSensitive() {
        assertProblem(get("/cpu-models/haswell-notsx"), 404);
    }
}
