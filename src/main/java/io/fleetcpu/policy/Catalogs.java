package io.fleetcpu.policy;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuMapDigest;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.policy.guest.GuestLevels;
import io.fleetcpu.policy.guest.GuestVisibility;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The CPU catalogs fleetcpu reads hosts with, one per libvirt version a host runs: a host is read with the cpu_map of
 * its own libvirt (the oldest bundled map not older than its libvirt: 9.x with libvirt 9.0's, 10 and 11 with 11.3's,
 * 12 and later with 12.8's; a version not reported or older than every map: the configured one), and an answer for
 * several hosts with what every member's map defines alike ({@link #common}). Each catalog comes with its own guest
 * visibility and levels, since feature positions ({@code FeatureSet}) are per catalog.
 */
public final class Catalogs {

    private static final Pattern MAJOR = Pattern.compile("^\\s*(\\d+)(\\.|$)");

    private final CpuCatalog configured;
    /** The maps hosts are read with by their libvirt version, oldest first; empty when one map reads every host. */
    private final List<CpuCatalog> byVersion;

    private final HostOnlyFeatures hostOnly;
    private final StoredMaps stored;
    private final Set<String> obsoleteModels;
    /** Each catalog's engine, built once: the one place the engine's parts are put together. */
    private final Map<CpuCatalog, CpuEngine> engines = new ConcurrentHashMap<>();

    private final Map<Set<String>, CpuCatalog> common = new ConcurrentHashMap<>();

    /**
     * The cpu_maps hosts' agents sent, kept by the service ({@link CpuMapDigest}): found by digest when a host names
     * its map, by name when a kind read with one is read again.
     */
    public interface StoredMaps {

        /** No map but the bundled ones. */
        StoredMaps NONE = new StoredMaps() {
            @Override
            public Optional<CpuCatalog> byDigest(String digest) {
                return Optional.empty();
            }

            @Override
            public Optional<CpuCatalog> byName(String name) {
                return Optional.empty();
            }
        };

        Optional<CpuCatalog> byDigest(String digest);

        Optional<CpuCatalog> byName(String name);
    }

    private Catalogs(
            CpuCatalog configured,
            List<CpuCatalog> byVersion,
            HostOnlyFeatures hostOnly,
            StoredMaps stored,
            Collection<String> obsoleteModels) {
        this.configured = configured;
        this.byVersion = byVersion.stream()
                .sorted(Comparator.comparingInt(c -> major(c.info().libvirtVersion())))
                .toList();
        this.hostOnly = hostOnly;
        this.stored = stored;
        this.obsoleteModels = Set.copyOf(obsoleteModels);
    }

    /**
     * The same catalogs, whose engines never recommend these models unless an aggregate pins them
     * ({@code fleetcpu.policy.obsolete-models}; {@link PolicyRecommender#OBSOLETE_MODELS} by default).
     */
    public Catalogs withObsoleteModels(Collection<String> models) {
        return new Catalogs(configured, byVersion, hostOnly, stored, models);
    }

    /** Every bundled map, each host read with its libvirt's; {@code configured} for hosts of unknown version. */
    public static Catalogs bundled(CpuCatalog configured, HostOnlyFeatures hostOnly) {
        return bundled(configured, hostOnly, StoredMaps.NONE);
    }

    /** The same, and the maps hosts' agents sent, each host that names one read with it. */
    public static Catalogs bundled(CpuCatalog configured, HostOnlyFeatures hostOnly, StoredMaps stored) {
        return new Catalogs(
                configured,
                Arrays.stream(BundledMap.values()).map(CpuCatalog::bundled).toList(),
                hostOnly,
                stored,
                PolicyRecommender.OBSOLETE_MODELS);
    }

    /**
     * One catalog for every host, whatever its libvirt and whatever map its agent sends (a cpu_map an operator points
     * fleetcpu at).
     */
    public static Catalogs only(CpuCatalog catalog, HostOnlyFeatures hostOnly) {
        return new Catalogs(catalog, List.of(), hostOnly, StoredMaps.NONE, PolicyRecommender.OBSOLETE_MODELS);
    }

    /**
     * The catalog a host is read with: the map its agent sent, found by its digest (a bundled map or one the service
     * keeps), else the map of its libvirt version ({@link #forLibvirt}); one configured map reads every host. Empty
     * when the host names a map the service does not hold: it reads hosts with their own map, never with another.
     *
     * @param cpuMapDigest the digest of the host's libvirt's map ({@link CpuMapDigest}), or null when not sent
     */
    public Optional<CpuCatalog> forHost(@Nullable String cpuMapDigest, @Nullable String libvirtVersion) {
        if (cpuMapDigest == null || byVersion.isEmpty()) {
            return Optional.of(forLibvirt(libvirtVersion));
        }
        return held(cpuMapDigest);
    }

    /** A map the service holds, bundled or sent by an agent, by its digest. */
    public Optional<CpuCatalog> held(String cpuMapDigest) {
        for (CpuCatalog c : all()) {
            if (cpuMapDigest.equals(c.digest())) {
                return Optional.of(c);
            }
        }
        return stored.byDigest(cpuMapDigest);
    }

    /** The catalog for hosts whose libvirt version is not known, and for questions about no host in particular. */
    public CpuCatalog configured() {
        return configured;
    }

    /**
     * The catalog a host running this libvirt is read with: the oldest map whose libvirt is not older than the
     * host's (a map knows what its own and every earlier libvirt knows), the newest for a libvirt newer than every
     * map, the configured one for a version not reported, unreadable or older than every map.
     *
     * @param libvirtVersion as the agent reports it ({@code 9.0.0}, {@code 11.3.0}); null when not reported
     */
    public CpuCatalog forLibvirt(@Nullable String libvirtVersion) {
        int major = major(libvirtVersion);
        if (major < 0
                || byVersion.isEmpty()
                || major < major(byVersion.get(0).info().libvirtVersion())) {
            return configured;
        }
        return byVersion.stream()
                .filter(c -> major(c.info().libvirtVersion()) >= major)
                .findFirst()
                .orElse(byVersion.get(byVersion.size() - 1));
    }

    /** The major release of a libvirt version ({@code 12} of {@code 12.8.0}), or -1 when it cannot be read. */
    private static int major(@Nullable String libvirtVersion) {
        if (libvirtVersion == null) {
            return -1;
        }
        Matcher m = MAJOR.matcher(libvirtVersion);
        if (!m.find()) {
            return -1;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A catalog by the name hosts and kinds are stored with ({@link CpuCatalog#name()}); null for kinds stored before
     * catalogs were per host, which the migration gave the configured one. A name no catalog has (kinds stored while
     * a cpu_map directory was configured, read after it was unset) gets the configured one.
     */
    public CpuCatalog named(@Nullable String name) {
        if (name == null) {
            return configured;
        }
        return all().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .or(() -> byVersion.isEmpty() ? Optional.empty() : stored.byName(name))
                .orElse(configured);
    }

    /**
     * The catalog an answer for hosts read with these catalogs is computed with: the one they share, or the part of
     * their maps that every one of them defines alike ({@link CpuCatalog#commonPart}), older map first.
     */
    public CpuCatalog common(Collection<String> names) {
        Set<String> key = Set.copyOf(names);
        if (key.isEmpty()) {
            return configured;
        }
        return common.computeIfAbsent(key, k -> {
            List<CpuCatalog> catalogs = new ArrayList<>(
                    new LinkedHashSet<>(k.stream().map(this::named).toList()));
            catalogs.sort((a, b) -> Integer.compare(rank(a), rank(b)));
            CpuCatalog part = catalogs.get(0);
            for (CpuCatalog next : catalogs.subList(1, catalogs.size())) {
                part = part.commonPart(next);
            }
            return part;
        });
    }

    /** Older libvirt first; of one release, a bundled map before one an agent sent. */
    private int rank(CpuCatalog catalog) {
        int i = byVersion.indexOf(catalog);
        return i >= 0
                ? 2 * i
                : 2
                                * (int) byVersion.stream()
                                        .filter(c -> major(c.info().libvirtVersion())
                                                <= major(catalog.info().libvirtVersion()))
                                        .count()
                        + 1;
    }

    /** Every catalog hosts are read with, each once: the configured one first, then the others oldest first. */
    public List<CpuCatalog> all() {
        LinkedHashSet<CpuCatalog> all = new LinkedHashSet<>();
        all.add(configured);
        all.addAll(byVersion);
        return List.copyOf(all);
    }

    /** The names of {@link #all()}, for messages: {@code libvirt 9.0, libvirt 11.3}. */
    public String names() {
        return String.join(", ", all().stream().map(CpuCatalog::name).toList());
    }

    /**
     * Why a policy cannot be used with a catalog: the models and features it names that the catalog does not know
     * (an aggregate whose members run an older libvirt than the policy was written for); empty when it can.
     */
    public static List<String> unknownIn(CpuCatalog catalog, CpuPolicy policy) {
        List<String> unknown = new ArrayList<>();
        for (String model : java.util.Arrays.asList(policy.minimumModel(), policy.pinnedModel())) {
            if (model != null && catalog.model(model).isEmpty()) {
                unknown.add("model " + model);
            }
        }
        policy.disabledMitigations().stream()
                .filter(f -> catalog.feature(f).isEmpty())
                .forEach(f -> unknown.add("feature " + f));
        return unknown;
    }

    /** The engine of hosts read with the catalog, built once. */
    public CpuEngine engine(CpuCatalog catalog) {
        return engines.computeIfAbsent(catalog, c -> CpuEngine.of(c, hostOnly, obsoleteModels));
    }

    /**
     * The engine of an answer for hosts read with these catalogs (by name): that of the part of their maps every one
     * of them defines alike ({@link #common}).
     */
    public CpuEngine engineFor(Collection<String> catalogNames) {
        return engine(common(catalogNames));
    }

    /** What guests get on hosts read with the catalog. */
    public GuestVisibility visibility(CpuCatalog catalog) {
        return engine(catalog).visibility();
    }

    /** The x86-64 levels of hosts read with the catalog. */
    public GuestLevels levels(CpuCatalog catalog) {
        return engine(catalog).levels();
    }
}
