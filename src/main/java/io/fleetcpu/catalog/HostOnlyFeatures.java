package io.fleetcpu.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Features of a physical x86 CPU that KVM never gives a guest ({@code ds}, {@code acpi}, {@code monitor},
 * {@code ibs}, …), with why, from {@code catalog/host-only-features.tsv} (its header cites the source). A host
 * that sent no hypervisor view of its CPU is read as its physical CPU without them.
 */
public final class HostOnlyFeatures {

    private static final String BUNDLED = "catalog/host-only-features.tsv";

    private final Map<String, String> reasons;

    private HostOnlyFeatures(Map<String, String> reasons) {
        this.reasons = Map.copyOf(reasons);
    }

    /** The list shipped inside fleetcpu. */
    public static HostOnlyFeatures bundled() {
        Map<String, String> reasons = new LinkedHashMap<>();
        try (InputStream in = HostOnlyFeatures.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new CatalogException("missing " + BUNDLED + " in the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                if (columns.length != 3) {
                    throw new CatalogException(BUNDLED + ": expected feature, CPUID bit and reason in: " + line);
                }
                reasons.put(columns[0], columns[2]);
            }
        } catch (IOException e) {
            throw new CatalogException("cannot read " + BUNDLED, e);
        }
        return new HostOnlyFeatures(reasons);
    }

    /** These features as a set of the catalog; every one must be a feature the catalog knows. */
    public FeatureSet in(CpuCatalog catalog) {
        reasons.keySet()
                .forEach(name -> catalog.feature(name)
                        .orElseThrow(() -> new CatalogException(
                                BUNDLED + " names feature '" + name + "' that the catalog does not know")));
        return catalog.featureSet(reasons.keySet());
    }

    /** Why a guest never gets this feature, or empty when it may. */
    public Optional<String> why(String feature) {
        return Optional.ofNullable(reasons.get(feature));
    }

    /** The features' names, in the file's order. */
    public Set<String> names() {
        return reasons.keySet();
    }
}
