package io.fleetcpu.libvirtxml;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Parses XML from agents and from the catalog with DTDs, external entities and XInclude off,
 * so a document cannot read local files, reach the network or expand entities without bound.
 */
public final class SecureXml {

    /**
     * One hardened parser per thread, reset before each use: finding and configuring a parser factory costs more
     * than parsing a host's capabilities, and a parser is not safe for two threads at once.
     */
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(() -> {
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
    });

    private SecureXml() {}

    public static Document parse(String xml) {
        return parse(new InputSource(new StringReader(xml)));
    }

    public static Document parse(InputStream in) {
        return parse(new InputSource(in));
    }

    private static Document parse(InputSource source) {
        DocumentBuilder builder = BUILDERS.get();
        try {
            builder.reset();
            builder.setErrorHandler(null);
            return builder.parse(source);
        } catch (SAXException e) {
            throw new MalformedXmlException(describe(e), e);
        } catch (IOException e) {
            throw new MalformedXmlException("cannot read XML: " + e.getMessage(), e);
        }
    }

    private static String describe(SAXException e) {
        String message = e.getMessage() == null ? "not well-formed XML" : e.getMessage();
        if (message.contains("DOCTYPE")) {
            return "XML with a DOCTYPE (DTD or entity declarations) is not accepted";
        }
        if (e instanceof org.xml.sax.SAXParseException p && p.getLineNumber() > 0) {
            return "not well-formed XML at line " + p.getLineNumber() + ", column " + p.getColumnNumber() + ": "
                    + message;
        }
        return "not well-formed XML: " + message;
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        return f;
    }
}
