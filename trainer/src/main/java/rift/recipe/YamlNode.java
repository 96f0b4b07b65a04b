package rift.recipe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where every key and value was written. Jackson's own
 * tree (JsonNode) drops locations, and recipes are merged from several files and overrides before
 * they are checked, so errors could not name the right file and line without this.
 */
sealed interface YamlNode {
    Origin origin();

    /** A mapping; {@code entries} keeps the order of the file. */
    record MapNode(Origin origin, Map<String, Entry> entries) implements YamlNode {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        Entry get(String key) {
            return entries.get(key);
        }
    }

    /** A key of a mapping (with the place the key itself was written) and its value. */
    record Entry(Origin keyOrigin, YamlNode value) {}

    record ListNode(Origin origin, List<YamlNode> items) implements YamlNode {
        public ListNode {
            items = List.copyOf(items);
        }
    }

    /**
     * A scalar as the YAML parser typed it (Jackson applies the YAML 1.1 rules: {@code yes} is a
     * boolean, {@code 1e-6} a float, a quoted {@code "3"} a string).
     *
     * @param text the scalar as written (for a null: "null")
     * @param number the value of an INT or FLOAT scalar, else null
     * @param bool the value of a BOOL scalar, else null
     */
    record ScalarNode(Origin origin, Kind kind, String text, Number number, Boolean bool) implements YamlNode {
        enum Kind { NULL, BOOL, INT, FLOAT, STRING }

        static ScalarNode ofNull(Origin origin) {
            return new ScalarNode(origin, Kind.NULL, "null", null, null);
        }

        static ScalarNode ofString(Origin origin, String text) {
            return new ScalarNode(origin, Kind.STRING, text, null, null);
        }

        boolean isNull() {
            return kind == Kind.NULL;
        }
    }

    static boolean isNull(YamlNode node) {
        return node instanceof ScalarNode s && s.isNull();
    }

    /** A short description of what was written, for "expected X, got Y" messages. */
    static String describe(YamlNode node) {
        return switch (node) {
            case MapNode m -> "a mapping";
            case ListNode l -> "a list";
            case ScalarNode s -> switch (s.kind()) {
                case NULL -> "null";
                case BOOL -> "boolean " + s.text();
                case INT -> "integer " + s.text();
                case FLOAT -> "number " + s.text();
                case STRING -> "string \"" + s.text() + "\"";
            };
        };
    }
}
