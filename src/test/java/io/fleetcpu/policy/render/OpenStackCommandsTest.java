package io.fleetcpu.policy.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.baseline.NamedCpu;
import io.fleetcpu.policy.grouping.Fleets;
import io.fleetcpu.policy.grouping.Grouping;
import io.fleetcpu.policy.grouping.MigrationDomain;
import io.fleetcpu.policy.grouping.MigrationDomains;
import io.fleetcpu.policy.grouping.Strategy;
import io.fleetcpu.policy.guest.GuestCpu;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class OpenStackCommandsTest {

    private static final CpuCatalog CATALOG = CpuCatalog.bundled();
    private static final List<CpuDescription> CPUS = Fleets.realCpusWithMicrocodeVariants(CATALOG);
    private final MigrationDomains engine = new MigrationDomains(CATALOG);
    private final CpuConfigRenderer renderer = new CpuConfigRenderer(CATALOG);

    /** Each domain's CPU as the service passes it: here the grouping's own model and features, rendered for nova. */
    private List<OpenStackCommands.DomainCpu> cpus(Grouping grouping) {
        return grouping.domains().stream()
                .map(d -> {
                    List<CpuFeature> features = new ArrayList<>();
                    d.extraFeatures().forEach(f -> features.add(new CpuFeature(f, FeaturePolicy.REQUIRE)));
                    d.disabledFeatures().forEach(f -> features.add(new CpuFeature(f, FeaturePolicy.DISABLE)));
                    GuestCpu cpu = GuestCpu.custom(d.model(), d.vendor(), false, features);
                    return new OpenStackCommands.DomainCpu(
                            cpu, renderer.novaConf(cpu).text(), null);
                })
                .toList();
    }

    /** Shell words of a line, honouring the single quotes the renderer uses. */
    private static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        boolean escaped = false;
        for (char c : line.toCharArray()) {
            if (escaped) {
                w.append(c);
                escaped = false;
            } else if (c == '\\' && !quoted) {
                escaped = true;
                any = true;
            } else if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(w.toString());
        }
        return out;
    }

    private static List<List<String>> commands(String script) {
        return script.lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(OpenStackCommandsTest::words)
                .toList();
    }

    @Property(tries = 60)
    void everyGroupedHostIsAddedToExactlyOneAggregate(@ForAll Strategy strategy, @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<NamedCpu> hosts = new ArrayList<>();
        int n = 1 + random.nextInt(80);
        for (int i = 0; i < n; i++) {
            hosts.add(new NamedCpu("compute-" + i + ".rack" + random.nextInt(4), CPUS.get(random.nextInt(12))));
        }
        hosts.add(new NamedCpu("odd host's name", CPUS.get(0)));
        hosts.add(new NamedCpu("arm-1", CpuDescription.host("aarch64", null, "cortex-a57", List.of())));
        Grouping g = engine.group(hosts, strategy, random.nextBoolean() ? null : "Westmere");

        List<OpenStackCommands.DomainCpu> cpus = cpus(g);
        String script = OpenStackCommands.render(g, cpus);
        Map<String, String> aggregateOfHost = new HashMap<>();
        Map<String, String> modelOfAggregate = new HashMap<>();
        List<String> created = new ArrayList<>();
        List<String> flavors = new ArrayList<>();
        for (List<String> c : commands(script)) {
            assertThat(c.get(0)).isEqualTo("openstack");
            String what = c.get(1) + " " + c.get(2);
            switch (what) {
                case "aggregate create" -> {
                    assertThat(c).hasSize(4);
                    created.add(c.get(3));
                }
                case "aggregate set" -> {
                    assertThat(c.get(3)).isEqualTo("--property");
                    assertThat(c.get(4)).startsWith("cpu_model=");
                    modelOfAggregate.put(c.get(c.size() - 1), c.get(4).substring("cpu_model=".length()));
                }
                case "aggregate add" -> {
                    assertThat(c).hasSize(6);
                    assertThat(c.get(3)).isEqualTo("host");
                    assertThat(created).contains(c.get(4));
                    assertThat(aggregateOfHost.put(c.get(5), c.get(4)))
                            .as("added twice: " + c.get(5))
                            .isNull();
                }
                case "flavor set" -> {
                    assertThat(c.get(4)).startsWith("aggregate_instance_extra_specs:cpu_model=");
                    flavors.add(c.get(c.size() - 1));
                }
                default -> throw new AssertionError("unexpected command " + c);
            }
        }
        List<String> grouped =
                g.domains().stream().flatMap(d -> d.hosts().stream()).toList();
        assertThat(aggregateOfHost.keySet()).containsExactlyInAnyOrderElementsOf(grouped);
        assertThat(aggregateOfHost).doesNotContainKey("arm-1").containsKey("odd host's name");
        assertThat(script).contains("#   arm-1: UNSUPPORTED_ARCH");
        assertThat(created)
                .hasSize(g.domains().size())
                .doesNotHaveDuplicates()
                .allMatch(a -> a.matches("fleetcpu-[0-9]+-[a-z0-9]+(-[a-z0-9]+)*"));
        assertThat(flavors).hasSize(g.domains().size()).allMatch(f -> f.equals("FLAVOR"));
        for (int i = 0; i < g.domains().size(); i++) {
            MigrationDomain d = g.domains().get(i);
            String aggregate = created.get(i);
            assertThat(modelOfAggregate.get(aggregate)).isEqualTo(d.model());
            // the domain's nova.conf, every line of it, and every disabled flag with its '-'
            String novaConf = cpus.get(i).novaConf();
            assertThat(script)
                    .contains(novaConf.lines().map(l -> "#   " + l + "\n").reduce("", String::concat));
            d.disabledFeatures().forEach(f -> assertThat(novaConf).contains("-" + f));
            d.hosts().forEach(h -> assertThat(aggregateOfHost.get(h)).isEqualTo(aggregate));
        }
    }

    @Test
    void namesAreLowerCaseWithDashes() {
        assertThat(OpenStackCommands.aggregateName(3, "Haswell-noTSX-IBRS")).isEqualTo("fleetcpu-3-haswell-notsx-ibrs");
        assertThat(OpenStackCommands.aggregateName(1, "Opteron_G5")).isEqualTo("fleetcpu-1-opteron-g5");
        assertThat(OpenStackCommands.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(words("a 'it'\\''s' b")).containsExactly("a", "it's", "b");
    }

    @Test
    void aSmallFleetReadsAsAnOperatorWouldWriteIt() {
        String dir = "libvirt-9.9.0/x86_64-cpuid-";
        List<NamedCpu> hosts = List.of(
                new NamedCpu(
                        "cmp1",
                        CpuFixtures.get(dir + "Xeon-E5-2630-v3-host.xml").cpu()),
                new NamedCpu(
                        "cmp2",
                        CpuFixtures.get(dir + "Xeon-E5-2630-v4-host.xml").cpu()));
        Grouping grouping = engine.group(hosts, Strategy.MIN_DOMAINS, null);
        String script = OpenStackCommands.render(grouping, cpus(grouping));
        assertThat(script).contains("""
                openstack aggregate create fleetcpu-1-haswell-notsx
                openstack aggregate set --property cpu_model=Haswell-noTSX --property fleetcpu_domain=fleetcpu-1-haswell-notsx fleetcpu-1-haswell-notsx
                openstack aggregate add host fleetcpu-1-haswell-notsx cmp1
                openstack aggregate add host fleetcpu-1-haswell-notsx cmp2
                openstack flavor set --property aggregate_instance_extra_specs:cpu_model=Haswell-noTSX --property aggregate_instance_extra_specs:fleetcpu_domain=fleetcpu-1-haswell-notsx FLAVOR
                """);
        // The flavor lines work only with nova's AggregateInstanceExtraSpecsFilter enabled, which is not a default
        // (nova/conf/scheduler.py enabled_filters); the script says so before any command, and that FLAVOR is a
        // placeholder: fleetcpu knows no flavor, and none is named after a domain.
        String head = script.substring(0, script.indexOf("\nopenstack "));
        assertThat(head)
                .contains(
                        "# needs nova's AggregateInstanceExtraSpecsFilter in [filter_scheduler] enabled_filters",
                        "extra spec aggregate_instance_extra_specs:cpu_model=<model>",
                        "FLAVOR is a placeholder");
        assertThat(script.lines().filter(l -> l.startsWith("openstack flavor set")))
                .allMatch(l -> l.endsWith(" FLAVOR"));
    }

    @Test
    void aDomainNoCpuFitsSaysWhyAndStillNamesItsHosts() {
        List<NamedCpu> hosts = List.of(new NamedCpu(
                "cmp1",
                CpuFixtures.get("libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml")
                        .cpu()));
        Grouping grouping = engine.group(hosts, Strategy.MIN_DOMAINS, null);
        String script = OpenStackCommands.render(
                grouping, List.of(new OpenStackCommands.DomainCpu(null, null, "no CPU model\nfits every host")));
        assertThat(script)
                .contains("# domain 1: 1 hosts, guest CPU none: no CPU model fits every host;")
                .contains("openstack aggregate add host fleetcpu-1-")
                .doesNotContain("# nova.conf on these hosts");
    }

    @Test
    void eachDomainNeedsItsCpu() {
        Grouping grouping = engine.group(List.of(new NamedCpu("cmp1", CPUS.get(0))), Strategy.MIN_DOMAINS, null);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> OpenStackCommands.render(grouping, List.of()))
                .withMessage("0 CPUs for 1 domains");
    }
}
