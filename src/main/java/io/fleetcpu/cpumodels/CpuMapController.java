package io.fleetcpu.cpumodels;

import io.fleetcpu.catalog.CatalogException;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuMapDigest;
import io.fleetcpu.hosts.FleetCensus;
import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import io.fleetcpu.system.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The cpu_maps hosts are read with: the bundled ones and those hosts' agents sent ({@code PUT /cpu-maps/{digest}},
 * once per map), each host read with exactly its own libvirt's map.
 */
@RestController
@Tag(name = "cpu-maps", description = "The cpu_maps hosts are read with: bundled, and sent by hosts' agents")
class CpuMapController {

    /** libvirt 12.8's x86 map has 178 files; room for many more releases. */
    static final int MAX_FILES = 2000;

    private static final int MAX_VERSION = 64;

    private final Catalogs catalogs;
    private final CpuMapStore store;
    private final FleetCensus census;
    private final Clock clock;

    CpuMapController(Catalogs catalogs, CpuMapStore store, FleetCensus census, Clock clock) {
        this.catalogs = catalogs;
        this.store = store;
        this.census = census;
        this.clock = clock;
    }

    @PutMapping(
            path = "/cpu-maps/{digest}",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "putCpuMap",
            summary = "Upload a host's libvirt's x86 cpu_map (once per map), so that its hosts are read with it",
            description = "The agent sends the digest of its libvirt's map with every registration (cpuMap); when the "
                    + "service does not hold it, the registration is refused (422 naming cpuMap) and the agent "
                    + "uploads the map here, then registers again. The digest is the SHA-256 of the files in name "
                    + "order, each as its name, a newline, its length in bytes in decimal, a newline and its bytes "
                    + "(UTF-8); the service computes it again from what it receives, reads the map as libvirt does, "
                    + "and refuses one it could not read. Idempotent: a map held already (bundled, or sent before) "
                    + "is answered 200 and stored once.")
    @ApiResponse(responseCode = "200", description = "The service held this map already")
    @ApiResponse(
            responseCode = "201",
            description = "The map is stored",
            headers =
                    @Header(
                            name = "Location",
                            description = "/cpu-maps/{digest}",
                            schema = @Schema(type = "string", format = "uri-reference")))
    @ApiResponse(responseCode = "400", description = "The body is not JSON")
    @ApiResponse(
            responseCode = "422",
            description = "The digest is malformed or is not that of the files, a file is not of the x86 part, or "
                    + "the map cannot be read as libvirt reads it; 'errors' says which")
    ResponseEntity<CatalogView> upload(
            @Parameter(description = "the SHA-256 digest of the files, 64 lower-case hexadecimal digits") @PathVariable
                    String digest,
            @RequestBody CpuMapUpload upload) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!CpuMapDigest.FORM.matcher(digest).matches()) {
            problems.add(new FieldProblem("digest", "'" + digest + "' is not 64 lower-case hexadecimal digits"));
        }
        String version = upload.libvirtVersion();
        if (version != null
                && (version.length() > MAX_VERSION || version.codePoints().anyMatch(Character::isISOControl))) {
            problems.add(new FieldProblem(
                    "libvirtVersion", "longer than " + MAX_VERSION + " characters, or holds control characters"));
        }
        Map<String, byte[]> files = files(problems, upload.files());
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        String sent = CpuMapDigest.of(files);
        if (!sent.equals(digest)) {
            throw new InvalidRequestException(
                    "files",
                    "their digest is " + sent + ", not " + digest + ": the files changed on the way, or the "
                            + "digest was computed otherwise (see the operation's description)");
        }
        Optional<CpuCatalog> held = catalogs.held(digest);
        if (held.isPresent()) {
            return ResponseEntity.ok(view(held.get(), census.hostsByCatalog()));
        }
        CpuCatalog catalog;
        try {
            catalog = CpuCatalog.fromFiles(files, version);
        } catch (CatalogException e) {
            throw new InvalidRequestException("files", "not a cpu_map libvirt would read: " + e.getMessage());
        }
        store.store(catalog, files, clock.instant());
        return ResponseEntity.created(URI.create("/cpu-maps/" + digest)).body(view(catalog, census.hostsByCatalog()));
    }

    @GetMapping(path = "/cpu-maps/{digest}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getCpuMap", summary = "A cpu_map the service holds, by its digest")
    @ApiResponse(responseCode = "200", description = "The map")
    @ApiResponse(responseCode = "404", description = "The service holds no map with this digest")
    CatalogView get(@Parameter(description = "the map's SHA-256 digest") @PathVariable String digest) {
        return catalogs.held(digest)
                .map(c -> view(c, census.hostsByCatalog()))
                .orElseThrow(() -> new NotFoundException(
                        "the service holds no cpu_map " + digest + " (PUT /cpu-maps/" + digest + " uploads one)"));
    }

    @GetMapping(path = "/catalogs", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "listCatalogs",
            summary = "Every cpu_map the service reads hosts with, and how many hosts each reads",
            description = "The bundled maps (oldest libvirt first), then the maps hosts' agents sent, by name. "
                    + "GET /cpu-models?map={cpuMap} lists any one's models.")
    @ApiResponse(responseCode = "200", description = "The maps")
    List<CatalogView> list() {
        Map<String, Long> hosts = census.hostsByCatalog();
        List<CatalogView> all = new ArrayList<>();
        catalogs.all().forEach(c -> all.add(view(c, hosts)));
        for (CpuMapStore.StoredMap map : store.list()) {
            catalogs.held(map.digest())
                    .ifPresent(
                            c -> all.add(CatalogView.of(c, "sent", hosts.getOrDefault(c.name(), 0L), map.storedAt())));
        }
        return all;
    }

    private CatalogView view(CpuCatalog catalog, Map<String, Long> hosts) {
        boolean bundled = catalogs.all().contains(catalog);
        return CatalogView.of(catalog, bundled ? "bundled" : "sent", hosts.getOrDefault(catalog.name(), 0L), null);
    }

    private static Map<String, byte[]> files(List<FieldProblem> problems, @Nullable Map<String, String> sent) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (sent == null || sent.isEmpty()) {
            problems.add(new FieldProblem("files", "missing: send index.xml and the x86_*.xml files"));
            return files;
        }
        if (sent.size() > MAX_FILES) {
            problems.add(new FieldProblem("files", sent.size() + " files; at most " + MAX_FILES));
            return files;
        }
        sent.forEach((name, content) -> {
            if (!CpuMapDigest.isX86File(name)) {
                problems.add(new FieldProblem(
                        "files." + name, "not a file of a cpu_map's x86 part (index.xml, x86_<name>.xml)"));
            } else if (content == null) {
                problems.add(new FieldProblem("files." + name, "missing content"));
            } else {
                files.put(name, content.getBytes(StandardCharsets.UTF_8));
            }
        });
        if (!files.containsKey("index.xml")) {
            problems.add(new FieldProblem("files", "index.xml is missing"));
        }
        return files;
    }
}
