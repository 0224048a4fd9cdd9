package io.fleetcpu.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.HostOnlyFeatures;
import io.fleetcpu.policy.CpuPolicy.Goal;
import io.fleetcpu.policy.CpuPolicy.Nested;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.guest.GuestCpu;
import io.fleetcpu.policy.guest.GuestVisibility;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Guests without nested virtualisation under libvirt 11.3's map: vmx is disabled, and a vmx-* capability is written
 * out only when the model itself has it. Expected values from the map's files: x86_Skylake-Server.xml lists its 72
 * vmx-* with {@code added='yes'} (not part of the model for libvirt), x86_GraniteRapids.xml lists 75 vmx-* as its
 * own features.
 */
class VmxCapabilitiesTest {

    private static final CpuCatalog CATALOG = CpuCatalog.bundled(BundledMap.LIBVIRT_11_3);
    private final PolicyRecommender recommender =
            new PolicyRecommender(CATALOG, new GuestVisibility(CATALOG, HostOnlyFeatures.bundled()), Set.of());

    private static final CpuPolicy NESTED_OFF = CpuPolicy.of(Goal.MIGRATION, Nested.OFF);

    private static PolicyHost host(String name, String model, List<String> features) {
        return new PolicyHost(
                name,
                CpuDescription.host("x86_64", "Intel", model, features),
                null,
                null,
                null,
                NestedState.DISABLED,
                null,
                null,
                List.of());
    }

    private static List<String> policies(GuestCpu cpu) {
        return cpu.features().stream()
                .map(f -> f.policy().libvirtName() + ":" + f.name())
                .toList();
    }

    @Test
    void vmxCapabilitiesAHostListsBesideItsModelAreNotWrittenOut() {
        // A libvirt 11.x host CPU lists the vmx-* it has beside the model (they are not part of Skylake-Server).
        List<String> listed = List.of("vmx", "pku", "vmx-ept", "vmx-vpid", "vmx-unrestricted-guest", "vmx-invvpid");
        PolicyRecommendation answer = recommender.recommend(
                List.of(host("a", "Skylake-Server", listed), host("b", "Skylake-Server", listed)), NESTED_OFF, false);

        assertThat(answer.cpu().model()).isEqualTo("Skylake-Server");
        assertThat(policies(answer.cpu())).contains("disable:vmx").noneMatch(p -> p.contains("vmx-"));
        assertThat(answer.explanations()).anySatisfy(e -> assertThat(e).contains("guests do not get vmx"));
        // expanded (every feature listed): still none of them, neither required nor disabled
        PolicyRecommendation expanded = recommender.recommend(
                List.of(host("a", "Skylake-Server", listed), host("b", "Skylake-Server", listed)), NESTED_OFF, true);
        assertThat(policies(expanded.cpu())).contains("disable:vmx").noneMatch(p -> p.contains("vmx-"));
    }

    @Test
    void vmxCapabilitiesOfTheModelItselfStayDisabled() {
        List<String> vmx = List.of("vmx");
        PolicyRecommendation answer = recommender.recommend(
                List.of(host("a", "GraniteRapids", vmx), host("b", "GraniteRapids", vmx)), NESTED_OFF, false);

        assertThat(answer.cpu().model()).isEqualTo("GraniteRapids");
        List<String> disabledVmx = policies(answer.cpu()).stream()
                .filter(p -> p.startsWith("disable:vmx-"))
                .toList();
        assertThat(disabledVmx).hasSize(75).contains("disable:vmx-ept", "disable:vmx-invvpid");
        assertThat(policies(answer.cpu())).contains("disable:vmx");
    }
}
