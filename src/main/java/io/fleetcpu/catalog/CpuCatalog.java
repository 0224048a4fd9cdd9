package io.fleetcpu.catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The x86 CPU models and features of a libvirt cpu_map: the one dictionary of feature names in fleetcpu.
 * Immutable once loaded and safe to share between threads. {@link CpuMapReader} reads the map's files.
 */
public final class CpuCatalog {

    private static final Set<String> ARCHES = Set.of("x86_64", "i686");

    /** For {@link #expand}: a feature name the catalog does not define adds and takes away nothing. */
    public static final Consumer<String> PASS_OVER_UNKNOWN = name -> {};

    /** The bundled maps, loaded once each when first asked for. */
    private static final Map<BundledMap, CpuCatalog> BUNDLED = new ConcurrentHashMap<>();

    private final CatalogInfo info;
    private final List<FeatureDefinition> features;
    private final Map<String, FeatureDefinition> featuresByName;
    private final List<CpuModel> models;
    private final Map<String, CpuModel> modelsByName;
    private final List<String> vendors;

    /** Made by {@link CpuMapReader} and by {@link #commonPart}. */
    CpuCatalog(CatalogInfo info, List<FeatureDefinition> features, List<CpuModel> models, List<String> vendors) {
        this.info = info;
        this.features = List.copyOf(features);
        Map<String, FeatureDefinition> byName = new HashMap<>();
        features.forEach(f -> byName.put(f.name(), f));
        this.featuresByName = Map.copyOf(byName);
        // the models' sets are made while the map is read, before the catalog exists: mark them as this catalog's
        this.models = models.stream()
                .map(m -> new CpuModel(
                        m.name(),
                        m.vendor(),
                        m.includes(),
                        m.features().of(this),
                        m.decodeHost(),
                        m.decodeGuest(),
                        m.signatures(),
                        m.position(),
                        m.removedFeatures().of(this),
                        m.removedOrder()))
                .toList();
        Map<String, CpuModel> modelMap = new HashMap<>();
        this.models.forEach(m -> modelMap.put(m.name(), m));
        this.modelsByName = Map.copyOf(modelMap);
        this.vendors = List.copyOf(vendors);
    }

    /** The default cpu_map shipped inside fleetcpu: libvirt 9.0's (loaded once). */
    public static CpuCatalog bundled() {
        return bundled(BundledMap.LIBVIRT_9_0);
    }

    /** One of the cpu_maps shipped inside fleetcpu (each loaded once). */
    public static CpuCatalog bundled(BundledMap map) {
        return BUNDLED.computeIfAbsent(map, CpuMapReader::readBundled);
    }

    /** A cpu_map laid out as libvirt installs it (e.g. {@code /usr/share/libvirt/cpu_map}). */
    public static CpuCatalog fromDirectory(Path dir, @Nullable String libvirtVersion) {
        return CpuMapReader.readDirectory(dir, libvirtVersion);
    }

    /**
     * A cpu_map a host's agent sent: its x86 files by name, read as libvirt reads them.
     *
     * @param libvirtVersion the release of the libvirt it comes from, as the agent says
     * @throws CatalogException naming what libvirt would not read, or what fleetcpu could not judge like libvirt
     */
    public static CpuCatalog fromFiles(Map<String, byte[]> files, @Nullable String libvirtVersion) {
        return CpuMapReader.readFiles(files, libvirtVersion);
    }

    /** The map's digest ({@link CpuMapDigest}); null for the part two maps define alike. */
    public @Nullable String digest() {
        return info.cpuMapDigest();
    }

    public CatalogInfo info() {
        return info;
    }

    /** How hosts, kinds and answers name this catalog: {@code libvirt 9.0}. */
    public String name() {
        return info.name();
    }

    /**
     * What this map and another both define alike, for guests that must run on hosts of both libvirt versions: the
     * features both define with the same CPUID/MSR bits (in this map's order), and the models both define, each with
     * the features of both definitions that are common (a guest naming the model must be accepted by each host's
     * libvirt, which expands the model with its own map; where the definitions differ, a host must have what either
     * asks). Models whose vendors differ are left out.
     *
     * <p>When the result defines exactly what this map defines, this map itself is returned (so answers keep its
     * name and its verification); {@link #sameDefinitions} says whether that is so.
     */
    public CpuCatalog commonPart(CpuCatalog other) {
        if (other == this) {
            return this;
        }
        List<FeatureDefinition> common = new ArrayList<>();
        for (FeatureDefinition f : features) {
            FeatureDefinition o = other.featuresByName.get(f.name());
            if (o != null && o.bits().equals(f.bits()) && o.migratable() == f.migratable()) {
                common.add(new FeatureDefinition(common.size(), f.name(), f.migratable(), f.bits(), f.aliases()));
            }
        }
        CpuCatalog sketch = new CpuCatalog(info, common, List.of(), vendors);
        List<CpuModel> commonModels = new ArrayList<>();
        for (CpuModel m : models) {
            Optional<CpuModel> o = other.model(m.name());
            if (o.isEmpty() || !Objects.equals(m.vendor(), o.get().vendor())) {
                continue;
            }
            FeatureSet set = sketch.knownSet(featureNames(m.features()))
                    .union(sketch.knownSet(other.featureNames(o.get().features())));
            FeatureSet removed = sketch.knownSet(featureNames(m.removedFeatures()))
                    .union(sketch.knownSet(other.featureNames(o.get().removedFeatures())))
                    .minus(set);
            // positions of the sketch, which has the common part's features in the same order
            commonModels.add(new CpuModel(
                    m.name(),
                    m.vendor(),
                    m.includes(),
                    set.bare(),
                    m.decodeHost() && o.get().decodeHost(),
                    m.decodeGuest() && o.get().decodeGuest(),
                    m.signatures(),
                    commonModels.size(),
                    removed.bare(),
                    removedOrder(m, o.get(), sketch.featureNames(removed))));
        }
        CpuCatalog part = new CpuCatalog(
                new CatalogInfo(
                        "the part of " + info.source() + " and of " + other.info.source() + " that both define alike",
                        info.libvirtVersion() + " and " + other.info.libvirtVersion(),
                        false,
                        "models and features both maps define alike; results with it"
                                + " are verified against libvirt "
                                + (info.verifiedAgainstLibvirt() ? info.libvirtVersion() : other.info.libvirtVersion())
                                + " only where they equal that map's (see sameDefinitions)",
                        info.name() + " ∩ " + other.name(),
                        null),
                common,
                commonModels,
                vendors);
        return sameDefinitions(part) ? this : part;
    }

    /** The removed features of the common model: in this map's file order, then the other map's. */
    private static List<String> removedOrder(CpuModel mine, CpuModel theirs, List<String> removed) {
        List<String> order = new ArrayList<>();
        for (String name : mine.removedOrder()) {
            if (removed.contains(name) && !order.contains(name)) {
                order.add(name);
            }
        }
        for (String name : theirs.removedOrder()) {
            if (removed.contains(name) && !order.contains(name)) {
                order.add(name);
            }
        }
        return order;
    }

    /** Whether the other catalog defines the same features (names, bits, order) and models (features by name). */
    public boolean sameDefinitions(CpuCatalog other) {
        if (features.size() != other.features.size() || models.size() != other.models.size()) {
            return false;
        }
        for (int i = 0; i < features.size(); i++) {
            FeatureDefinition a = features.get(i);
            FeatureDefinition b = other.features.get(i);
            if (!a.name().equals(b.name()) || !a.bits().equals(b.bits()) || a.migratable() != b.migratable()) {
                return false;
            }
        }
        for (CpuModel a : models) {
            Optional<CpuModel> b = other.model(a.name());
            if (b.isEmpty()
                    || !Objects.equals(a.vendor(), b.get().vendor())
                    || !featureNames(a.features())
                            .equals(other.featureNames(b.get().features()))
                    || !featureNames(a.removedFeatures())
                            .equals(other.featureNames(b.get().removedFeatures()))) {
                return false;
            }
        }
        return true;
    }

    /** The set of the names this catalog knows; others are passed over. */
    public FeatureSet knownSet(Collection<String> names) {
        return featureSet(names.stream().filter(featuresByName::containsKey).toList());
    }

    /** Features in map order (x86_features.xml order); a feature's index is its position here. */
    public List<FeatureDefinition> features() {
        return features;
    }

    public Optional<FeatureDefinition> feature(String name) {
        return Optional.ofNullable(featuresByName.get(name));
    }

    /** x86 models in index.xml order. */
    public List<CpuModel> models() {
        return models;
    }

    public Optional<CpuModel> model(String name) {
        return Optional.ofNullable(modelsByName.get(name));
    }

    public List<String> vendors() {
        return vendors;
    }

    public boolean supportsArch(@Nullable String arch) {
        return arch != null && ARCHES.contains(arch);
    }

    /** @throws IllegalArgumentException naming the first feature the catalog does not know */
    public FeatureSet featureSet(Collection<String> names) {
        FeatureSet.Builder builder = FeatureSet.builder().of(this);
        for (String name : names) {
            FeatureDefinition feature = featuresByName.get(name);
            if (feature == null) {
                throw new IllegalArgumentException("Unknown CPU feature " + name);
            }
            builder.add(feature.index());
        }
        return builder.build();
    }

    /**
     * The features of a CPU described as a model plus and minus features: <b>the model's features, plus
     * {@code required}, minus {@code disabled}</b>. The minus comes last, so a name in both lists is disabled. This
     * is the one expansion rule of fleetcpu: host reports, baselines, migration checks and guest CPUs all expand
     * with it.
     *
     * <p><b>Unknown features.</b> A name this catalog does not define stands for no CPUID or MSR bit, so it can add
     * or take away nothing. Each such name is handed to {@code unknown} (the required ones first, then the disabled
     * ones, each list in its order), which says what it means where the CPU comes from: throw to refuse the CPU
     * (a baseline or a migration check, which libvirt refuses too: "Unknown CPU feature"), or return to pass the name
     * over ({@link #PASS_OVER_UNKNOWN}: a stored host report or a guest CPU written for a newer libvirt).
     *
     * @param model    the model's features ({@link CpuModel#features()}); {@link FeatureSet#empty()} for no model
     * @param unknown  called with each name the catalog does not define; may throw to refuse the CPU
     * @return a set of this catalog
     */
    public FeatureSet expand(
            FeatureSet model, Collection<String> required, Collection<String> disabled, Consumer<String> unknown) {
        FeatureSet.Builder set = model.toBuilder().of(this);
        eachIndex(required, unknown, set::add);
        eachIndex(disabled, unknown, set::remove);
        return set.build();
    }

    private void eachIndex(Collection<String> names, Consumer<String> unknown, IntConsumer known) {
        for (String name : names) {
            FeatureDefinition feature = featuresByName.get(name);
            if (feature == null) {
                unknown.accept(name);
            } else {
                known.accept(feature.index());
            }
        }
    }

    /** Names in catalog (map) order. */
    public List<String> featureNames(FeatureSet set) {
        set.of(this); // refuses a set of another catalog
        List<String> names = new ArrayList<>(set.size());
        set.indexes().forEach(i -> names.add(features.get(i).name()));
        return Collections.unmodifiableList(names);
    }
}
