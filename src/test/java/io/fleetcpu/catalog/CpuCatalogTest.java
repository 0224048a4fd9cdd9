package io.fleetcpu.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fleetcpu.libvirtxml.MalformedXmlException;
import io.fleetcpu.libvirtxml.SecureXml;

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
        assertEquals(new CpuSignature(6, 60, null), m.signatures().get(0));
        assertTrue(catalog.model("Cascadelake-Server-noTSX").orElseThrow().decodeHost());
        assertFalse(catalog.model("Cascadelake-Server-noTSX").orElseThrow().decodeGuest());
        assertEquals(null, catalog.model("qemu64").orElseThrow().vendor());
    }

    @Test
    void featuresAreInMapOrderAndNoTwoShareABit() {
        assertEquals("fpu", catalog.features().get(0).name());
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < catalog.features().size(); i++) {
            CpuFeature f = catalog.features().get(i);
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
        assertEquals(List.of("cpuid 0x00000001.0x00000000 ecx bit 5"), catalog.feature("vmx").orElseThrow().bits());
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
        assertEquals(List.of(new CpuSignature(6, 1, null)), child.signatures());
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
}
