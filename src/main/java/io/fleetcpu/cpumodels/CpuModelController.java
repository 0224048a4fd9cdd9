package io.fleetcpu.cpumodels;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/cpu-models")
@Tag(name = "cpu-models", description = "The catalogs: libvirt's named CPU models and their features, per bundled map")
class CpuModelController {

    private static final String LIBVIRT_DESCRIPTION = "the libvirt release whose bundled map to read (9.0, 11.3 or "
            + "12.8; 11.3.0 is taken too), the maps hosts are read with by their libvirt; unknown releases are refused "
            + "(422) naming the known ones. Without it (and without map), the configured catalog "
            + "(fleetcpu.catalog.libvirt-version)";

    private static final String MAP_DESCRIPTION = "the digest of any cpu_map the service holds (GET /catalogs: "
            + "'cpuMap'), bundled or sent by a host's agent; one it does not hold is refused (422). Not with libvirt";

    private final CpuCatalog catalog;
    private final Catalogs catalogs;

    CpuModelController(CpuCatalog catalog, Catalogs catalogs) {
        this.catalog = catalog;
        this.catalogs = catalogs;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            operationId = "listCpuModels",
            summary = "Every CPU model of a catalog, oldest first, optionally of one vendor")
    @ApiResponse(responseCode = "200", description = "The models")
    @ApiResponse(
            responseCode = "422",
            description = "No catalog of that libvirt release; the problem names the known ones")
    List<CpuModelView> list(
            @Parameter(description = "only models of this vendor (case does not matter)", example = "Intel")
                    @RequestParam(required = false)
                    @Nullable
                    String vendor,
            @Parameter(description = LIBVIRT_DESCRIPTION, example = "11.3") @RequestParam(required = false) @Nullable
                    String libvirt,
            @Parameter(description = MAP_DESCRIPTION) @RequestParam(required = false) @Nullable String map) {
        CpuCatalog chosen = chosen(libvirt, map);
        return chosen.models().stream()
                .filter(m -> vendor == null || vendor.equalsIgnoreCase(m.vendor()))
                .map(m -> CpuModelView.of(m, chosen))
                .toList();
    }

    @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getCpuModel", summary = "One CPU model of a catalog with every feature it stands for")
    @ApiResponse(responseCode = "200", description = "The model")
    @ApiResponse(responseCode = "404", description = "The catalog has no model of this name")
    @ApiResponse(
            responseCode = "422",
            description = "No catalog of that libvirt release; the problem names the known ones")
    CpuModelView get(
            @Parameter(description = "the model's name in libvirt's cpu_map", example = "Haswell-noTSX-IBRS")
                    @PathVariable
                    String name,
            @Parameter(description = LIBVIRT_DESCRIPTION, example = "11.3") @RequestParam(required = false) @Nullable
                    String libvirt,
            @Parameter(description = MAP_DESCRIPTION) @RequestParam(required = false) @Nullable String map) {
        CpuCatalog chosen = chosen(libvirt, map);
        return chosen.model(name)
                .map(m -> CpuModelView.of(m, chosen))
                .orElseThrow(() -> new NotFoundException("the catalog " + chosen.name() + " ("
                        + chosen.info().source() + ") has no CPU model '" + name + "'"));
    }

    /**
     * The map of this digest, or the bundled map of a libvirt release, written as its name has it ({@code 11.3}) or in
     * full ({@code 11.3.0}).
     */
    private CpuCatalog chosen(@Nullable String libvirt, @Nullable String map) {
        if (map != null) {
            if (libvirt != null) {
                throw new InvalidRequestException("map", "give map or libvirt, not both");
            }
            return catalogs.held(map)
                    .orElseThrow(() -> new InvalidRequestException(
                            "map", "the service holds no cpu_map '" + map + "' (GET /catalogs lists those it holds)"));
        }
        if (libvirt == null) {
            return catalog;
        }
        String release = libvirt.strip();
        for (CpuCatalog c : catalogs.all()) {
            String known = c.info().libvirtVersion();
            if (!release.isEmpty()
                    && (release.equals(known)
                            || c.name().equals("libvirt " + release)
                            || (release + ".0").equals(known))) {
                return c;
            }
        }
        List<String> known = catalogs.all().stream()
                .map(c -> c.name().replaceFirst("^libvirt ", ""))
                .toList();
        throw new InvalidRequestException(
                "libvirt", "no catalog of libvirt '" + release + "'; known: " + String.join(", ", known));
    }
}
