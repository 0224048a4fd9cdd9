package io.fleetcpu.libvirtxml;

/** An XML document that cannot be read: not well-formed, or carrying a DTD. */
public class MalformedXmlException extends RuntimeException {

    public MalformedXmlException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedXmlException(String message) {
        super(message);
    }
}
