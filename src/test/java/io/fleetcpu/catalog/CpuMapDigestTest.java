package io.fleetcpu.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.testing.CpuMapFiles;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A map's digest names it wherever it is: an agent takes it over its libvirt's directory (index.xml and every
 * x86_*.xml), the service over what it reads of a bundled map (index.xml and the files its x86 part includes) and over
 * what an agent uploads. The same files give the same digest, and any change another.
 */
class CpuMapDigestTest {

    @Test
    void eachBundledMapHasTheDigestAnAgentTakesOverTheSameFolder() {
        for (BundledMap map : BundledMap.values()) {
            CpuCatalog bundled = CpuCatalog.bundled(map);
            assertThat(bundled.digest())
                    .as(map.name())
                    .matches(CpuMapDigest.FORM)
                    .isEqualTo(CpuMapDigest.of(CpuMapFiles.x86Files(CpuMapFiles.directory(map))));
        }
        assertThat(BundledMap.values())
                .extracting(m -> CpuCatalog.bundled(m).digest())
                .doesNotHaveDuplicates();
    }

    @Test
    void theDigestIsOfNamesAndContentsWhateverTheirOrder() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("x86_b.xml", bytes("<cpus/>"));
        files.put("index.xml", bytes("<cpus/>"));
        Map<String, byte[]> reordered = new LinkedHashMap<>();
        reordered.put("index.xml", bytes("<cpus/>"));
        reordered.put("x86_b.xml", bytes("<cpus/>"));
        assertThat(CpuMapDigest.of(reordered)).isEqualTo(CpuMapDigest.of(files));

        Map<String, byte[]> renamed = Map.of("index.xml", bytes("<cpus/>"), "x86_c.xml", bytes("<cpus/>"));
        Map<String, byte[]> changed = Map.of("index.xml", bytes("<cpus/>"), "x86_b.xml", bytes("<cpus />"));
        // the length before each content: moving bytes from one file into the next is another digest
        Map<String, byte[]> moved = Map.of("index.xml", bytes("<cpus/><"), "x86_b.xml", bytes("cpus/>"));
        assertThat(CpuMapDigest.of(renamed)).isNotEqualTo(CpuMapDigest.of(files));
        assertThat(CpuMapDigest.of(changed)).isNotEqualTo(CpuMapDigest.of(files));
        assertThat(CpuMapDigest.of(moved)).isNotEqualTo(CpuMapDigest.of(files));
    }

    @Test
    void onlyIndexAndX86FilesArePartOfTheDigest() {
        assertThat(CpuMapDigest.isX86File("index.xml")).isTrue();
        assertThat(CpuMapDigest.isX86File("x86_Icelake-Server-v7.xml")).isTrue();
        assertThat(CpuMapDigest.isX86File("arm_cortex-a53.xml")).isFalse();
        assertThat(CpuMapDigest.isX86File("x86_../../etc/passwd.xml")).isFalse();
        assertThat(CpuMapDigest.isX86File("README.md")).isFalse();
    }

    @Test
    void aMapSentAsFilesIsReadAsTheBundledOneWithItsOwnNameAndDigest() {
        Map<String, byte[]> files = CpuMapFiles.patched(BundledMap.LIBVIRT_12_8, "a distribution's patch");
        CpuCatalog sent = CpuCatalog.fromFiles(files, "12.5.0");
        CpuCatalog bundled = CpuCatalog.bundled(BundledMap.LIBVIRT_12_8);
        assertThat(sent.sameDefinitions(bundled)).isTrue();
        assertThat(sent.digest()).isEqualTo(CpuMapDigest.of(files)).isNotEqualTo(bundled.digest());
        assertThat(sent.name()).isEqualTo("libvirt 12.5 (map " + sent.digest().substring(0, 12) + ")");
        assertThat(sent.info().verifiedAgainstLibvirt()).isFalse();
        assertThat(sent.info().libvirtVersion()).isEqualTo("12.5.0");
    }

    @Test
    void aMapLibvirtWouldNotReadIsRefusedNamingWhy() {
        Map<String, byte[]> missing = new LinkedHashMap<>(CpuMapFiles.patched(BundledMap.LIBVIRT_12_8, "x"));
        missing.remove("x86_Haswell.xml");
        assertThatThrownBy(() -> CpuCatalog.fromFiles(missing, "12.5.0"))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("x86_Haswell.xml");

        Map<String, byte[]> twice = new LinkedHashMap<>(CpuMapFiles.patched(BundledMap.LIBVIRT_12_8, "x"));
        String features = new String(twice.get("x86_features.xml"), StandardCharsets.UTF_8);
        twice.put(
                "x86_features.xml",
                features.replace(
                                "</cpus>",
                                "<feature name='sse2'><cpuid eax_in='0x01' edx='0x04000000'/></feature></cpus>")
                        .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> CpuCatalog.fromFiles(twice, "12.5.0"))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("sse2");

        assertThatThrownBy(() -> CpuCatalog.fromFiles(Map.of("index.xml", bytes("<cpus><arch name='x86'>")), null))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("index.xml");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
