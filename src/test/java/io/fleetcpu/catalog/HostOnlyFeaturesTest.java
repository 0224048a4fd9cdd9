package io.fleetcpu.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.baseline.BaselineCalculator;
import io.fleetcpu.policy.baseline.CpuDescription;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The list of features KVM never gives guests, checked against what real hypervisors said they give. */
class HostOnlyFeaturesTest {

    private static final CpuCatalog CATALOG = CpuCatalog.bundled();
    private static final HostOnlyFeatures HOST_ONLY = HostOnlyFeatures.bundled();
    private static final List<String> DOMCAPS = List.of(
            "qemu_4.2.0-q35.x86_64.xml",
            "qemu_5.0.0-q35.x86_64.xml",
            "qemu_6.2.0-q35.x86_64.xml",
            "qemu_7.2.0-q35.x86_64.xml",
            "qemu_8.2.0-q35.x86_64.xml");

    @Test
    void everyListedFeatureIsOneTheCatalogKnowsWithAReason() {
        assertThat(HOST_ONLY.names()).hasSizeGreaterThan(20).contains("ds", "acpi", "monitor", "cmt", "ibs", "osxsave");
        assertThat(HOST_ONLY.in(CATALOG).size()).isEqualTo(HOST_ONLY.names().size());
        HOST_ONLY
                .names()
                .forEach(f -> assertThat(HOST_ONLY.why(f))
                        .as(f)
                        .hasValueSatisfying(w -> assertThat(w).isNotBlank()));
        // vmx and svm are the nested-virtualisation policy's to decide, never host-only.
        assertThat(HOST_ONLY.names()).doesNotContain("vmx", "svm", "invtsc");
    }

    /** The host-model CPU of a real hypervisor is what guests get there: none of the listed features is in it. */
    @Test
    void noRealHypervisorsHostModelHasAListedFeature() throws IOException {
        BaselineCalculator calculator = new BaselineCalculator(CATALOG);
        for (String file : DOMCAPS) {
            CpuDefinition hostModel =
                    DomainCapabilities.parse(read("cpudata/domcaps/" + file)).hostModel();
            // QEMU 8.2's host-model names features newer than the bundled catalog; they are not on the list either.
            assertThat(hostModel.requiredFeatureNames()).doesNotContainAnyElementsOf(HOST_ONLY.names());
            Set<String> given = new TreeSet<>(CATALOG.featureNames(calculator.expand(new CpuDescription(
                    "x86_64",
                    hostModel.vendor(),
                    hostModel.model(),
                    known(hostModel.requiredFeatureNames()),
                    known(hostModel.disabledFeatureNames())))));
            assertThat(given)
                    .as("host-model of %s", file)
                    .hasSizeGreaterThan(40)
                    .doesNotContainAnyElementsOf(HOST_ONLY.names());
        }
    }

    /** No dead entry: every listed feature is one some real physical CPU of the fixtures has. */
    @Test
    void everyListedFeatureIsOnSomeRealHost() {
        Set<String> seen = new TreeSet<>();
        CpuFixtures.all().stream()
                .filter(f -> f.kind().equals("host"))
                .forEach(f -> seen.addAll(f.cpu().requiredFeatures()));
        Set<String> missing = new TreeSet<>(HOST_ONLY.names());
        missing.removeAll(seen);
        // Listed from KVM's source although no captured CPU has them (Pentium III serial number, VIA/Cyrix ids).
        assertThat(missing).isSubsetOf("pn", "cid", "lwp", "intel-pt", "dca", "smx");
    }

    private static List<String> known(List<String> features) {
        return features.stream().filter(f -> CATALOG.feature(f).isPresent()).toList();
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = HostOnlyFeaturesTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
