package io.fleetcpu.policy.grouping;

import io.fleetcpu.policy.baseline.Baseline;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Hosts between which any guest started with the domain's guest CPU can live-migrate: the guest CPU is libvirt's
 * baseline of exactly these hosts ({@code BaselineCalculator.baseline(hosts, false, false)}), so it runs on each.
 *
 * @param hosts            host names in input order
 * @param model            the guest CPU's named model
 * @param vendor           its vendor, null when some host did not name one
 * @param extraFeatures    features required on top of the model
 * @param disabledFeatures features of the model the guest must not get
 * @param featuresGivenUp  the union of the hosts' features minus the guest CPU's, in catalog order
 * @param score            features the guest CPU keeps (its feature count): higher is better
 * @param meetsMinimum     the guest CPU has every feature of the minimum model (true when none was asked)
 * @param kinds            per kind of CPU in the domain, what it gives up; most hosts first
 * @param guestCpu         the baseline itself ({@link Baseline#toLibvirtXml()} for the domain XML)
 */
public record MigrationDomain(
        List<String> hosts,
        String model,
        @Nullable String vendor,
        List<String> extraFeatures,
        List<String> disabledFeatures,
        List<String> featuresGivenUp,
        int score,
        boolean meetsMinimum,
        List<KindCost> kinds,
        Baseline guestCpu) {

    public MigrationDomain {
        hosts = List.copyOf(hosts);
        extraFeatures = List.copyOf(extraFeatures);
        disabledFeatures = List.copyOf(disabledFeatures);
        featuresGivenUp = List.copyOf(featuresGivenUp);
        kinds = List.copyOf(kinds);
    }

    /** The same domain with these hosts, e.g. the host names of the kinds it was computed from. */
    public MigrationDomain withHosts(List<String> hosts) {
        return new MigrationDomain(
                hosts,
                model,
                vendor,
                extraFeatures,
                disabledFeatures,
                featuresGivenUp,
                score,
                meetsMinimum,
                kinds,
                guestCpu);
    }

    /** Sum over the domain's hosts of the features each gives up. */
    public long hostFeaturesGivenUp() {
        return kinds.stream()
                .mapToLong(k -> (long) k.hosts() * k.featuresGivenUp().size())
                .sum();
    }
}
