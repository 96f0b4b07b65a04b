package rift.eval;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * A suite file read into a small tree whose every node knows its file, line and key path (e.g.
 * {@code benchmarks[2].decoding.temperature}), so an error can say exactly where it was written even
 * after a benchmark was merged with the suite's {@code defaults}. Jackson's own tree drops locations.
 * Anchors, aliases, duplicate keys and second documents are rejected: each makes "which value wins"
 * unclear.
 */
final class SuiteYaml {
    private SuiteYaml() {}

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** Any node: a mapping, a list or a scalar. */
    sealed interface Node permits MapNode, ListNode, Scalar {
        String file();

        int line();

        String path();

        /** "file line N, key a.b" for messages. */
        default String where() {
            return file() + " line " + line() + (path().isEmpty() ? "" : ", key " + path());
        }
    }

    /** A mapping in file order; {@code keyLines} says where each key was written. */
    record MapNode(String file, int line, String path, Map<String, Node> entries, Map<String, Integer> keyLines) implements Node {
        MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLines = Collections.unmodifiableMap(new LinkedHashMap<>(keyLines));
        }

        /** "file line N, key a.b" for a key of this mapping (the key's own line). */
        String keyWhere(String key) {
            Integer l = keyLines.get(key);
            String sub = path.isEmpty() ? key : path + "." + key;
            return file + " line " + (l == null ? line : l) + ", key " + sub;
        }
    }

    record ListNode(String file, int line, String path, List<Node> items) implements Node {
        ListNode {
            items = List.copyOf(items);
        }
    }

    /** A scalar as YAML typed it: String, Long, Double, Boolean, or null. */
    record Scalar(String file, int line, String path, Object value) implements Node {}

    /** Parses a whole suite file; an empty file is an error (a suite needs benchmarks). */
    static MapNode read(String text, String file) {
        try (YAMLParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new RiftException(file + ": the suite file is empty; write a mapping with a benchmarks: list");
            Node root = new Reader(p, file).value(first, "");
            if (p.nextToken() != null) {
                throw new RiftException(file + " line " + p.currentTokenLocation().getLineNr()
                        + ": a second YAML document starts here; a suite is one document, remove the '---' and what follows");
            }
            if (!(root instanceof MapNode m)) {
                throw new RiftException(file + ": a suite must be a YAML mapping (name:, benchmarks:, ...), not " + describe(root));
            }
            return m;
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String problem = e.getOriginalMessage() == null ? String.valueOf(e.getMessage()) : e.getOriginalMessage();
            throw new RiftException(file + (line > 0 ? " line " + line : "") + ": YAML syntax error: "
                    + problem.lines().findFirst().orElse("").strip()
                    + "; check the indentation (spaces, not tabs) and the quoting here and on the lines above", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "a mapping", "a list", "string \"x\"", "number 3", ... */
    static String describe(Node n) {
        return switch (n) {
            case MapNode m -> "a mapping";
            case ListNode l -> "a list";
            case Scalar s when s.value() == null -> "null";
            case Scalar s when s.value() instanceof String str -> "string \"" + str + "\"";
            case Scalar s when s.value() instanceof Boolean b -> "boolean " + b;
            case Scalar s -> "number " + s.value();
        };
    }

    private record Reader(YAMLParser p, String file) {
        int line() {
            return p.currentTokenLocation().getLineNr();
        }

        Node value(JsonToken t, String path) throws IOException {
            int line = line();
            if (p.isCurrentAlias() || p.getCurrentAnchor() != null) {
                throw new RiftException(file + " line " + line + (path.isEmpty() ? "" : ", key " + path)
                        + ": YAML anchors and aliases (&name, *name) are not supported in suites; write the value out or use defaults:");
            }
            return switch (t) {
                case START_OBJECT -> {
                    Map<String, Node> entries = new LinkedHashMap<>();
                    Map<String, Integer> keyLines = new LinkedHashMap<>();
                    for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                        String key = p.currentName();
                        int keyLine = line();
                        String sub = path.isEmpty() ? key : path + "." + key;
                        if (entries.containsKey(key)) {
                            throw new RiftException(file + " line " + keyLine + ", key " + sub + ": written twice in the same mapping"
                                    + " (first at line " + keyLines.get(key) + "); keep one of them");
                        }
                        keyLines.put(key, keyLine);
                        entries.put(key, value(p.nextToken(), sub));
                    }
                    yield new MapNode(file, line, path, entries, keyLines);
                }
                case START_ARRAY -> {
                    List<Node> items = new ArrayList<>();
                    for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) items.add(value(k, path + "[" + items.size() + "]"));
                    yield new ListNode(file, line, path, items);
                }
                case VALUE_NULL -> new Scalar(file, line, path, null);
                case VALUE_TRUE, VALUE_FALSE -> new Scalar(file, line, path, t == JsonToken.VALUE_TRUE);
                case VALUE_NUMBER_INT -> new Scalar(file, line, path, p.getLongValue());
                case VALUE_NUMBER_FLOAT -> new Scalar(file, line, path, p.getDoubleValue());
                case VALUE_STRING -> new Scalar(file, line, path, p.getText());
                default -> throw new RiftException(file + " line " + line + ": unsupported YAML value (" + t + "); use scalars, lists and mappings");
            };
        }
    }
}
