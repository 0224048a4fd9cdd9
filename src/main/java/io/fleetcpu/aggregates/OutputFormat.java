package io.fleetcpu.aggregates;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;

/** The forms the recommendation is written in for its consumers, with the media type each comes as. */
public enum OutputFormat {
    JSON(MediaType.APPLICATION_JSON),
    LIBVIRT(MediaType.APPLICATION_XML),
    NOVA_CONF(MediaType.TEXT_PLAIN),
    PLACEMENT(MediaType.TEXT_PLAIN),
    QEMU(MediaType.TEXT_PLAIN),
    KUBEVIRT(MediaType.APPLICATION_YAML),
    KUBEVIRT_LABELS(MediaType.APPLICATION_YAML),
    KUBEVIRT_CLUSTER(MediaType.APPLICATION_YAML),
    CPU_MAP(MediaType.APPLICATION_XML);

    private final MediaType mediaType;

    OutputFormat(MediaType mediaType) {
        this.mediaType = mediaType;
    }

    /** As {@code ?format=} names it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public MediaType mediaType() {
        return mediaType;
    }

    /** The format {@code ?format=} names, or null. */
    public static @Nullable OutputFormat fromWireName(String name) {
        for (OutputFormat f : values()) {
            if (f.wireName().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
