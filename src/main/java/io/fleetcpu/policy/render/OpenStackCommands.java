package io.fleetcpu.policy.render;

import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.grouping.Grouping;
import io.fleetcpu.policy.grouping.MigrationDomain;
import io.fleetcpu.policy.guest.GuestCpu;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A grouping as the {@code openstack} commands that build it: one host aggregate per domain carrying its guest CPU
 * model, every host added to its aggregate, and a flavor line per domain that keeps instances of a flavor, hence their
 * migrations, inside the aggregate. The flavor line is a template: {@link PlacementTraits#FLAVOR_PLACEHOLDER} stands
 * for each of the operator's flavors. Lines starting with {@code #} are comments.
 *
 * <p>It relies on nova's {@code AggregateInstanceExtraSpecsFilter} (nova/scheduler/filters/
 * aggregate_instance_extra_specs.py): a host passes for a flavor when, for each extra spec
 * {@code aggregate_instance_extra_specs:<key>=<value>}, one of the host's aggregates has the property
 * {@code <key>=<value>}; a flavor with no extra specs passes every host. The filter is not among
 * {@code [filter_scheduler] enabled_filters}' defaults (nova/conf/scheduler.py).
 */
public final class OpenStackCommands {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:@%+=,/-]+");

    private OpenStackCommands() {}

    /**
     * A domain's guest CPU, as {@code recommended-cpu} answers it for an aggregate of exactly the domain's hosts, or why
     * no CPU fits them.
     */
    public record DomainCpu(
            @Nullable GuestCpu cpu,
            @Nullable String novaConf,
            @Nullable String refusal) {}

    /** @param cpus each domain's guest CPU, by index as {@code grouping.domains()} */
    public static String render(Grouping grouping, List<DomainCpu> cpus) {
        if (cpus.size() != grouping.domains().size()) {
            throw new IllegalArgumentException(
                    cpus.size() + " CPUs for " + grouping.domains().size() + " domains");
        }
        StringBuilder out = new StringBuilder(
                64 * (grouping.cost().groupedHosts() + 8 * grouping.domains().size()));
        out.append("# fleetcpu migration domains, strategy ")
                .append(grouping.strategy().operatorName());
        if (grouping.minimum() != null) {
            out.append(", minimum ").append(grouping.minimum());
        }
        out.append(", catalog ")
                .append(grouping.catalog().source())
                .append(" (libvirt ")
                .append(grouping.catalog().libvirtVersion())
                .append(")\n");
        out.append(
                "# needs nova's AggregateInstanceExtraSpecsFilter in [filter_scheduler] enabled_filters (not among its "
                        + "defaults): it schedules a flavor with extra spec aggregate_instance_extra_specs:cpu_model=<model> "
                        + "only to hosts of an aggregate with property cpu_model=<model> (and likewise fleetcpu_domain)\n");
        out.append("# flavor lines are templates: ")
                .append(PlacementTraits.FLAVOR_PLACEHOLDER)
                .append(" is a placeholder for each of your flavors whose instances belong in that domain; a flavor "
                        + "without these extra specs may land on any host, outside every domain\n");
        int n = 0;
        for (MigrationDomain d : grouping.domains()) {
            DomainCpu domainCpu = cpus.get(n);
            n++;
            GuestCpu cpu = domainCpu.cpu();
            String model = cpu == null ? d.model() : name(cpu);
            String aggregate = aggregateName(n, model);
            out.append('\n');
            out.append("# domain ")
                    .append(n)
                    .append(": ")
                    .append(d.hosts().size())
                    .append(" hosts, guest CPU ");
            if (cpu == null) {
                out.append("none: ").append(String.valueOf(domainCpu.refusal()).replace('\n', ' '));
            } else {
                out.append(model);
                cpu.features()
                        .forEach(f -> out.append(f.policy() == FeaturePolicy.DISABLE ? " -" : " +")
                                .append(f.name()));
            }
            out.append("; ")
                    .append(d.score())
                    .append(" features kept, ")
                    .append(d.featuresGivenUp().size())
                    .append(" given up");
            if (!d.featuresGivenUp().isEmpty()) {
                out.append(" (").append(String.join(" ", d.featuresGivenUp())).append(')');
            }
            if (!d.meetsMinimum()) {
                out.append("; BELOW the minimum ").append(grouping.minimum());
            }
            out.append('\n');
            if (domainCpu.novaConf() != null) {
                // the section format=nova-conf writes for an aggregate of exactly these hosts, flags with their
                // policies
                out.append("# nova.conf on these hosts (format=nova-conf of an aggregate of exactly them):\n");
                domainCpu
                        .novaConf()
                        .lines()
                        .forEach(line -> out.append("#   ").append(line).append('\n'));
            }
            out.append("openstack aggregate create ").append(aggregate).append('\n');
            out.append("openstack aggregate set --property cpu_model=")
                    .append(quote(model))
                    .append(" --property fleetcpu_domain=")
                    .append(aggregate)
                    .append(' ')
                    .append(aggregate)
                    .append('\n');
            for (String host : d.hosts()) {
                out.append("openstack aggregate add host ")
                        .append(aggregate)
                        .append(' ')
                        .append(quote(host))
                        .append('\n');
            }
            out.append("openstack flavor set --property aggregate_instance_extra_specs:cpu_model=")
                    .append(quote(model))
                    .append(" --property aggregate_instance_extra_specs:fleetcpu_domain=")
                    .append(aggregate)
                    .append(' ')
                    .append(PlacementTraits.FLAVOR_PLACEHOLDER)
                    .append('\n');
        }
        if (!grouping.ungrouped().isEmpty()) {
            out.append("\n# not grouped:\n");
            grouping.ungrouped()
                    .forEach(u -> out.append("#   ")
                            .append(u.host().replace('\n', ' '))
                            .append(": ")
                            .append(u.reason())
                            .append(" - ")
                            .append(String.valueOf(u.message()).replace('\n', ' '))
                            .append('\n'));
        }
        return out.toString();
    }

    /** The model a guest CPU names, or its mode for the host modes. */
    public static String name(GuestCpu cpu) {
        return cpu.mode() == GuestCpu.Mode.CUSTOM
                ? Objects.requireNonNull(cpu.model())
                : cpu.mode().libvirtName();
    }

    /** {@code fleetcpu-<n>-<model>}, lower-case with dashes. */
    public static String aggregateName(int domainNumber, String model) {
        return "fleetcpu-" + domainNumber + "-" + slug(model);
    }

    /** Lower-case letters, digits and single dashes, no dash at either end. */
    static String slug(String s) {
        String slug = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "cpu" : slug;
    }

    /** A shell word: as is when safe, else single-quoted. */
    static String quote(String word) {
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
