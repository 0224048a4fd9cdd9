package io.fleetcpu.policy;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.grouping.MigrationDomains;
import io.fleetcpu.policy.guest.GuestLevels;
import io.fleetcpu.policy.guest.GuestVisibility;
import io.fleetcpu.policy.migration.MigrationCheck;
import io.fleetcpu.policy.render.CpuConfigRenderer;
import java.util.Set;

/**
 * Everything fleetcpu computes with one CPU catalog, built once per catalog by {@link Catalogs#engine} (the one
 * front door: nothing else puts these parts together): libvirt's baseline and expansion ({@code calculator}), what
 * guests get of a host ({@code visibility}, {@code levels}), the recommended CPU ({@code recommender}), the migration
 * domains ({@code domains}) and checks ({@code migrationCheck}), and the consumers' languages ({@code renderer}). All
 * share one calculator, so a CPU read by one part is read alike by every other.
 */
public record CpuEngine(
        CpuCatalog catalog,
        BaselineCalculator calculator,
        GuestVisibility visibility,
        GuestLevels levels,
        PolicyRecommender recommender,
        MigrationDomains domains,
        MigrationCheck migrationCheck,
        CpuConfigRenderer renderer) {

    /** @param obsoleteModels models never recommended unless pinned ({@link PolicyRecommender#OBSOLETE_MODELS}) */
    static CpuEngine of(CpuCatalog catalog, HostOnlyFeatures hostOnly, Set<String> obsoleteModels) {
        BaselineCalculator calculator = new BaselineCalculator(catalog);
        GuestVisibility visibility = new GuestVisibility(catalog, hostOnly);
        return new CpuEngine(
                catalog,
                calculator,
                visibility,
                new GuestLevels(calculator, visibility),
                new PolicyRecommender(calculator, visibility, obsoleteModels),
                new MigrationDomains(calculator),
                new MigrationCheck(catalog),
                new CpuConfigRenderer(catalog));
    }
}
