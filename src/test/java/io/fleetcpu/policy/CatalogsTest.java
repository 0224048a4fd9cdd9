package io.fleetcpu.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.catalog.BundledMap;
import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.catalog.FeatureDefinition;
import io.fleetcpu.catalog.HostOnlyFeatures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which catalog a host's libvirt gets, and what libvirt 9.0's and 11.3's maps have in common, read from the maps. */
class CatalogsTest {

    private static final CpuCatalog V9 = CpuCatalog.bundled(BundledMap.LIBVIRT_9_0);
    private static final CpuCatalog V11 = CpuCatalog.bundled(BundledMap.LIBVIRT_11_3);
    private static final CpuCatalog V12 = CpuCatalog.bundled(BundledMap.LIBVIRT_12_8);

    @Test
    void everyFeatureOfLibvirt90sMapIsInLibvirt113sWithTheSameBits() {
        List<String> differ = new ArrayList<>();
        for (FeatureDefinition f : V9.features()) {
            var other = V11.feature(f.name());
            if (other.isEmpty()
                    || !other.get().bits().equals(f.bits())
                    || other.get().migratable() != f.migratable()) {
                differ.add(f.name());
            }
        }
        assertThat(differ).isEmpty();
        assertThat(V11.features().size()).isGreaterThan(V9.features().size());
    }

    /**
     * Not a subset: libvirt 11.3 marks mpx {@code removed='yes'} in the Skylake, Cascadelake and Icelake-Server
     * models (QEMU dropped MPX), so on the features both know, these ten models differ; no other model does.
     */
    @Test
    void libvirt113DefinesTenModelsWithoutMpxAndOtherwiseEveryModelOf90Alike() {
        List<String> differ = new ArrayList<>();
        for (CpuModel m : V9.models()) {
            CpuModel other = V11.model(m.name()).orElseThrow(() -> new AssertionError(m.name() + " not in 11.3"));
            Set<String> nine = new HashSet<>(V9.featureNames(m.features()));
            Set<String> eleven = new HashSet<>(V11.featureNames(other.features()));
            eleven.retainAll(V9.features().stream().map(FeatureDefinition::name).toList());
            if (!nine.equals(eleven)) {
                Set<String> only9 = new HashSet<>(nine);
                only9.removeAll(eleven);
                Set<String> only11 = new HashSet<>(eleven);
                only11.removeAll(nine);
                assertThat(only9).as(m.name()).containsExactly("mpx");
                assertThat(only11).as(m.name()).isEmpty();
                differ.add(m.name());
            }
        }
        assertThat(differ)
                .containsExactlyInAnyOrder(
                        "Skylake-Client",
                        "Skylake-Client-IBRS",
                        "Skylake-Client-noTSX-IBRS",
                        "Skylake-Server",
                        "Skylake-Server-IBRS",
                        "Skylake-Server-noTSX-IBRS",
                        "Cascadelake-Server",
                        "Cascadelake-Server-noTSX",
                        "Icelake-Server",
                        "Icelake-Server-noTSX");
    }

    /**
     * The common part keeps, for each model, what either map asks of a host (a guest naming the model must start on
     * hosts of both libvirt versions): with mpx only taken away by 11.3, that is libvirt 9.0's map exactly, and the
     * common part is that map itself, with its name and verification.
     */
    @Test
    void theCommonPartOf90And113IsLibvirt90sMap() {
        CpuCatalog common = V9.commonPart(V11);
        assertThat(common).isSameAs(V9);
        assertThat(V11.commonPart(V9).sameDefinitions(V9)).isFalse(); // in 11.3's feature order ...
        assertThat(V11.commonPart(V9).features()).hasSameSizeAs(V9.features()); // ... the same features
        Catalogs catalogs = Catalogs.bundled(V9, HostOnlyFeatures.bundled());
        assertThat(catalogs.common(List.of("libvirt 11.3", "libvirt 9.0"))).isSameAs(V9);
        assertThat(catalogs.common(List.of("libvirt 11.3"))).isSameAs(V11);
        assertThat(catalogs.common(List.of("libvirt 9.0"))).isSameAs(V9);
        assertThat(V9.info().verifiedAgainstLibvirt()).isTrue();
    }

    /**
     * libvirt 12.8's map defines every feature of 11.3's and every model of 11.3's with the same features, except that
     * it moved the bits of the vmx-* capabilities read from the VMX MSRs (11.3 puts the allowed-1 bits in eax, 12.8 in
     * edx: {@code vmx-ept} is MSR 0x48b eax 0x2 in one and edx 0x2 in the other). The common part of the two leaves
     * those out, so it is neither map, and an aggregate of libvirt 11 and 12 hosts offers no vmx-* capability.
     */
    @Test
    void theCommonPartOf113And128Is113sMapWithoutTheVmxCapabilitiesWhoseBitsMoved() {
        List<String> moved = new ArrayList<>();
        for (FeatureDefinition f : V11.features()) {
            FeatureDefinition o = V12.feature(f.name()).orElseThrow(() -> new AssertionError(f.name()));
            if (!o.bits().equals(f.bits()) || o.migratable() != f.migratable()) {
                moved.add(f.name());
            }
        }
        assertThat(moved).isNotEmpty().allMatch(name -> name.startsWith("vmx-"));
        for (CpuModel m : V11.models()) {
            CpuModel o = V12.model(m.name()).orElseThrow(() -> new AssertionError(m.name()));
            assertThat(new HashSet<>(V12.featureNames(o.features())))
                    .as(m.name())
                    .isEqualTo(new HashSet<>(V11.featureNames(m.features())));
        }
        CpuCatalog common =
                Catalogs.bundled(V9, HostOnlyFeatures.bundled()).common(List.of("libvirt 12.8", "libvirt 11.3"));
        assertThat(common.name()).isEqualTo("libvirt 11.3 ∩ libvirt 12.8");
        assertThat(common.info().verifiedAgainstLibvirt()).isFalse();
        assertThat(common.features()).hasSize(V11.features().size() - moved.size());
        assertThat(common.models()).hasSameSizeAs(V11.models());
        assertThat(Catalogs.bundled(V9, HostOnlyFeatures.bundled()).common(List.of("libvirt 12.8", "libvirt 9.0")))
                .as("9.0's map is in 12.8's alike, as in 11.3's")
                .isSameAs(V9);
    }

    @Test
    void aHostIsReadWithTheMapOfItsLibvirtsMajorVersion() {
        Catalogs catalogs = Catalogs.bundled(V9, HostOnlyFeatures.bundled());
        assertThat(catalogs.forLibvirt("9.0.0")).isSameAs(V9);
        assertThat(catalogs.forLibvirt("9.9.0")).isSameAs(V9);
        assertThat(catalogs.forLibvirt("10.0.0")).isSameAs(V11);
        assertThat(catalogs.forLibvirt("11.3.0")).isSameAs(V11);
        assertThat(catalogs.forLibvirt("11.10.0")).isSameAs(V11);
        assertThat(catalogs.forLibvirt("12.1.0")).isSameAs(V12);
        assertThat(catalogs.forLibvirt("12.8.0")).isSameAs(V12);
        assertThat(catalogs.forLibvirt("13.0.0"))
                .as("newer than every map: the newest")
                .isSameAs(V12);
        assertThat(catalogs.forLibvirt("8.0.0")).isSameAs(V9);
        assertThat(catalogs.forLibvirt(null)).isSameAs(V9);
        assertThat(catalogs.forLibvirt("unknown")).isSameAs(V9);
        Catalogs newerDefault = Catalogs.bundled(V11, HostOnlyFeatures.bundled());
        assertThat(newerDefault.forLibvirt(null)).isSameAs(V11);
        assertThat(newerDefault.forLibvirt("7.0.0")).isSameAs(V11);
        assertThat(newerDefault.forLibvirt("9.0.0")).isSameAs(V9);
    }

    @Test
    void oneConfiguredMapReadsEveryHost() {
        Catalogs only = Catalogs.only(V11, HostOnlyFeatures.bundled());
        assertThat(only.forLibvirt("9.0.0")).isSameAs(V11);
        assertThat(only.named("libvirt 9.0")).isSameAs(V11);
        assertThat(only.common(List.of("libvirt 9.0", "libvirt 11.3"))).isSameAs(V11);
        // kinds stored under a directory map's name, read once the bundled maps are back: the configured one
        assertThat(Catalogs.bundled(V9, HostOnlyFeatures.bundled()).named("libvirt 10.1"))
                .isSameAs(V9);
    }

    @Test
    void featureSetsOfTwoCatalogsAreNeverMixed() {
        var nine = V9.featureSet(List.of("sse2", "avx2"));
        var eleven = V11.featureSet(List.of("sse2", "avx2"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> nine.union(eleven))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two catalogs");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> V11.featureNames(nine))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> V9.model("Haswell").orElseThrow().features().containsAll(eleven))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(V9.featureNames(nine.union(V9.model("Haswell").orElseThrow().features())))
                .contains("avx2");
    }

    /**
     * The engine's one front door: each catalog's engine is built once and its parts read CPUs with that catalog; an
     * answer for hosts of two libvirts gets the engine of their maps' common part; the obsolete models configured
     * reach the recommender (two Atoms: libvirt's own baseline n270 only without the list).
     */
    @Test
    void eachCatalogHasOneEngineAndTheConfiguredObsoleteModelsReachIt() {
        Catalogs catalogs = Catalogs.bundled(V9, HostOnlyFeatures.bundled());
        CpuEngine engine = catalogs.engine(V11);
        assertThat(catalogs.engine(V11)).isSameAs(engine);
        assertThat(List.of(
                        engine.calculator().catalog(), engine.migrationCheck().catalog(), engine.catalog()))
                .allSatisfy(c -> assertThat(c).isSameAs(V11));
        assertThat(catalogs.visibility(V11)).isSameAs(engine.visibility());
        assertThat(catalogs.levels(V11)).isSameAs(engine.levels());
        assertThat(catalogs.engineFor(List.of(V9.name(), V11.name())))
                .isSameAs(catalogs.engine(catalogs.common(List.of(V9.name(), V11.name()))));

        List<PolicyHost> atoms = PolicyHosts.all(
                PolicyHosts.host("d510", PolicyHosts.DIR_9_9 + "Atom-D510-host.xml"),
                PolicyHosts.host("n450", PolicyHosts.DIR_9_9 + "Atom-N450-host.xml"));
        assertThat(catalogs.engine(V9)
                        .recommender()
                        .recommend(atoms, CpuPolicy.DEFAULT, false)
                        .cpu()
                        .model())
                .isEqualTo("Conroe");
        assertThat(catalogs.withObsoleteModels(List.of())
                        .engine(V9)
                        .recommender()
                        .recommend(atoms, CpuPolicy.DEFAULT, false)
                        .cpu()
                        .model())
                .isEqualTo("n270");
    }
}
