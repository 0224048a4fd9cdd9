package io.fleetcpu.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.catalog.CatalogException;
import org.junit.jupiter.api.Test;

/** fleetcpu.catalog.directory and fleetcpu.catalog.libvirt-version choose the catalog. */
class CatalogConfigurationTest {

    private final CatalogConfiguration configuration = new CatalogConfiguration();

    @Test
    void withoutSettingsTheBundledLibvirt90MapIsUsed() {
        assertThat(configuration
                        .cpuCatalog(new CatalogProperties(null, null))
                        .info()
                        .libvirtVersion())
                .isEqualTo("9.0.0");
        assertThat(configuration
                        .cpuCatalog(new CatalogProperties("", " "))
                        .info()
                        .verifiedAgainstLibvirt())
                .isTrue();
    }

    @Test
    void aLibvirtVersionChoosesABundledMap() {
        assertThat(configuration
                        .cpuCatalog(new CatalogProperties(null, "11.3"))
                        .info()
                        .libvirtVersion())
                .isEqualTo("11.3.0");
        assertThat(configuration
                        .cpuCatalog(new CatalogProperties(null, "11.3.0"))
                        .model("GraniteRapids"))
                .isPresent();
        assertThat(configuration.cpuCatalog(new CatalogProperties(null, "9.0")).model("GraniteRapids"))
                .isEmpty();
    }

    @Test
    void aVersionWithoutABundledMapStopsTheStartNamingTheChoices() {
        assertThatThrownBy(() -> configuration.cpuCatalog(new CatalogProperties(null, "10.0")))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("fleetcpu.catalog.libvirt-version=10.0")
                .hasMessageContaining("libvirt 9.0, 11.3 and 12.8")
                .hasMessageContaining("fleetcpu.catalog.directory");
    }
}
