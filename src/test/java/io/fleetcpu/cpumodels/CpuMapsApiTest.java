package io.fleetcpu.cpumodels;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuMapDigest;
import io.fleetcpu.testing.ApiAssertions;
import io.fleetcpu.testing.CpuMapFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Each host is read with its own libvirt's cpu_map: the agent names it by digest in every registration, and uploads it
 * once when the service does not hold it ({@code PUT /cpu-maps/{digest}}); the service checks the digest against the
 * files, reads the map as libvirt does, keeps it in PostgreSQL and lists every map it holds ({@code GET /catalogs}).
 */
class CpuMapsApiTest extends ApiAssertions {

    private static final String GOLD_6530 = "libvirt-newer/x86_64-cpuid-Xeon-Gold-6530-host.xml";

    private static Map<String, Object> reportedWith(String uuid, String hostname, String aggregate, String digest) {
        Map<String, Object> body = new LinkedHashMap<>(registration(uuid, hostname, List.of(aggregate), GOLD_6530));
        body.put("versions", Map.of("libvirt", "12.5.0", "qemu", "10.2.0"));
        body.put("cpuMap", digest);
        return body;
    }

    @Test
    void aHostIsReadWithTheMapItsAgentUploadedOnce() {
        Map<String, byte[]> files = CpuMapFiles.patched(BundledMap.LIBVIRT_12_8, "distribution patch one");
        String digest = CpuMapDigest.of(files);
        String host = "00000000-0000-4000-8000-00000000a001";

        // not held yet: the registration is refused whole, naming cpuMap and what to do
        Answer before = post(
                "/hosts", reportedWith(host, "gold-1", "sent-map", digest), "Authorization", "Bearer " + AGENT_TOKEN);
        assertProblem(before, 422);
        assertThat(errorFields(before)).containsExactly("cpuMap");
        assertThat(errorFor(before, "cpuMap")).contains("PUT /cpu-maps/" + digest);
        assertNothingWritten();
        assertProblem(get("/cpu-maps/" + digest), 404);

        Answer uploaded = put(
                "/cpu-maps/" + digest, CpuMapFiles.upload(files, "12.5.0"), "Authorization", "Bearer " + AGENT_TOKEN);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        assertThat(uploaded.header("Location")).isEqualTo("/cpu-maps/" + digest);
        String name = uploaded.json().path("name").asString();
        assertThat(name).isEqualTo("libvirt 12.5 (map " + digest.substring(0, 12) + ")");
        assertThat(uploaded.json().path("origin").asString()).isEqualTo("sent");
        assertThat(uploaded.json().path("models").asInt())
                .isEqualTo(CpuCatalog.bundled(BundledMap.LIBVIRT_12_8).models().size());
        // once held, the same upload stores nothing more
        Answer again = put(
                "/cpu-maps/" + digest, CpuMapFiles.upload(files, "12.5.0"), "Authorization", "Bearer " + AGENT_TOKEN);
        assertThat(again.status()).isEqualTo(200);
        assertThat(rows()).isEqualTo(1);

        Answer registered = post(
                "/hosts", reportedWith(host, "gold-1", "sent-map", digest), "Authorization", "Bearer " + AGENT_TOKEN);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(registered.json().path("catalog").asString()).isEqualTo(name);
        assertThat(registered.json().path("cpuMap").asString()).isEqualTo(digest);
        assertThat(registered.json().path("cpu").path("unknownFeatures")).isEmpty();
        Answer answer = get("/aggregates/sent-map/recommended-cpu");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("catalog").path("name").asString()).isEqualTo(name);
        assertThat(answer.json().path("catalog").path("cpuMapDigest").asString())
                .isEqualTo(digest);
        assertThat(answer.json().path("kinds").get(0).path("cpuMap").asString()).isEqualTo(digest);

        JsonNode listed = find(get("/catalogs").json(), name);
        assertThat(listed.path("hosts").asLong()).isEqualTo(1);
        assertThat(listed.path("storedAt").asString()).isNotBlank();
        assertThat(find(get("/catalogs").json(), "libvirt 12.8").path("hosts").asLong())
                .isZero();
        assertThat(get("/cpu-maps/" + digest).json().path("name").asString()).isEqualTo(name);
        Answer models = get("/cpu-models?map=" + digest);
        assertThat(models.status()).isEqualTo(200);
        assertThat(models.json().size()).isEqualTo(listed.path("models").asInt());
        assertThat(get("/cpu-models/SapphireRapids-v4?map=" + digest).status()).isEqualTo(200);
    }

    @Test
    void theMapAHostNamesReadsItWhateverItsLibvirtVersionSays() {
        String bundled = CpuCatalog.bundled(BundledMap.LIBVIRT_12_8).digest();
        Map<String, Object> body =
                reportedWith("00000000-0000-4000-8000-00000000a002", "gold-2", "bundled-map", bundled);
        body.put("versions", Map.of("libvirt", "9.0.0"));
        Answer registered = post("/hosts", body);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(registered.json().path("catalog").asString()).isEqualTo("libvirt 12.8");
        assertThat(registered.json().path("cpuMap").asString()).isEqualTo(bundled);
        // a bundled map is held from the start: an upload of it stores nothing
        Answer upload = put(
                "/cpu-maps/" + bundled,
                CpuMapFiles.upload(CpuMapFiles.x86Files(CpuMapFiles.directory(BundledMap.LIBVIRT_12_8)), "12.8.0"));
        assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        assertThat(upload.json().path("origin").asString()).isEqualTo("bundled");
        assertThat(rows()).isZero();
        List<String> names = new ArrayList<>();
        get("/catalogs").json().forEach(c -> names.add(c.path("name").asString()));
        assertThat(names).containsExactly("libvirt 9.0", "libvirt 11.3", "libvirt 12.8");
    }

    @Test
    void anUploadThatIsNotTheMapItNamesOrThatLibvirtWouldNotReadIsRefusedAndNothingStored() {
        Map<String, byte[]> files = CpuMapFiles.patched(BundledMap.LIBVIRT_12_8, "distribution patch two");
        String digest = CpuMapDigest.of(files);

        Answer otherDigest = put("/cpu-maps/" + "0".repeat(64), CpuMapFiles.upload(files, "12.5.0"));
        assertProblem(otherDigest, 422);
        assertThat(errorFor(otherDigest, "files")).contains(digest);

        assertThat(errorFields(put("/cpu-maps/ABC", CpuMapFiles.upload(files, "12.5.0"))))
                .containsExactly("digest");

        Map<String, byte[]> foreign = new LinkedHashMap<>(files);
        foreign.put("../x86_evil.xml", "<cpus/>".getBytes(StandardCharsets.UTF_8));
        foreign.put("arm_features.xml", "<cpus/>".getBytes(StandardCharsets.UTF_8));
        Answer names = put("/cpu-maps/" + CpuMapDigest.of(foreign), CpuMapFiles.upload(foreign, "12.5.0"));
        assertProblem(names, 422);
        assertThat(errorFields(names)).containsExactlyInAnyOrder("files.../x86_evil.xml", "files.arm_features.xml");

        Map<String, byte[]> withoutIndex = new LinkedHashMap<>(files);
        withoutIndex.remove("index.xml");
        assertThat(errorFor(
                        put("/cpu-maps/" + CpuMapDigest.of(withoutIndex), CpuMapFiles.upload(withoutIndex, "12.5.0")),
                        "files"))
                .contains("index.xml");

        Map<String, byte[]> broken = new LinkedHashMap<>(files);
        broken.remove("x86_Haswell.xml");
        Answer unreadable = put("/cpu-maps/" + CpuMapDigest.of(broken), CpuMapFiles.upload(broken, "12.5.0"));
        assertProblem(unreadable, 422);
        assertThat(errorFor(unreadable, "files")).contains("x86_Haswell.xml");

        Answer noFiles = put("/cpu-maps/" + digest, Map.of("libvirtVersion", "12.5.0"));
        assertThat(errorFields(noFiles)).containsExactly("files");
        Answer badVersion = put("/cpu-maps/" + digest, CpuMapFiles.upload(files, "12\u0000"));
        assertThat(errorFields(badVersion)).containsExactly("libvirtVersion");

        assertThat(rows()).isZero();
        assertProblem(get("/cpu-maps/" + digest), 404);
        assertThat(errorFields(
                        post("/hosts", reportedWith("00000000-0000-4000-8000-00000000a003", "g", "x", "not-a-digest"))))
                .containsExactly("cpuMap");
        assertNothingWritten();
    }

    @Test
    void onlyRegistrarsUpload() {
        Map<String, byte[]> files = CpuMapFiles.patched(BundledMap.LIBVIRT_12_8, "distribution patch three");
        String digest = CpuMapDigest.of(files);
        Answer viewer = put(
                "/cpu-maps/" + digest, CpuMapFiles.upload(files, "12.5.0"), "Authorization", "Bearer " + VIEWER_TOKEN);
        assertProblem(viewer, 403);
        Answer nobody = send(builder("/cpu-maps/" + digest)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(CpuMapFiles.upload(files, "12.5.0")))));
        assertProblem(nobody, 401);
        assertThat(rows()).isZero();
    }

    @Autowired
    private JdbcTemplate jdbc;

    private int rows() {
        return jdbc.queryForObject("select count(*) from cpu_map", Integer.class);
    }

    private static JsonNode find(JsonNode catalogs, String name) {
        for (JsonNode c : catalogs) {
            if (c.path("name").asString().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no catalog " + name + " in " + catalogs);
    }
}
