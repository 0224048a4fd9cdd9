package io.fleetcpu.aggregates.internal;

import io.fleetcpu.catalog.CatalogInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An aggregate as of its versions, and the question asked of it: what an answer is kept under, and what its strong
 * validator derives from, so that a 304 needs no answer.
 */
public record AnswerKey(AggregateVersion version, String question) {

    /**
     * The answer's ETag: the versions, the question and the configured catalog, each field written out. The layout
     * (the catalog as {@code CatalogInfo[source=…, …]}) is the one ETags were derived from before this key was
     * explicit, so that validators clients hold stay valid; an ETag changes only when the answer may.
     *
     * @param configured the catalog configured for hosts registering now; the catalogs an answer is computed with
     *        follow from the members' kinds, hence from {@code version.members()}
     */
    public String etag(CatalogInfo configured) {
        String key = version.aggregate() + "\n" + version.created() + "\n" + version.policy() + "\n"
                + version.members() + "\n" + question + "\n" + "CatalogInfo[source=" + configured.source()
                + ", libvirtVersion=" + configured.libvirtVersion() + ", verifiedAgainstLibvirt="
                + configured.verifiedAgainstLibvirt() + ", verification=" + configured.verification() + ", name="
                + configured.name() + "]";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
