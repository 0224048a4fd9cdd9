package io.fleetcpu.policy.migration;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureDefinition;
import io.fleetcpu.catalog.FeatureSet;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.migration.MigrationCheckRefusedException.Reason;
import io.fleetcpu.policy.migration.Verdict.Cause;
import io.fleetcpu.policy.migration.Verdict.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Can a guest CPU run on (live-migrate to) a target host? Judged as libvirt 9.0's {@code virConnectCompareCPU}
 * (x86 driver) judges a {@code <cpu>} against a host CPU, on the catalog's feature sets, so that the verdict, the
 * missing features and the reason are the ones libvirt gives (checked against libvirt itself by
 * {@code MigrationCheckDifferentialTest}). Learnt from libvirt's answers:
 * <ul>
 *   <li>A {@code <cpu>} with {@code <arch>} is a host-shaped CPU: every {@code <feature>} is required, whatever
 *       policy it says; it cannot carry {@code mode} or {@code match}. Any other {@code <cpu>} is a guest CPU.</li>
 *   <li>Checks in this order: the target has a model ("unknown host CPU"), the architecture (host shape only), the
 *       vendor (only a vendor the guest names; a model's vendor does not count), unknown models and features
 *       (target first, then guest features by policy: force, require, optional, disable, forbid), forbidden
 *       features the target has, required features it lacks, and for {@code match='strict'} features the target
 *       has beyond what the guest asks for. {@code minimum} judges like {@code exact}.</li>
 *   <li>Required = the model's features plus require, minus force, optional and disable. A forced, optional or
 *       disabled feature the target lacks is no obstacle. The target is a SUPERSET when it has a feature the
 *       guest neither requires, forces, makes optional nor disables; else IDENTICAL.</li>
 * </ul>
 * Host-model and host-passthrough depend on the source host and are judged by {@link #hostModel} and
 * {@link #hostPassthrough}; libvirt's compare would judge only the few features written in such a definition.
 */
public final class MigrationCheck {

    private static final String TARGET = "the target host";

    private final CpuCatalog catalog;

    public MigrationCheck(CpuCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    public CpuCatalog catalog() {
        return catalog;
    }

    // ---- entry points ----------------------------------------------------------------------------------------

    /**
     * A libvirt {@code <cpu>}: a custom guest CPU definition or a host-shaped CPU.
     *
     * @throws IllegalArgumentException for host-model, host-passthrough and maximum, which need the source host
     *                                  ({@link #check(CpuDefinition, CpuDescription, CpuDescription)})
     * @throws MigrationCheckRefusedException where libvirt refuses the same input
     */
    public Verdict check(CpuDefinition guest, CpuDescription target) {
        Objects.requireNonNull(guest, "guest");
        String mode = guest.mode();
        if (mode != null && !mode.equals("custom")) {
            throw new IllegalArgumentException("a " + mode + " guest CPU is what its source host makes of it: "
                    + "check it with the source host's CPU");
        }
        return compare(guest, target, "the guest CPU");
    }

    /** Any {@code <cpu>}; {@code source} (the host the guest runs on now) is used for host-model and host-passthrough. */
    public Verdict check(CpuDefinition guest, @Nullable CpuDescription source, CpuDescription target) {
        Objects.requireNonNull(guest, "guest");
        String mode = guest.mode() == null ? "custom" : guest.mode();
        return switch (mode) {
            case "custom" -> compare(guest, target, "the guest CPU");
            case "host-model" -> hostModel(source, policies(guest), target);
            case "host-passthrough" -> hostPassthrough(Objects.requireNonNull(source, "source"), target);
            default ->
                throw new IllegalArgumentException("a guest with CPU mode " + mode + " gets whatever its "
                        + "host offers and is not meant to migrate; choose host-passthrough, host-model or custom");
        };
    }

    /** An aggregate's recommendation of mode CUSTOM. */
    public Verdict check(GuestCpu guest, CpuDescription target) {
        Objects.requireNonNull(guest, "guest");
        if (guest.mode() != GuestCpu.Mode.CUSTOM) {
            throw new IllegalArgumentException("a " + guest.mode().libvirtName() + " guest CPU is what its source "
                    + "host makes of it: check it with the source host's CPU");
        }
        return compare(definition(guest), target, "the guest CPU");
    }

    /** An aggregate's recommendation of any mode; {@code source} is used for host-model and host-passthrough. */
    public Verdict check(GuestCpu guest, @Nullable CpuDescription source, CpuDescription target) {
        Objects.requireNonNull(guest, "guest");
        return switch (guest.mode()) {
            case CUSTOM -> compare(definition(guest), target, "the guest CPU");
            case HOST_MODEL -> hostModel(source, policies(definition(guest)), target);
            case HOST_PASSTHROUGH -> hostPassthrough(Objects.requireNonNull(source, "source"), target);
        };
    }

    /**
     * A CPU described as model plus and minus features, judged as the guest {@code <cpu mode='custom'
     * match='exact'>} with that model and vendor, its required features as {@code require} and its disabled
     * ones as {@code disable}.
     */
    public Verdict check(CpuDescription guest, CpuDescription target) {
        return compare(custom(guest, Map.of()), target, "the guest CPU");
    }

    /**
     * A host-model guest started on {@code source}: libvirt gave it the source's host-model CPU (model, vendor and
     * features: pass the host-model CPU of the source's domain capabilities, not of {@code virsh capabilities},
     * which also lists features QEMU never gives a guest), and it migrates as that custom CPU with
     * {@code match='exact'}: its features must all be on the target.
     */
    public Verdict hostModel(CpuDescription source, CpuDescription target) {
        return hostModel(source, Map.of(), target);
    }

    /**
     * A host-passthrough guest sees the source's CPU as it is and can only move to an identical one: same model,
     * vendor and features (microcode is not compared; hosts report no microcode-dependent feature apart from
     * the features themselves). INCOMPATIBLE lists both directions: features the target lacks
     * ({@code missingFeatures}) and features it has on top ({@code extraFeatures}).
     */
    public Verdict hostPassthrough(CpuDescription source, CpuDescription target) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        requireX86(target, "target host");
        requireX86(source, "source host");
        if (source.model() == null) {
            throw new MigrationCheckRefusedException(
                    Reason.INVALID_DEFINITION, "the source host's CPU has no model", null);
        }
        if (target.model() == null) {
            return unknownTarget();
        }
        FeatureSet sourceFeatures = hostFeatures(source, "source host");
        FeatureSet targetFeatures = hostFeatures(target, TARGET);
        List<String> missing = catalog.featureNames(sourceFeatures.minus(targetFeatures));
        List<String> extra = catalog.featureNames(targetFeatures.minus(sourceFeatures));
        List<String> differences = new ArrayList<>();
        if (!Objects.equals(source.vendor(), target.vendor())) {
            differences.add("vendor " + source.vendor() + " on the source, " + target.vendor() + " on the target");
        }
        if (!source.model().equals(target.model())) {
            differences.add("model " + source.model() + " on the source, " + target.model() + " on the target");
        }
        if (!missing.isEmpty()) {
            differences.add("the target lacks " + String.join(", ", missing));
        }
        if (!extra.isEmpty()) {
            differences.add("the target has " + String.join(", ", extra) + " on top");
        }
        if (differences.isEmpty()) {
            return new Verdict(
                    Result.IDENTICAL,
                    List.of(),
                    List.of(),
                    "The target host's CPU is identical to the "
                            + "source host's: the host-passthrough guest can migrate there.",
                    Cause.NONE,
                    List.of(),
                    null);
        }
        return new Verdict(
                Result.INCOMPATIBLE,
                missing,
                List.of(),
                "A host-passthrough guest can only migrate to an "
                        + "identical CPU, and the target host's differs from the source host's: "
                        + String.join("; ", differences) + ".",
                Cause.DIFFERENT_CPU,
                extra,
                null);
    }

    // ---- libvirt's comparison ----------------------------------------------------------------------------------

    private Verdict hostModel(
            @Nullable CpuDescription source, Map<String, FeaturePolicy> policies, CpuDescription target) {
        Objects.requireNonNull(source, "source");
        requireX86(source, "source host");
        if (source.model() == null) {
            throw new MigrationCheckRefusedException(
                    Reason.INVALID_DEFINITION, "the source host's CPU has no model", null);
        }
        return compare(custom(source, policies), target, "the host-model CPU of the source host");
    }

    private Verdict compare(CpuDefinition guest, CpuDescription target, String what) {
        Objects.requireNonNull(target, "target");
        boolean hostShape = guest.arch() != null;
        validate(guest, hostShape);
        requireX86(target, TARGET);
        if (target.model() == null) {
            return unknownTarget();
        }
        if (hostShape && !catalog.supportsArch(guest.arch())) {
            return incompatible(
                    Cause.ARCH,
                    List.of(),
                    List.of(),
                    List.of(),
                    "CPU arch " + guest.arch() + " does not match host arch",
                    capitalize(what) + " is for architecture " + guest.arch() + " and " + TARGET + " is "
                            + target.arch() + ": it cannot run there.");
        }
        if (guest.vendor() != null && !guest.vendor().equals(target.vendor())) {
            return incompatible(
                    Cause.VENDOR,
                    List.of(),
                    List.of(),
                    List.of(),
                    "host CPU vendor does not match required CPU vendor " + guest.vendor(),
                    capitalize(what) + " requires a CPU made by " + guest.vendor() + " and " + TARGET + "'s is "
                            + (target.vendor() == null ? "of no known vendor" : "made by " + target.vendor())
                            + ": it cannot run there.");
        }

        FeatureSet host = hostFeatures(target, TARGET);
        FeatureSet force;
        FeatureSet require;
        FeatureSet optional;
        FeatureSet disable;
        FeatureSet forbid;
        if (hostShape) {
            // libvirt ignores the policy attribute of a host-shaped CPU: each feature is one the CPU has.
            force = optional = disable = forbid = FeatureSet.empty();
            require = catalog.expand(
                    model(Objects.requireNonNull(guest.model())).features(),
                    guest.features().stream().map(CpuFeature::name).toList(),
                    List.of(),
                    this::refuseUnknown);
        } else {
            // In the order libvirt builds them, so that the first unknown name is the one libvirt names.
            force = guestFeatures(guest, FeaturePolicy.FORCE, null);
            require = guestFeatures(
                    guest,
                    FeaturePolicy.REQUIRE,
                    guest.model() == null
                            ? FeatureSet.empty()
                            : model(guest.model()).features());
            optional = guestFeatures(guest, FeaturePolicy.OPTIONAL, null);
            disable = guestFeatures(guest, FeaturePolicy.DISABLE, null);
            forbid = guestFeatures(guest, FeaturePolicy.FORBID, null);
        }

        FeatureSet forbidden = forbid.intersection(host);
        if (!forbidden.isEmpty()) {
            List<String> names = catalog.featureNames(forbidden);
            return incompatible(
                    Cause.FORBIDDEN_FEATURES,
                    List.of(),
                    names,
                    List.of(),
                    "Host CPU provides forbidden features: " + String.join(", ", names),
                    capitalize(what) + " forbids " + plural(names, "feature") + " " + String.join(", ", names)
                            + ", which " + TARGET + " has: it cannot run there.");
        }
        FeatureSet required = require.minus(force).minus(optional).minus(disable);
        FeatureSet missing = required.minus(host);
        if (!missing.isEmpty()) {
            List<String> names = catalog.featureNames(missing);
            return incompatible(
                    Cause.MISSING_FEATURES,
                    names,
                    List.of(),
                    List.of(),
                    "Host CPU does not provide required features: " + String.join(", ", names),
                    capitalize(what) + " requires " + plural(names, "feature") + " that " + TARGET + " lacks: "
                            + String.join(", ", names) + ".");
        }
        FeatureSet extra = host.minus(optional).minus(required).minus(disable).minus(force);
        if (extra.isEmpty()) {
            return new Verdict(
                    Result.IDENTICAL,
                    List.of(),
                    List.of(),
                    capitalize(TARGET) + "'s CPU matches " + what + " exactly: it can run there.",
                    Cause.NONE,
                    List.of(),
                    null);
        }
        List<String> names = catalog.featureNames(extra);
        if (!hostShape && "strict".equals(guest.match())) {
            return incompatible(
                    Cause.EXTRA_FEATURES,
                    List.of(),
                    List.of(),
                    names,
                    "Host CPU does not strictly match guest CPU: Extra features: " + String.join(", ", names),
                    capitalize(what) + " has match='strict' and " + TARGET + " has " + plural(names, "feature")
                            + " it does not ask for: " + String.join(", ", names) + ".");
        }
        return new Verdict(
                Result.SUPERSET,
                List.of(),
                List.of(),
                capitalize(TARGET) + " has every feature " + what + " needs, and " + names.size()
                        + " more: it can run there.",
                Cause.NONE,
                names,
                null);
    }

    /** What libvirt's XML parser refuses before comparing. */
    private static void validate(CpuDefinition guest, boolean hostShape) {
        if (hostShape) {
            if (guest.match() != null) {
                throw invalid("'arch' element cannot be used inside 'cpu' element with 'match' attribute'");
            }
            if (guest.mode() != null) {
                throw invalid("Attribute mode is only allowed for guest CPU");
            }
            if (guest.model() == null) {
                throw invalid("Missing CPU model name");
            }
            return;
        }
        if (guest.model() == null) {
            if (guest.vendor() != null) {
                throw invalid("CPU vendor specified without CPU model");
            }
            if (!guest.features().isEmpty()
                    && (guest.mode() == null || guest.mode().equals("custom"))) {
                throw invalid("Non-empty feature list specified without CPU model");
            }
        }
    }

    private static MigrationCheckRefusedException invalid(String libvirtMessage) {
        return new MigrationCheckRefusedException(
                Reason.INVALID_DEFINITION, "libvirt refuses this CPU definition: " + libvirtMessage, libvirtMessage);
    }

    private FeatureSet guestFeatures(CpuDefinition guest, FeaturePolicy policy, @Nullable FeatureSet start) {
        FeatureSet.Builder b = start == null ? FeatureSet.builder() : start.toBuilder();
        for (CpuFeature f : guest.features()) {
            // a feature without a policy in a guest CPU is required (libvirt's default)
            FeaturePolicy p = f.policy() == null ? FeaturePolicy.REQUIRE : f.policy();
            if (p == policy) {
                b.add(feature(f.name()).index());
            }
        }
        return b.build();
    }

    private FeatureSet hostFeatures(CpuDescription host, String which) {
        try {
            return catalog.expand(
                    model(Objects.requireNonNull(host.model())).features(),
                    host.requiredFeatures(),
                    host.disabledFeatures(),
                    this::refuseUnknown);
        } catch (MigrationCheckRefusedException e) {
            throw new MigrationCheckRefusedException(e.reason(), which + ": " + e.getMessage(), e.libvirtMessage());
        }
    }

    private CpuModel model(String name) {
        return catalog.model(name)
                .orElseThrow(() -> new MigrationCheckRefusedException(
                        Reason.UNKNOWN_MODEL,
                        "CPU model '" + name + "' is not in the catalog (libvirt "
                                + catalog.info().libvirtVersion() + ")",
                        "Unknown CPU model " + name));
    }

    private FeatureDefinition feature(String name) {
        return catalog.feature(name).orElseThrow(() -> unknownFeature(name));
    }

    /** libvirt refuses a feature its map does not define, in a guest CPU or a host CPU alike. */
    private void refuseUnknown(String name) {
        throw unknownFeature(name);
    }

    private MigrationCheckRefusedException unknownFeature(String name) {
        return new MigrationCheckRefusedException(
                Reason.UNKNOWN_FEATURE,
                "CPU feature '" + name + "' is not in the catalog (libvirt "
                        + catalog.info().libvirtVersion() + ")",
                "Unknown CPU feature " + name);
    }

    private void requireX86(CpuDescription cpu, String which) {
        if (cpu.arch() != null && !catalog.supportsArch(cpu.arch())) {
            throw new MigrationCheckRefusedException(
                    Reason.UNSUPPORTED_ARCH,
                    "the " + which + " has architecture " + cpu.arch() + "; the catalog only covers x86 (x86_64, i686)",
                    null);
        }
    }

    private static Verdict unknownTarget() {
        return incompatible(
                Cause.UNKNOWN_HOST_CPU,
                List.of(),
                List.of(),
                List.of(),
                "unknown host CPU",
                "The target host reports no CPU model, so no guest CPU can be judged to run there.");
    }

    private static Verdict incompatible(
            Cause cause,
            List<String> missing,
            List<String> forbidden,
            List<String> extra,
            @Nullable String libvirtMessage,
            String reason) {
        return new Verdict(Result.INCOMPATIBLE, missing, forbidden, reason, cause, extra, libvirtMessage);
    }

    // ---- turning the other inputs into a libvirt <cpu> ---------------------------------------------------------

    private static CpuDefinition definition(GuestCpu guest) {
        return new CpuDefinition(
                null,
                guest.mode().libvirtName(),
                guest.mode() == GuestCpu.Mode.CUSTOM ? "exact" : null,
                guest.model(),
                null,
                guest.vendor(),
                null,
                null,
                null,
                guest.features());
    }

    private static Map<String, FeaturePolicy> policies(CpuDefinition guest) {
        Map<String, FeaturePolicy> out = new LinkedHashMap<>();
        guest.features().forEach(f -> out.put(f.name(), f.policy() == null ? FeaturePolicy.REQUIRE : f.policy()));
        return out;
    }

    /** {@code <cpu mode='custom' match='exact'>} of a described CPU, with policies written on top replacing its own. */
    private static CpuDefinition custom(CpuDescription cpu, Map<String, FeaturePolicy> overrides) {
        Objects.requireNonNull(cpu, "guest");
        Map<String, FeaturePolicy> features = new LinkedHashMap<>();
        cpu.requiredFeatures().forEach(n -> features.put(n, FeaturePolicy.REQUIRE));
        cpu.disabledFeatures().forEach(n -> features.put(n, FeaturePolicy.DISABLE));
        features.putAll(overrides);
        List<CpuFeature> list = new ArrayList<>();
        features.forEach((n, p) -> list.add(new CpuFeature(n, p)));
        return new CpuDefinition(null, "custom", "exact", cpu.model(), "forbid", cpu.vendor(), null, null, null, list);
    }

    private static String plural(List<String> names, String word) {
        return names.size() == 1 ? "a " + word : names.size() + " " + word + "s";
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
