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
            List<Integer> ends = positions(xml, Pattern.compile(">"), 0);
            if (ends.isEmpty()) {
                return xml + markup;
            }
            int cut = ends.get(at % ends.size()) + 1;
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
            Matcher m = TEXT.matcher(xml);
            List<int[]> found = new ArrayList<>();
            while (m.find()) {
                found.add(new int[] {m.start(1), m.end(1)});
            }
            if (found.isEmpty()) {
                return xml;
            }
            int[] place = found.get(at % found.size());
            return xml.substring(0, place[0]) + text + xml.substring(place[1]);
        }

        @Override
        public String toString() {
            return "ReplaceText[at=" + at + ", text=" + Shown.text(text) + "]";
        }
    }

    /** Replaces the text of the at-th element of this name ({@code <model>}, {@code <vendor>}, {@code <uuid>}…). */
    record ReplaceNamed(String element, int at, String text) implements XmlMutation {
        public String apply(String xml) {
            Matcher m = Pattern.compile("<" + element + "(\\s[^>]*)?>([^<]*)</" + element + ">").matcher(xml);
            List<int[]> found = new ArrayList<>();
            while (m.find()) {
                found.add(new int[] {m.start(2), m.end(2)});
            }
            if (found.isEmpty()) {
                return xml;
            }
            int[] place = found.get(at % found.size());
            return xml.substring(0, place[0]) + text + xml.substring(place[1]);
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
            Matcher m = VALUE.matcher(xml);
            List<int[]> found = new ArrayList<>();
            while (m.find()) {
                found.add(new int[] {m.start(2), m.end(2)});
            }
            if (found.isEmpty()) {
                return xml;
            }
            int[] place = found.get(at % found.size());
            return xml.substring(0, place[0]) + value.replace("'", "&apos;").replace("\"", "&quot;")
                    + xml.substring(place[1]);
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
                case 2 -> close < 0 ? xml : start + "<v:" + root + " xmlns:v='http://libvirt.org/schemas'"
                        + xml.substring(m.end(), close) + "</v:" + root + ">" + xml.substring(close + root.length() + 3);
                default -> close < 0 ? xml : start + "<v:" + root + xml.substring(m.end(), close) + "</v:" + root + ">"
                        + xml.substring(close + root.length() + 3);
            };
        }
    }

    private static List<Integer> positions(String text, Pattern pattern, int group) {
        List<Integer> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.start(group));
        }
        return found;
    }
}
