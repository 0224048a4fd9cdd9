package io.fleetcpu.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.aggregates.internal.AggregateVersion;
import io.fleetcpu.aggregates.internal.AnswerKey;
import io.fleetcpu.catalog.CatalogInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * An answer's ETag derives from an explicit key; validators clients got before the key was explicit stay valid, and
 * the representations of one answer have validators of their own.
 */
class AnswerKeyTest {

    private static final CatalogInfo CATALOG =
            new CatalogInfo("bundled cpu_map", "9.0.0", true, "compared with libvirt 9.0.0", "libvirt 9.0", null);
    private static final AggregateVersion VERSION =
            new AggregateVersion("haswell-east", Instant.parse("2026-11-30T12:00:00.123456Z"), 3, 17);

    @Test
    void theEtagIsTheOneDerivedFromTheVersionsQuestionAndCatalogBefore() throws Exception {
        String question = "recommended-cpu expand=false";
        // as ETags were derived before the key was explicit: the catalog's info as its record wrote itself then (it had
        // no digest)
        String earlier = VERSION.aggregate() + "\n" + VERSION.created() + "\n" + VERSION.policy() + "\n"
                + VERSION.members() + "\n" + question + "\n"
                + "CatalogInfo[source=bundled cpu_map, libvirtVersion=9.0.0, verifiedAgainstLibvirt=true, "
                + "verification=compared with libvirt 9.0.0, name=libvirt 9.0]";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(earlier.getBytes(StandardCharsets.UTF_8));

        assertThat(new AnswerKey(VERSION, question).etag(CATALOG))
                .isEqualTo("\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
    }

    @Test
    void theEtagChangesWithTheVersionsTheQuestionAndTheCatalog() {
        String etag = new AnswerKey(VERSION, "q").etag(CATALOG);

        assertThat(new AnswerKey(new AggregateVersion("haswell-east", VERSION.created(), 3, 18), "q").etag(CATALOG))
                .isNotEqualTo(etag);
        assertThat(new AnswerKey(new AggregateVersion("haswell-east", VERSION.created(), 4, 17), "q").etag(CATALOG))
                .isNotEqualTo(etag);
        assertThat(new AnswerKey(VERSION, "other").etag(CATALOG)).isNotEqualTo(etag);
        assertThat(new AnswerKey(VERSION, "q")
                        .etag(new CatalogInfo("bundled cpu_map", "11.3.0", false, "none", "libvirt 11.3", null)))
                .isNotEqualTo(etag);
        assertThat(new AnswerKey(VERSION, "q").etag(CATALOG)).isEqualTo(etag);
    }
}
