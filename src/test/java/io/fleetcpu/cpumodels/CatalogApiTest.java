package io.fleetcpu.cpumodels;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
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
        return x86ModelsOf("/catalog/cpu_map/index.xml");
    }

    private static List<String> x86ModelsOf(String indexResource) throws IOException {
        String index;
        try (InputStream in = CatalogApiTest.class.getResourceAsStream(indexResource)) {
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
        assertThat(names(models))
                .hasSameSizeAs(expected)
                .contains("qemu64", "Haswell-noTSX", "Skylake-Client", "EPYC-Rome", "Dhyana", "Cooperlake")
                .doesNotHaveDuplicates();
        for (JsonNode model : models) {
            assertThat(model.path("name").asString()).isNotBlank();
            assertThat(model.path("features").isArray())
                    .as(model.path("name").asString())
                    .isTrue();
            assertThat(model.path("catalog").path("source").asString()).contains("libvirt");
            if (model.has("vendor")) {
                assertThat(model.path("vendor").asString()).isIn("Intel", "AMD", "Hygon");
            }
        }
        assertThat(vendorOf(models, "Haswell-noTSX")).isEqualTo("Intel");
        assertThat(vendorOf(models, "EPYC-Rome")).isEqualTo("AMD");
        assertThat(vendorOf(models, "Dhyana")).isEqualTo("Hygon");
        assertThat(models.findValues("name").stream().anyMatch(n -> n.asString().equals("POWER9")))
                .isFalse();
    }

    private static String vendorOf(JsonNode models, String name) {
        for (JsonNode model : models) {
            if (model.path("name").asString().equals(name)) {
                return model.path("vendor").isMissingNode()
                        ? null
                        : model.path("vendor").asString();
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
        assertThat(names(amd))
                .contains("EPYC", "EPYC-Rome", "Opteron_G3", "phenom")
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
        assertThat(features)
                .contains("avx2", "fma", "bmi1", "bmi2", "movbe", "sse4.2")
                .doesNotContain("hle", "rtm")
                .doesNotHaveDuplicates();
        assertThat(texts(get("/cpu-models/Haswell").json().path("features"))).contains("hle", "rtm", "avx2");
        JsonNode signatures = model.path("signatures");
        assertThat(signatures.isArray()).isTrue();
        assertThat(model.path("catalog").path("version").isMissingNode()
                        && model.path("catalog").size() == 0)
                .isFalse();
    }

    @Test
    void unknownModelIs404Problem() {
        Answer answer = get("/cpu-models/Icelake-Server-v2");
        JsonNode problem = assertProblem(answer, 404);
        assertThat(problem.path("detail").asString()).contains("Icelake-Server-v2");
        assertProblem(get("/cpu-models/NoSuchModel"), 404);
    }

    /** Each bundled map by its libvirt release: the files' model lists, in index.xml order; the default is 9.0's. */
    @Test
    void eachBundledMapIsListedByItsLibvirtRelease() throws IOException {
        List<String> v9 = x86ModelsOfTheBundledMap();
        List<String> v11 = x86ModelsOf("/catalog/cpu_map-libvirt-11.3/index.xml");
        JsonNode eleven = get("/cpu-models?libvirt=11.3").json();
        assertThat(names(eleven))
                .isEqualTo(v11)
                .contains("SapphireRapids", "GraniteRapids", "EPYC-Genoa", "Cascadelake-Server-v3");
        assertThat(eleven.get(0).path("catalog").path("libvirtVersion").asString())
                .isEqualTo("11.3.0");
        assertThat(names(get("/cpu-models?libvirt=11.3.0").json())).isEqualTo(v11);
        assertThat(names(get("/cpu-models?libvirt=9.0").json())).isEqualTo(v9).doesNotContain("SapphireRapids");
        assertThat(names(get("/cpu-models").json())).isEqualTo(v9);
        assertThat(names(get("/cpu-models?libvirt=11.3&vendor=AMD").json()))
                .contains("EPYC-Genoa")
                .doesNotContain("SapphireRapids");

        Answer genoa = get("/cpu-models/EPYC-Genoa?libvirt=11.3");
        assertThat(genoa.status()).as(genoa.body()).isEqualTo(200);
        assertThat(genoa.json().path("catalog").path("name").asString()).isEqualTo("libvirt 11.3");
        // x86_Skylake-Server.xml of 11.3 lists 72 vmx-* with added='yes': not part of the model, as libvirt reads it
        assertThat(texts(get("/cpu-models/Skylake-Server?libvirt=11.3").json().path("features")))
                .noneMatch(f -> f.startsWith("vmx-"))
                .doesNotContain("mpx");
        JsonNode missing = assertProblem(get("/cpu-models/EPYC-Genoa?libvirt=9.0"), 404);
        assertThat(missing.path("detail").asString()).contains("libvirt 9.0", "EPYC-Genoa");
    }

    @Test
    void anUnknownLibvirtReleaseIs422NamingTheKnownOnes() {
        for (String path :
                List.of("/cpu-models?libvirt=10.0", "/cpu-models/Haswell?libvirt=8", "/cpu-models?libvirt=")) {
            JsonNode problem = assertProblem(get(path), 422);
            assertThat(problem.toString()).as(path).contains("libvirt").contains("9.0", "11.3");
        }
    }

    @Test
    void modelNamesAreCaseSensitive() {
        assertProblem(get("/cpu-models/haswell-notsx"), 404);
    }
}
