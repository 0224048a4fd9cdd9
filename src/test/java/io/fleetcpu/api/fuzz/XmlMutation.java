package io.fleetcpu.api.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One change to a libvirt document (capabilities, domain capabilities, a {@code <cpu>}): places are chosen by
 * {@code at} modulo the places that fit, so that cases shrink towards the first one.
 */
sealed interface XmlMutation {

    String apply(String xml);

    /** Cuts the document: {@code permille} of it is kept. */
    record Truncate(int permille) implements XmlMutation {
        public String apply(String xml) {
            return xml.substring(0, (int) ((long) xml.length() * permille / 1000));
        }

        @Override
        public String toString() {
            return "Truncate[keep " + permille / 10.0 + "%]";
        }
    }

    /** Puts markup (unknown or repeated elements, comments, entities, character references) after the at-th tag. */
    record InsertAfterTag(int at, String markup) implements XmlMutation {
        public String apply(String xml) {
            List<int[]> ends = places(xml, Pattern.compile(">"), 0);
            if (ends.isEmpty()) {
                return xml + markup;
            }
            int cut = ends.get(at % ends.size())[0] + 1;
            return xml.substring(0, cut) + markup + xml.substring(cut);
        }

        @Override
        public String toString() {
            return "InsertAfterTag[at=" + at + ", markup=" + Shown.text(markup) + "]";
        }
    }

    /** Puts something before the root element: an XML declaration, a DOCTYPE with entities, a BOM, junk. */
    record Prolog(String prolog) implements XmlMutation {
        public String apply(String xml) {
            return prolog + xml;
        }

        @Override
        public String toString() {
            return "Prolog[" + Shown.text(prolog) + "]";
        }
    }

    /** Replaces the text of the at-th element that has text of its own. */
    record ReplaceText(int at, String text) implements XmlMutation {
        private static final Pattern TEXT = Pattern.compile(">([^<>]*[^<>\\s][^<>]*)</");

        public String apply(String xml) {
            return replaceAt(xml, TEXT, 1, at, text);
        }

        @Override
        public String toString() {
            return "ReplaceText[at=" + at + ", text=" + Shown.text(text) + "]";
        }
    }

    /** Replaces the text of the at-th element of this name ({@code <model>}, {@code <vendor>}, {@code <uuid>}…). */
    record ReplaceNamed(String element, int at, String text) implements XmlMutation {
        public String apply(String xml) {
            Pattern named = Pattern.compile("<" + element + "(\\s[^>]*)?>([^<]*)</" + element + ">");
            return replaceAt(xml, named, 2, at, text);
        }

        @Override
        public String toString() {
            return "ReplaceNamed[<" + element + "> at=" + at + ", text=" + Shown.text(text) + "]";
        }
    }

    /** Replaces the value of the at-th attribute (huge, empty, negative, not a number, an unknown word). */
    record ReplaceAttribute(int at, String value) implements XmlMutation {
        private static final Pattern VALUE = Pattern.compile("=(['\"])([^'\"]*)\\1");

        public String apply(String xml) {
            return replaceAt(xml, VALUE, 2, at, value.replace("'", "&apos;").replace("\"", "&quot;"));
        }

        @Override
        public String toString() {
            return "ReplaceAttribute[at=" + at + ", value=" + Shown.text(value) + "]";
        }
    }

    /** Puts the root element in a namespace: a default one, a prefixed one, or an unbound prefix. */
    record Namespace(int variant) implements XmlMutation {
        private static final Pattern ROOT = Pattern.compile("<([A-Za-z][A-Za-z0-9_]*)");

        public String apply(String xml) {
            Matcher m = ROOT.matcher(xml);
            if (!m.find()) {
                return xml;
            }
            String root = m.group(1);
            int close = xml.lastIndexOf("</" + root + ">");
            String start = xml.substring(0, m.start());
            String rest = xml.substring(m.end());
            return switch (variant % 4) {
                case 0 -> start + "<" + root + " xmlns='http://libvirt.org/schemas/" + root + "/1.0'" + rest;
                case 1 -> start + "<" + root + " xmlns='urn:not-libvirt'" + rest;
                case 2 ->
                    close < 0
                            ? xml
                            : start + "<v:" + root + " xmlns:v='http://libvirt.org/schemas'"
                                    + xml.substring(m.end(), close) + "</v:" + root + ">"
                                    + xml.substring(close + root.length() + 3);
                default ->
                    close < 0
                            ? xml
                            : start + "<v:" + root + xml.substring(m.end(), close) + "</v:" + root + ">"
                                    + xml.substring(close + root.length() + 3);
            };
        }
    }

    /**
     * Puts {@code replacement} in place of the given group of the at-th match of the pattern (modulo the matches);
     * the document as it was when nothing matches.
     */
    private static String replaceAt(String xml, Pattern pattern, int group, int at, String replacement) {
        List<int[]> found = places(xml, pattern, group);
        if (found.isEmpty()) {
            return xml;
        }
        int[] place = found.get(at % found.size());
        return xml.substring(0, place[0]) + replacement + xml.substring(place[1]);
    }

    /** Where the given group of each match of the pattern starts and ends, in document order. */
    private static List<int[]> places(String text, Pattern pattern, int group) {
        List<int[]> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(new int[] {m.start(group), m.end(group)});
        }
        return found;
    }
}
