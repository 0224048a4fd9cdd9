package io.fleetcpu.libvirtxml;

import org.jspecify.annotations.Nullable;

/**
 * An XML document that cannot be read: not well-formed, carrying a DTD, or not saying what libvirt would say.
 * When known, {@link #document()} names the kind of document ("capabilities", "domcapabilities", "cpu") and
 * {@link #location()} the element or attribute at fault ("/capabilities/host/uuid"), so the message can be acted on.
 */
public class MalformedXmlException extends RuntimeException {

    private final @Nullable String document;
    private final @Nullable String location;

    public MalformedXmlException(String message, Throwable cause) {
        super(message, cause);
        this.document = null;
        this.location = null;
    }

    public MalformedXmlException(String message) {
        super(message);
        this.document = null;
        this.location = null;
    }

    /** A problem at one place of a document: "capabilities: /capabilities/host/uuid is missing". */
    public MalformedXmlException(String document, String location, String problem) {
        super(document + ": " + location + " " + problem);
        this.document = document;
        this.location = location;
    }

    /** A problem with a whole document (not well-formed, wrong root), wrapping the parser's own complaint if any. */
    public MalformedXmlException(String document, @Nullable String problem, @Nullable Throwable cause) {
        super(document + ": " + problem, cause);
        this.document = document;
        this.location = null;
    }

    /** Kind of document at fault, or null when not known. */
    public @Nullable String document() {
        return document;
    }

    /** Path of the element or attribute at fault (e.g. {@code /cpu/feature[3]/@policy}), or null. */
    public @Nullable String location() {
        return location;
    }
}
