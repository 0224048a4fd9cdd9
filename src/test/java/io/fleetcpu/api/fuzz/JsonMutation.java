package io.fleetcpu.api.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One change to a valid JSON body: a node chosen by {@code at} (modulo the nodes that fit, in document order), so
 * that a case shrinks towards the first node and towards fewer changes. Applied to a mutable copy of the body.
 */
sealed interface JsonMutation {

    JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A property named with this prefix is written under its name without it: a duplicate key. */
    String DUPLICATE = "\u0000duplicate\u0000";
    /** A text node with this prefix is written as the raw JSON text after it (NaN, 1e400, deep nesting). */
    String RAW = "\u0000raw\u0000";

    /** Returns the new root (the root itself may be replaced). */
    JsonNode apply(JsonNode root);

    static JsonNode raw(String json) {
        return NODES.textNode(RAW + json);
    }

    /** Leaves a property out. */
    record Drop(int at) implements JsonMutation {
        public JsonNode apply(JsonNode root) {
            Place.at(root, at, Place::isProperty).ifPresent(p -> ((ObjectNode) p.parent()).remove(p.name()));
            return root;
        }
    }

    /** Sends a property twice, the second time with another value. */
    record Duplicate(int at, JsonNode value) implements JsonMutation {
        public JsonNode apply(JsonNode root) {
            Place.at(root, at, Place::isProperty)
                    .ifPresent(p -> ((ObjectNode) p.parent()).set(DUPLICATE + p.name(), value));
            return root;
        }

        @Override
        public String toString() {
            return "Duplicate[at=" + at + ", value=" + Shown.text(write(value)) + "]";
        }
    }

    /** Puts another value (of another type, null, huge, odd) in place of a node, the whole body included. */
    record Replace(int at, JsonNode value) implements JsonMutation {
        public JsonNode apply(JsonNode root) {
            return Place.at(root, at, p -> true).orElseThrow().replace(root, value);
        }

        @Override
        public String toString() {
            return "Replace[at=" + at + ", value=" + Shown.text(write(value)) + "]";
        }
    }

    /** Adds a property no endpoint knows to an object. */
    record AddProperty(int at, String name, JsonNode value) implements JsonMutation {
        public JsonNode apply(JsonNode root) {
            Place.at(root, at, p -> p.node() instanceof ObjectNode)
                    .ifPresent(p -> ((ObjectNode) p.node()).set(name, value));
            return root;
        }

        @Override
        public String toString() {
            return "AddProperty[at=" + at + ", name=" + Shown.text(name) + ", value=" + Shown.text(write(value)) + "]";
        }
    }

    /** Puts characters (NUL, control characters, lone surrogates…) into a text at a place in it. */
    record Insert(int at, int position, String text) implements JsonMutation {
        public JsonNode apply(JsonNode root) {
            return Place.at(root, at, p -> p.node().isString())
                    .map(p -> {
                        String old = p.node().asString();
                        int cut = old.isEmpty() ? 0 : position % (old.length() + 1);
                        return p.replace(root, NODES.textNode(old.substring(0, cut) + text + old.substring(cut)));
                    })
                    .orElse(root);
        }

        @Override
        public String toString() {
            return "Insert[at=" + at + ", position=" + position + ", text=" + Shown.text(text) + "]";
        }
    }

    /** Changes a libvirt document inside the body. */
    record Xml(int at, XmlMutation change) implements JsonMutation {
        public JsonNode apply(JsonNode root) {
            return Place.at(
                            root,
                            at,
                            p -> p.node().isString()
                                    && p.node().asString().strip().startsWith("<"))
                    .map(p ->
                            p.replace(root, NODES.textNode(change.apply(p.node().asString()))))
                    .orElse(root);
        }
    }

    /** A node of the tree and where it hangs. */
    record Place(JsonNode parent, String name, int index, JsonNode node) {

        static List<Place> all(JsonNode root) {
            List<Place> places = new ArrayList<>();
            walk(null, null, -1, root, places);
            return places;
        }

        /** The at-th of the places that fit (modulo their number, in document order); none when none fits. */
        static Optional<Place> at(JsonNode root, int at, Predicate<Place> fits) {
            List<Place> fitting = all(root).stream().filter(fits).toList();
            return fitting.isEmpty() ? Optional.empty() : Optional.of(fitting.get(at % fitting.size()));
        }

        /** A property of an object (not an array element, not the root). */
        boolean isProperty() {
            return parent instanceof ObjectNode;
        }

        private static void walk(JsonNode parent, String name, int index, JsonNode node, List<Place> places) {
            places.add(new Place(parent, name, index, node));
            if (node instanceof ObjectNode object) {
                for (Map.Entry<String, JsonNode> e : List.copyOf(object.properties())) {
                    walk(node, e.getKey(), -1, e.getValue(), places);
                }
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    walk(node, null, i, array.get(i), places);
                }
            }
        }

        JsonNode replace(JsonNode root, JsonNode value) {
            if (parent == null) {
                return value;
            }
            if (parent instanceof ObjectNode object) {
                object.set(name, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
            return root;
        }
    }

    /**
     * Writes the body as a client would, but able to say what Jackson's writer will not: duplicate keys, raw
     * literals, and lone surrogates (escaped as {@code \\uD800}).
     */
    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node instanceof ObjectNode object) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                String name = e.getKey().startsWith(DUPLICATE) ? e.getKey().substring(DUPLICATE.length()) : e.getKey();
                string(name, out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (node instanceof ArrayNode array) {
            out.append('[');
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(array.get(i), out);
            }
            out.append(']');
        } else if (node.isString()) {
            String text = node.asString();
            if (text.startsWith(RAW)) {
                out.append(text, RAW.length(), text.length());
            } else {
                string(text, out);
            }
        } else {
            out.append(node.toString());
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
