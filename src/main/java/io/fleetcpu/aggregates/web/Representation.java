package io.fleetcpu.aggregates.web;

import io.fleetcpu.aggregates.OutputFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;

/**
 * One representation of an answer, and its strong validator: the answer's ETag for its JSON, and for every other
 * representation of the same answer that ETag with what tells the representation apart ({@code "…-libvirt"}).
 *
 * @param variant what tells the representation apart from the answer's JSON; null for the JSON
 */
record Representation(MediaType type, @Nullable String variant) {

    /** The answer's JSON: the answer's own ETag. */
    static final Representation JSON = new Representation(MediaType.APPLICATION_JSON, null);

    /** libvirt's {@code <cpu>} element of a baseline. */
    static final Representation BASELINE_XML = new Representation(MediaType.APPLICATION_XML, "xml");

    /** The recommendation in one consumer's format; cpu_map models of another name are other representations. */
    static Representation of(OutputFormat format, @Nullable String modelName) {
        if (format == OutputFormat.JSON) {
            return JSON;
        }
        return new Representation(
                format.mediaType(),
                format.wireName() + (modelName == null ? "" : "-" + Integer.toHexString(modelName.hashCode())));
    }

    /** This representation's ETag, from the answer's. */
    String etag(String answerEtag) {
        if (variant == null) {
            return answerEtag;
        }
        return answerEtag.substring(0, answerEtag.length() - 1) + "-" + variant + "\"";
    }
}
