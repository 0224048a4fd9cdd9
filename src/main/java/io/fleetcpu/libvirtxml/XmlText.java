package io.fleetcpu.libvirtxml;

/**
 * Text and attribute values in the XML fleetcpu writes for libvirt and for operators ({@code <cpu>} elements, cpu_map
 * models): one escaping for every writer.
 */
public final class XmlText {

    private XmlText() {}

    /**
     * {@code s} with the five characters XML reserves ({@code & < > ' "}) written as entities, so it stands safely as
     * element text and inside a quoted attribute.
     */
    public static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("'", "&apos;")
                .replace("\"", "&quot;");
    }
}
