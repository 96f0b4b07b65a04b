package rift.recipe;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import rift.kernels.RiftException;
import rift.recipe.YamlNode.Entry;
import rift.recipe.YamlNode.ListNode;
import rift.recipe.YamlNode.MapNode;
import rift.recipe.YamlNode.ScalarNode;
import rift.recipe.YamlNode.ScalarNode.Kind;

/**
 * Reads YAML text into a {@link YamlNode} tree with Jackson's streaming YAML parser, keeping the line
 * of every key and value. Anchors/aliases, duplicate keys and multi-document files are rejected:
 * each would make "which value wins" unclear in a recipe.
 */
final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final YAMLParser parser;
    private final String name;
    private final IntFunction<Origin> originAtLine;

    private YamlReader(YAMLParser parser, String name, IntFunction<Origin> originAtLine) {
        this.parser = parser;
        this.name = name;
        this.originAtLine = originAtLine;
    }

    /** Reads a whole recipe file's text; an empty file is an empty mapping. */
    static MapNode readFile(String text, String file) {
        YamlNode root = read(text, file, line -> Origin.at(file, line));
        if (root == null) return new MapNode(Origin.at(file, 1), Map.of());
        if (!(root instanceof MapNode map)) {
            throw new RiftException(root.origin().where() + ": a recipe must be a YAML mapping of keys"
                    + " (model:, data:, method:, ...), not " + YamlNode.describe(root));
        }
        return map;
    }

    /**
     * Reads one YAML value (a default from {@link Doc#dflt()} or the value of a command-line
     * override); every node gets {@code origin}. Empty text is null.
     */
    static YamlNode readValue(String text, Origin origin) {
        YamlNode node = read(text, origin.where(), line -> origin);
        return node == null ? ScalarNode.ofNull(origin) : node;
    }

    private static YamlNode read(String text, String name, IntFunction<Origin> originAtLine) {
        try (YAMLParser parser = FACTORY.createParser(text)) {
            YamlReader reader = new YamlReader(parser, name, originAtLine);
            JsonToken first = parser.nextToken();
            if (first == null) return null;
            YamlNode root = reader.value(first);
            if (parser.nextToken() != null) {
                throw new RiftException(reader.here() + ": a second YAML document (after a '---' line) starts here;"
                        + " a recipe is one document: remove it (use extends: to share settings)");
            }
            return root;
        } catch (JacksonException e) {
            throw syntaxError(e, name, originAtLine);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SnakeYAML's problem and context ("while parsing a block mapping"), at the problem's line. */
    private static RiftException syntaxError(JacksonException e, String name, IntFunction<Origin> originAtLine) {
        int line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
        String problem = e.getOriginalMessage() == null ? String.valueOf(e.getMessage()) : e.getOriginalMessage();
        problem = problem.lines().findFirst().orElse("").strip();
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            line = m.getProblemMark().getLine() + 1;
            problem = m.getProblem().strip();
            if (m.getContext() != null) {
                problem += " (" + m.getContext() + (m.getContextMark() == null ? "" : " that starts at line " + (m.getContextMark().getLine() + 1)) + ")";
            }
        }
        String where = line > 0 ? originAtLine.apply(line).where() : name;
        return new RiftException(where + ": YAML syntax error: " + problem
                + "; check the indentation (spaces, not tabs) and the quoting here and on the lines above");
    }

    private Origin here() {
        return originAtLine.apply(parser.currentTokenLocation().getLineNr());
    }

    private YamlNode value(JsonToken token) throws IOException {
        Origin origin = here();
        if (parser.isCurrentAlias() || parser.getCurrentAnchor() != null) {
            throw new RiftException(origin.where() + ": YAML anchors and aliases (&name, *name) are not"
                    + " supported in recipes: write the value out, or share settings with extends:");
        }
        return switch (token) {
            case START_OBJECT -> mapping(origin);
            case START_ARRAY -> list(origin);
            case VALUE_NULL -> ScalarNode.ofNull(origin);
            case VALUE_TRUE, VALUE_FALSE -> new ScalarNode(origin, Kind.BOOL, parser.getText(), null, token == JsonToken.VALUE_TRUE);
            case VALUE_NUMBER_INT -> new ScalarNode(origin, Kind.INT, parser.getText(), parser.getNumberValue(), null);
            case VALUE_NUMBER_FLOAT -> new ScalarNode(origin, Kind.FLOAT, parser.getText(), parser.getDoubleValue(), null);
            case VALUE_STRING -> ScalarNode.ofString(origin, parser.getText());
            default -> throw new RiftException(origin.where() + ": unsupported YAML value (" + token
                    + "); use plain scalars, lists and mappings");
        };
    }

    private MapNode mapping(Origin origin) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String key = parser.currentName();
            Origin keyOrigin = here();
            YamlNode value = value(parser.nextToken());
            Entry previous = entries.put(key, new Entry(keyOrigin, value));
            if (previous != null) {
                throw new RiftException(keyOrigin.where() + ": key '" + key + "' is written twice in the same"
                        + " mapping (first at line " + previous.keyOrigin().line() + "): keep one of them");
            }
        }
        return new MapNode(origin, entries);
    }

    private ListNode list(Origin origin) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) items.add(value(t));
        return new ListNode(origin, items);
    }
}
