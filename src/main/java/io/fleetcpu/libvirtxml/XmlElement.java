package io.fleetcpu.libvirtxml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One element of a libvirt document together with its path from the root, so every complaint can say where
 * ("domcapabilities: /domainCapabilities/cpu/mode[3]/feature[2]/@name is missing").
 */
final class XmlElement {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private final String document;
    private final Element element;
    private final String path;

    private XmlElement(String document, Element element, String path) {
        this.document = document;
        this.element = element;
        this.path = path;
    }

    /** Parses {@code xml} through {@link SecureXml} and checks its root element. */
    static XmlElement root(String document, @Nullable String xml, String expectedRoot) {
        if (xml == null || xml.isBlank()) {
            throw new MalformedXmlException(document, "document is empty", (Throwable) null);
        }
        Document dom;
        try {
            dom = SecureXml.parse(xml);
        } catch (MalformedXmlException e) {
            throw new MalformedXmlException(document, e.getMessage(), e);
        }
        Element root = dom.getDocumentElement();
        if (!expectedRoot.equals(root.getTagName())) {
            String problem = "root element is <" + root.getTagName() + ">, expected <" + expectedRoot + ">";
            throw new MalformedXmlException(document, problem, (Throwable) null);
        }
        return new XmlElement(document, root, "/" + expectedRoot);
    }

    String name() {
        return element.getTagName();
    }

    String path() {
        return path;
    }

    List<XmlElement> children(String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                found.add(e);
            }
        }
        List<XmlElement> result = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            String childPath = path + "/" + name + (found.size() > 1 ? "[" + (i + 1) + "]" : "");
            result.add(new XmlElement(document, found.get(i), childPath));
        }
        return result;
    }

    /** The one child of that name; more than one is an error, since libvirt writes these once. */
    Optional<XmlElement> optionalChild(String name) {
        List<XmlElement> found = children(name);
        if (found.size() > 1) {
            throw problemAt(path + "/" + name, "appears " + found.size() + " times, expected once");
        }
        return found.stream().findFirst();
    }

    XmlElement child(String name) {
        return optionalChild(name).orElseThrow(() -> problemAt(path + "/" + name, "is missing"));
    }

    /** Trimmed text of this element; null when empty. */
    @Nullable
    String textOrNull() {
        String text = element.getTextContent();
        if (text == null || text.isBlank()) {
            return null;
        }
        return text.strip();
    }

    String text() {
        String text = textOrNull();
        if (text == null) {
            throw problem("is empty");
        }
        return text;
    }

    Optional<String> optionalChildText(String name) {
        return optionalChild(name).map(XmlElement::text);
    }

    String childText(String name) {
        return child(name).text();
    }

    Optional<String> attribute(String name) {
        if (!element.hasAttribute(name)) {
            return Optional.empty();
        }
        String value = element.getAttribute(name).strip();
        if (value.isEmpty()) {
            throw problemAt(path + "/@" + name, "is empty");
        }
        return Optional.of(value);
    }

    String requiredAttribute(String name) {
        return attribute(name).orElseThrow(() -> problemAt(path + "/@" + name, "is missing"));
    }

    /** An attribute that must be one of a few words libvirt writes. */
    Optional<String> attributeOneOf(String name, Collection<String> allowed) {
        Optional<String> value = attribute(name);
        if (value.isPresent() && !allowed.contains(value.get())) {
            throw problemAt(
                    path + "/@" + name, "is '" + value.get() + "', expected one of " + String.join(", ", allowed));
        }
        return value;
    }

    Optional<Long> numberAttribute(String name) {
        return attribute(name).map(value -> {
            if (!DIGITS.matcher(value).matches()) {
                throw problemAt(path + "/@" + name, "is not a number: '" + value + "'");
            }
            return Long.parseLong(value);
        });
    }

    Optional<Integer> intAttribute(String name) {
        return numberAttribute(name).map(value -> {
            if (value > Integer.MAX_VALUE) {
                throw problemAt(path + "/@" + name, "is too large: " + value);
            }
            return value.intValue();
        });
    }

    int requiredIntAttribute(String name) {
        return intAttribute(name).orElseThrow(() -> problemAt(path + "/@" + name, "is missing"));
    }

    MalformedXmlException problem(String problem) {
        return problemAt(path, problem);
    }

    MalformedXmlException attributeProblem(String attribute, String problem) {
        return problemAt(path + "/@" + attribute, problem);
    }

    private MalformedXmlException problemAt(String location, String problem) {
        return new MalformedXmlException(document, location, problem);
    }
}
