package io.fleetcpu.cpumodels;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.policy.Catalogs;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cpu_maps hosts' agents sent, kept in PostgreSQL under their digest (table {@code cpu_map}). A map never changes
 * once stored, so every instance keeps the maps it has read, parsed, in memory and asks the database only for maps it
 * has not seen: a map one instance stored is found by every other.
 */
@Component
class CpuMapStore implements Catalogs.StoredMaps {

    /** Far more maps than a fleet's libvirt releases; each parsed map is a few hundred kilobytes. */
    private static final int MAPS_KEPT = 64;

    /** One stored map as listed: no files. */
    record StoredMap(String digest, String name, @Nullable String libvirtVersion, int sizeBytes, Instant storedAt) {}

    private static final TypeReference<LinkedHashMap<String, String>> FILES = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Cache<String, CpuCatalog> byDigest =
            Caffeine.newBuilder().maximumSize(MAPS_KEPT).build();
    /** A stored map's name never changes; names no map has are asked again (another instance may store one). */
    private final Cache<String, String> digestByName =
            Caffeine.newBuilder().maximumSize(MAPS_KEPT).build();

    CpuMapStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public Optional<CpuCatalog> byDigest(String digest) {
        CpuCatalog kept = byDigest.getIfPresent(digest);
        if (kept != null) {
            return Optional.of(kept);
        }
        return jdbc.sql("select files::text, libvirt_version from cpu_map where digest = :digest")
                .param("digest", digest)
                .query((rs, row) -> read(rs.getString(1), rs.getString(2)))
                .optional()
                .map(catalog -> {
                    byDigest.put(digest, catalog);
                    return catalog;
                });
    }

    @Override
    public Optional<CpuCatalog> byName(String name) {
        String digest = digestByName.getIfPresent(name);
        if (digest != null) {
            return byDigest(digest);
        }
        Optional<String> stored = jdbc.sql("select digest from cpu_map where name = :name")
                .param("name", name)
                .query(String.class)
                .optional();
        stored.ifPresent(d -> digestByName.put(name, d));
        return stored.flatMap(this::byDigest);
    }

    /**
     * Keeps a map read from the files an agent sent; a map stored already (by another agent, or by another instance a
     * moment before) is kept as it is.
     *
     * @return whether this call stored it
     */
    boolean store(CpuCatalog catalog, Map<String, byte[]> files, Instant now) {
        String digest = java.util.Objects.requireNonNull(catalog.digest(), "a map read from files has a digest");
        Map<String, String> text = new LinkedHashMap<>();
        int size = 0;
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            text.put(file.getKey(), new String(file.getValue(), StandardCharsets.UTF_8));
            size += file.getValue().length;
        }
        int stored = jdbc.sql("""
                        insert into cpu_map (digest, name, libvirt_version, files, size_bytes, stored_at)
                        values (:digest, :name, :libvirtVersion, cast(:files as jsonb), :size, :now)
                        on conflict (digest) do nothing
                        """)
                .param("digest", digest)
                .param("name", catalog.name())
                .param("libvirtVersion", catalog.info().libvirtVersion())
                .param("files", json.writeValueAsString(text))
                .param("size", size)
                .param("now", Timestamp.from(now))
                .update();
        byDigest.put(digest, catalog);
        return stored == 1;
    }

    /** Every stored map, by name. */
    List<StoredMap> list() {
        return jdbc.sql("select digest, name, libvirt_version, size_bytes, stored_at from cpu_map order by name")
                .query((rs, row) -> new StoredMap(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        rs.getTimestamp(5).toInstant()))
                .list();
    }

    private CpuCatalog read(String files, @Nullable String libvirtVersion) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        json.readValue(files, FILES)
                .forEach((name, content) -> bytes.put(name, content.getBytes(StandardCharsets.UTF_8)));
        return CpuCatalog.fromFiles(bytes, libvirtVersion);
    }
}
