package io.fleetcpu.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetcpu.libvirtxml.MalformedXmlException;
import io.fleetcpu.libvirtxml.SecureXml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuCatalogTest {

    private final CpuCatalog catalog = CpuCatalog.bundled();

    @Test
    void loadsTheX86ModelsOfLibvirt9() {
        assertEquals(58, catalog.models().size());
        assertEquals("486", catalog.models().get(0).name());
        assertEquals("Dhyana", catalog.models().get(catalog.models().size() - 1).name());
        assertEquals(List.of("Intel", "AMD", "Hygon"), catalog.vendors());
        assertEquals("9.0.0", catalog.info().libvirtVersion());
        assertTrue(catalog.info().source().contains("9.0.0-4+deb12u2"));
        assertTrue(catalog.info().verifiedAgainstLibvirt());
        assertTrue(catalog.supportsArch("x86_64") && catalog.supportsArch("i686"));
        assertFalse(catalog.supportsArch("aarch64"));
        for (int i = 0; i < catalog.models().size(); i++) {
            assertEquals(i, catalog.models().get(i).position());
        }
    }

    @Test
    void haswellNoTsxIsIntelWithoutTsx() {
        CpuModel m = catalog.model("Haswell-noTSX").orElseThrow();
        assertEquals("Intel", m.vendor());
        assertEquals(48, m.features().size());
        assertTrue(m.features().contains(catalog.feature("avx2").orElseThrow().index()));
        assertFalse(m.features().contains(catalog.feature("hle").orElseThrow().index()));
        assertFalse(m.features().contains(catalog.feature("rtm").orElseThrow().index()));
        assertTrue(m.decodeGuest());
        assertEquals(new SignatureRange(6, 60, null), m.signatures().get(0));
        assertTrue(catalog.model("Cascadelake-Server-noTSX").orElseThrow().decodeHost());
        assertFalse(catalog.model("Cascadelake-Server-noTSX").orElseThrow().decodeGuest());
        assertEquals(null, catalog.model("qemu64").orElseThrow().vendor());
    }

    @Test
    void expandingIsTheModelPlusRequiredMinusDisabledAndDisabledWins() {
        CpuModel haswell = catalog.model("Haswell-noTSX").orElseThrow();
        FeatureSet set = catalog.expand(
                haswell.features(),
                List.of("vmx", "pcid", "avx512f"),
                List.of("avx2", "avx512f"),
                CpuCatalog.PASS_OVER_UNKNOWN);
        assertEquals(
                haswell.features().union(catalog.featureSet(List.of("vmx"))).minus(catalog.featureSet(List.of("avx2"))),
                set);
        assertFalse(set.contains(catalog.feature("avx512f").orElseThrow().index()), "in both lists: disabled");
        assertEquals(
                catalog.featureNames(set),
                catalog.featureNames(catalog.expand(
                        FeatureSet.empty(), catalog.featureNames(set), List.of(), CpuCatalog.PASS_OVER_UNKNOWN)),
                "no model: just the required");
    }

    @Test
    void expandingHandsEachUnknownNameOverRequiredFirstAndCanPassItOverOrRefuse() {
        CpuModel haswell = catalog.model("Haswell-noTSX").orElseThrow();
        List<String> unknown = new java.util.ArrayList<>();
        FeatureSet set = catalog.expand(
                haswell.features(),
                List.of("vmx", "made-up-1", "made-up-2"),
                List.of("made-up-3", "avx2"),
                unknown::add);
        assertEquals(List.of("made-up-1", "made-up-2", "made-up-3"), unknown);
        assertEquals(
                catalog.expand(haswell.features(), List.of("vmx"), List.of("avx2"), CpuCatalog.PASS_OVER_UNKNOWN),
                set,
                "an unknown name adds and takes away nothing");
        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> catalog.expand(haswell.features(), List.of("made-up-1"), List.of("made-up-2"), name -> {
                    throw new IllegalStateException(name);
                }));
        assertEquals("made-up-1", refused.getMessage());
    }

    @Test
    void featuresAreInMapOrderAndNoTwoShareABit() {
        assertEquals("fpu", catalog.features().get(0).name());
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < catalog.features().size(); i++) {
            FeatureDefinition f = catalog.features().get(i);
            assertEquals(i, f.index());
            assertEquals(1, f.bits().size(), f.name());
            for (String bit : f.bits()) {
                String previous = owners.put(bit, f.name());
                assertEquals(null, previous, () -> bit + " used by " + f.name() + " and another feature");
            }
        }
        assertFalse(catalog.feature("invtsc").orElseThrow().migratable());
        assertFalse(catalog.feature("xsaves").orElseThrow().migratable());
        assertTrue(catalog.feature("vmx").orElseThrow().migratable());
        assertEquals(
                List.of("cpuid 0x00000001.0x00000000 ecx bit 5"),
                catalog.feature("vmx").orElseThrow().bits());
    }

    @Test
    void featureSetAndNamesRoundTripInCatalogOrder() {
        FeatureSet set = catalog.featureSet(List.of("vmx", "fpu", "sse2"));
        assertEquals(List.of("fpu", "sse2", "vmx"), catalog.featureNames(set));
        assertThrows(IllegalArgumentException.class, () -> catalog.featureSet(List.of("flush-l1d")));
    }

    @Test
    void expandsAnIncludedModelAsLibvirtDoes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("index.xml"), """
                <cpus><arch name='x86'>
                  <include filename='x86_vendors.xml'/><include filename='x86_features.xml'/>
                  <include filename='x86_models.xml'/>
                </arch><arch name='arm'><include filename='arm_nothing.xml'/></arch></cpus>""");
        Files.writeString(dir.resolve("x86_vendors.xml"), "<cpus><vendor name='Intel' string='GenuineIntel'/></cpus>");
        Files.writeString(dir.resolve("x86_features.xml"), """
                <cpus>
                  <feature name='fpu'><cpuid eax_in='0x01' edx='0x00000001'/></feature>
                  <feature name='vme'><cpuid eax_in='0x01' edx='0x00000002'/></feature>
                  <feature name='invtsc' migratable='no'><cpuid eax_in='0x80000007' edx='0x00000100'/></feature>
                </cpus>""");
        Files.writeString(dir.resolve("x86_models.xml"), """
                <cpus>
                  <model name='Base'><signature family='6' model='1'/><vendor name='Intel'/><feature name='fpu'/></model>
                  <model name='Child'><model name='Base'/><decode host='on' guest='off'/><feature name='vme'/></model>
                </cpus>""");
        CpuCatalog small = CpuCatalog.fromDirectory(dir, "test");
        CpuModel child = small.model("Child").orElseThrow();
        assertEquals("Intel", child.vendor());
        assertEquals(List.of("fpu", "vme"), small.featureNames(child.features()));
        assertEquals(List.of(new SignatureRange(6, 1, null)), child.signatures());
        assertFalse(child.decodeGuest());
        assertEquals(dir.toAbsolutePath().toString(), small.info().source());
        assertFalse(small.feature("invtsc").orElseThrow().migratable());
    }

    @Test
    void refusesAMapWhereTwoFeaturesShareABit(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("index.xml"), "<cpus><arch name='x86'><include filename='f.xml'/></arch></cpus>");
        Files.writeString(dir.resolve("f.xml"), """
                <cpus><feature name='a'><cpuid eax_in='0x01' edx='0x00000001'/></feature>
                <feature name='b'><cpuid eax_in='0x01' edx='0x00000001'/></feature></cpus>""");
        CatalogException e = assertThrows(CatalogException.class, () -> CpuCatalog.fromDirectory(dir, "x"));
        assertTrue(e.getMessage().contains("share"), e.getMessage());
    }

    @Test
    void hardenedParserRejectsADtd(@TempDir Path dir) throws IOException {
        String evil = "<?xml version='1.0'?><!DOCTYPE cpus [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><cpus>&x;</cpus>";
        assertThrows(MalformedXmlException.class, () -> SecureXml.parse(evil));
        Files.writeString(dir.resolve("index.xml"), evil);
        assertThrows(CatalogException.class, () -> CpuCatalog.fromDirectory(dir, "x"));
    }
    // ---- the bundled libvirt 11.3 map ----------------------------------------------------------------------

    private final CpuCatalog libvirt113 = CpuCatalog.bundled(BundledMap.LIBVIRT_11_3);

    /** The x86 models index.xml of the bundled 11.3 map includes (inside its groups), in its order. */
    private static List<String> modelsListedInTheIndexOf113() throws IOException {
        String index;
        try (var in = CpuCatalogTest.class.getResourceAsStream("/catalog/cpu_map-libvirt-11.3/index.xml")) {
            index = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<String> models = new java.util.ArrayList<>();
        var m = java.util.regex.Pattern.compile("filename='x86_([^']+)\\.xml'").matcher(index);
        while (m.find()) {
            if (!m.group(1).equals("features") && !m.group(1).equals("vendors")) {
                models.add(m.group(1));
            }
        }
        return models;
    }

    @Test
    void libvirt113MapLoadsEveryModelOfItsIndexGroups() throws IOException {
        List<String> listed = modelsListedInTheIndexOf113();
        assertEquals(150, listed.size()); // the 152 x86_*.xml files of the map less x86_features and x86_vendors
        assertEquals(listed, libvirt113.models().stream().map(CpuModel::name).toList());
        assertEquals("11.3.0", libvirt113.info().libvirtVersion());
        assertTrue(
                libvirt113.info().source().contains("11.3.0-3+deb13u3"),
                libvirt113.info().source());
        assertFalse(libvirt113.info().verifiedAgainstLibvirt());
        assertTrue(libvirt113.info().verification().startsWith("not verified against libvirt 11.3"));
        // libvirt 12.8's map is: Libvirt128BaselineDifferentialTest and Libvirt128QemuDriverDifferentialTest compare
        // its results with libvirt 12.8 itself
        CpuCatalog libvirt128 = CpuCatalog.bundled(BundledMap.LIBVIRT_12_8);
        assertTrue(libvirt128.info().verifiedAgainstLibvirt());
        assertTrue(libvirt128.info().verification().startsWith("verified against libvirt 12.8.0"));
        assertEquals(List.of("Intel", "AMD", "Hygon"), libvirt113.vendors());
        // and the default stays libvirt 9.0's, which knows none of them
        for (String newer :
                List.of("SapphireRapids", "GraniteRapids", "SierraForest", "EPYC-Genoa", "Cascadelake-Server-v2")) {
            assertTrue(libvirt113.model(newer).isPresent(), newer);
            assertFalse(catalog.model(newer).isPresent(), newer);
        }
        assertEquals("AMD", libvirt113.model("EPYC-Genoa").orElseThrow().vendor());
        assertEquals("Intel", libvirt113.model("GraniteRapids").orElseThrow().vendor());
    }

    @Test
    void libvirt113KnowsFlushL1dAsCpuid7Edx28() {
        // x86_features.xml of 11.3: <feature name='flush-l1d'><cpuid eax_in='0x00000007' ecx_in='0x00000000'
        // edx='0x10000000'/>
        assertEquals(
                List.of("cpuid 0x00000007.0x00000000 edx bit 28"),
                libvirt113.feature("flush-l1d").orElseThrow().bits());
        assertFalse(catalog.feature("flush-l1d").isPresent());
    }

    @Test
    void libvirt113VersionedModelsHaveTheFeaturesTheirFilesGive() {
        // x86_SapphireRapids-v1.xml only includes SapphireRapids: the same features, vendor and signatures.
        CpuModel base = libvirt113.model("SapphireRapids").orElseThrow();
        CpuModel v1 = libvirt113.model("SapphireRapids-v1").orElseThrow();
        assertEquals("SapphireRapids", v1.includes());
        assertEquals(base.features(), v1.features());
        assertEquals("Intel", v1.vendor());
        assertEquals(base.signatures(), v1.signatures());
        // x86_SapphireRapids-v2.xml lists its 186 features itself; v3 lists the same and five more
        CpuModel v2 = libvirt113.model("SapphireRapids-v2").orElseThrow();
        CpuModel v3 = libvirt113.model("SapphireRapids-v3").orElseThrow();
        assertEquals(186, v2.features().size());
        assertEquals(List.of(new SignatureRange(6, 143, null)), v2.signatures());
        List<String> added = new java.util.ArrayList<>(libvirt113.featureNames(v3.features()));
        added.removeAll(libvirt113.featureNames(v2.features()));
        assertEquals(
                java.util.Set.of("cldemote", "movdir64b", "movdiri", "ss", "tsc_adjust"),
                new java.util.HashSet<>(added));
        assertEquals(191, v3.features().size());
        // x86_SapphireRapids.xml lists 184 features, 75 of them vmx-* with added='yes', which libvirt does not count
        // as part of the model (libvirt commit 5fbfa5ab8a3b): 109. -v2 lists 74 vmx-* as its own (no added='yes'),
        // and adds fbsdp-no, psdp-no, sbdr-ssdp-no; neither has vmx-invvpid.
        assertEquals(109, v1.features().size());
        assertThat(libvirt113.featureNames(v1.features())).noneMatch(f -> f.startsWith("vmx-"));
        List<String> v2Only = new java.util.ArrayList<>(libvirt113.featureNames(v2.features()));
        v2Only.removeAll(libvirt113.featureNames(v1.features()));
        assertEquals(74, v2Only.stream().filter(f -> f.startsWith("vmx-")).count());
        v2Only.removeIf(f -> f.startsWith("vmx-"));
        assertEquals(java.util.Set.of("fbsdp-no", "psdp-no", "sbdr-ssdp-no"), new java.util.HashSet<>(v2Only));
        assertFalse(v1.features()
                .contains(libvirt113.feature("vmx-invvpid").orElseThrow().index()));
        assertFalse(v2.features()
                .contains(libvirt113.feature("vmx-invvpid").orElseThrow().index()));
        // x86_Cascadelake-Server-v2.xml: stepping range 5-7 and no decoding as a guest model
        CpuModel cascade2 = libvirt113.model("Cascadelake-Server-v2").orElseThrow();
        assertEquals(List.of(new SignatureRange(6, 85, "5-7")), cascade2.signatures());
        assertTrue(cascade2.decodeHost());
        assertFalse(cascade2.decodeGuest());
        assertTrue(cascade2.features()
                .contains(libvirt113.feature("avx512vnni").orElseThrow().index()));
    }

    @Test
    void indexGroupsAreReadInPlace(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("index.xml"), """
                <cpus><arch name='x86'>
                  <include filename='v.xml'/><include filename='f.xml'/>
                  <group name='first'><include filename='a.xml'/></group>
                  <include filename='b.xml'/>
                </arch></cpus>""");
        Files.writeString(dir.resolve("v.xml"), "<cpus><vendor name='Intel' string='GenuineIntel'/></cpus>");
        Files.writeString(
                dir.resolve("f.xml"),
                "<cpus><feature name='fpu'><cpuid eax_in='0x01' edx='0x00000001'/></feature></cpus>");
        Files.writeString(dir.resolve("a.xml"), "<cpus><model name='A'><feature name='fpu'/></model></cpus>");
        Files.writeString(dir.resolve("b.xml"), "<cpus><model name='B'><model name='A'/></model></cpus>");
        CpuCatalog grouped = CpuCatalog.fromDirectory(dir, "test");
        assertEquals(
                List.of("A", "B"), grouped.models().stream().map(CpuModel::name).toList());
        assertFalse(grouped.info().verifiedAgainstLibvirt());
    }
}
