package io.fleetcpu.aggregates.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.aggregates.OutputFormat;
import org.junit.jupiter.api.Test;

/** Each representation of an answer (JSON, libvirt XML, a cpu_map model of a name, …) has its own ETag. */
class RepresentationTest {

    @Test
    void eachRepresentationOfAnAnswerHasItsOwnEtag() {
        assertThat(Representation.JSON.etag("\"abc\"")).isEqualTo("\"abc\"");
        assertThat(Representation.of(OutputFormat.JSON, null).etag("\"abc\"")).isEqualTo("\"abc\"");
        assertThat(Representation.BASELINE_XML.etag("\"abc\"")).isEqualTo("\"abc-xml\"");
        assertThat(Representation.of(OutputFormat.LIBVIRT, null).etag("\"abc\""))
                .isEqualTo("\"abc-libvirt\"");
        assertThat(Representation.of(OutputFormat.CPU_MAP, "Mine").etag("\"abc\""))
                .isEqualTo("\"abc-cpu-map-" + Integer.toHexString("Mine".hashCode()) + "\"");
    }
}
