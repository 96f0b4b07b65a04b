package rift.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes a resolved recipe: as YAML for people and the run directory, and as compact JSON for the
 * hash. Both come from the same Jackson tree, in record-component order, so they always agree.
 */
final class RecipeYaml {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String HEADER = "# rift recipe, fully resolved: every key with its value in effect (docs/recipes.md).\n";

    private RecipeYaml() {}

    static String toYaml(Recipe recipe) {
        try {
            return HEADER + YAML.writeValueAsString(tree(recipe));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hash(Recipe recipe) {
        ObjectNode tree = tree(recipe);
        tree.remove("run_dir"); // where a run writes does not change what it trains: resuming into another folder is allowed
        try {
            byte[] canonical = JSON.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The recipe as a tree; the section of the method not in use is left out. */
    static ObjectNode tree(Recipe recipe) {
        ObjectNode root = (ObjectNode) node(recipe);
        root.remove(recipe.isGrpo() ? "sft" : "grpo");
        return root;
    }

    private static JsonNode node(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case String s -> NODES.textNode(s);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Double d -> NODES.numberNode(d);
            case Boolean b -> NODES.booleanNode(b);
            case Enum<?> e -> NODES.textNode(Schema.enumName(e));
            case List<?> list -> {
                ArrayNode a = NODES.arrayNode();
                for (Object o : list) a.add(node(o));
                yield a;
            }
            case Map<?, ?> map -> {
                ObjectNode o = NODES.objectNode();
                for (var e : map.entrySet()) o.set((String) e.getKey(), node(e.getValue()));
                yield o;
            }
            case Record r -> record(r);
            default -> throw new IllegalStateException("cannot write " + value.getClass());
        };
    }

    private static ObjectNode record(Record r) {
        ObjectNode o = NODES.objectNode();
        Class<?>[] interfaces = r.getClass().getInterfaces();
        if (interfaces.length > 0 && Schema.isVariantType(interfaces[0])) {
            o.put(Schema.VARIANT_KEY, Schema.variantName(r.getClass()));
        }
        try {
            for (RecordComponent c : r.getClass().getRecordComponents()) o.set(Schema.key(c), node(c.getAccessor().invoke(r)));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return o;
    }
}
