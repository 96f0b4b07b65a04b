package rift.recipe;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.recipe.YamlNode.Entry;
import rift.recipe.YamlNode.ListNode;
import rift.recipe.YamlNode.MapNode;
import rift.recipe.YamlNode.ScalarNode;

/**
 * Turns a merged {@link YamlNode} tree into the recipe records: fills defaults from {@link Doc#dflt()},
 * reports unknown keys (with the closest valid key), wrong types (with the expected type and, for
 * enums, the allowed values), missing required keys and values outside {@link Doc#range()}. It
 * records where each dotted key's value came from, so later checks can point at the right line.
 *
 * <p>Why not Jackson databind: it cannot tell "absent" from "null" in a record, loses the location
 * of values that came from a base file or an override, and stops at the first error.
 */
final class Binder {
    /** Marks a value that could not be bound; its problem is already recorded. */
    private static final Object FAILED = new Object();

    private final Problems problems;
    private final Origin defaultOrigin;
    private final Map<String, Origin> origins = new LinkedHashMap<>();

    Binder(Problems problems, Origin defaultOrigin) {
        this.problems = problems;
        this.defaultOrigin = defaultOrigin;
    }

    /** Where each dotted key ("grpo.num_generations", "data.train[0]") got its value. */
    Map<String, Origin> origins() {
        return origins;
    }

    /** Binds the whole tree; null when there were problems (they are in {@code problems}). */
    <R> R bindRoot(Class<R> type, MapNode root, Origin anchor) {
        Object v = record(type, root, "", anchor);
        return v == FAILED ? null : type.cast(v);
    }

    private Object bind(Type type, YamlNode node, String path, Origin anchor, Doc doc) {
        // a scalar's own line; for a mapping or list, the line of its key (a block value starts below it)
        origins.put(path, node instanceof ScalarNode || node.origin().isDefault() ? node.origin() : anchor);
        if (YamlNode.isNull(node)) {
            if (doc != null && "null".equals(doc.dflt())) return null; // a default of null
            problems.add(node.origin(), path, "must not be null; give " + article(Schema.typeName(type)) + " or remove it");
            return FAILED;
        }
        Class<?> c = Schema.raw(type);
        Object value;
        if (c == List.class) value = list(type, node, path, anchor);
        else if (c == Map.class) value = map(type, node, path, anchor);
        else if (c.isRecord()) value = node instanceof MapNode m ? record(c, m, path, anchor) : wrongType(type, node, path);
        else if (Schema.isVariantType(c)) value = variant(c, node, path, anchor);
        else value = scalar(c, type, node, path);
        if (value != FAILED && doc != null && !doc.range().isEmpty()) checkRange(Range.parse(doc.range()), value, node, path);
        return value;
    }

    private Object record(Class<?> type, MapNode map, String path, Origin anchor) {
        String prefix = path.isEmpty() ? "" : path + ".";
        RecordComponent[] components = type.getRecordComponents();
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : components) keys.add(Schema.key(c));
        boolean isVariant = type.getInterfaces().length > 0 && Schema.isVariantType(type.getInterfaces()[0]);
        boolean ok = true;
        for (var e : map.entries().entrySet()) {
            String key = e.getKey();
            if (keys.contains(key) || (isVariant && key.equals(Schema.VARIANT_KEY))) continue;
            problems.add(e.getValue().keyOrigin(), prefix + key, "unknown key; " + Schema.suggest(path, key, keys));
            ok = false;
        }
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Doc doc = Schema.doc(c);
            String key = keys.get(i);
            Entry entry = map.get(key);
            // null means "unset": the key takes its default (this is how a recipe clears a key set by
            // the file it extends)
            boolean unset = entry == null || YamlNode.isNull(entry.value());
            Origin here = entry == null ? anchor : entry.keyOrigin();
            if (unset && doc.required()) {
                problems.add(here, prefix + key, "required key is " + (entry == null ? "missing" : "null")
                        + ": " + (entry == null ? "add" : "set") + " '" + key + ":' ("
                        + Schema.typeName(c.getGenericType()) + ") " + (path.isEmpty() ? "at the top level" : "under '" + path + ":'")
                        + " - " + firstSentence(doc.value()));
                ok = false;
                continue;
            }
            args[i] = unset
                    ? bind(c.getGenericType(), YamlReader.readValue(doc.dflt(), defaultOrigin), prefix + key, here, doc)
                    : bind(c.getGenericType(), entry.value(), prefix + key, entry.keyOrigin(), doc);
            if (args[i] == FAILED) ok = false;
        }
        if (!ok) return FAILED;
        try {
            return Schema.canonicalConstructor(type).newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructing " + type.getSimpleName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object variant(Class<?> sealed, YamlNode node, String path, Origin anchor) {
        Map<String, Class<?>> variants = Schema.variants(sealed);
        String choices = String.join(", ", variants.keySet());
        if (!(node instanceof MapNode map)) {
            problems.add(node.origin(), path, "expected a mapping with 'name: <" + choices.replace(", ", "|")
                    + ">', got " + YamlNode.describe(node));
            return FAILED;
        }
        Entry name = map.get(Schema.VARIANT_KEY);
        if (name == null || !(name.value() instanceof ScalarNode s) || s.isNull()) {
            problems.add(node.origin(), path + "." + Schema.VARIANT_KEY, "missing: say which one with 'name:', one of: " + choices);
            return FAILED;
        }
        Class<?> chosen = variants.get(s.text());
        if (chosen == null) {
            String near = Schema.closest(s.text(), variants.keySet());
            problems.add(s.origin(), path + "." + Schema.VARIANT_KEY, "unknown '" + s.text() + "'; allowed: " + choices
                    + (near == null ? "" : "; did you mean " + near + "?"));
            return FAILED;
        }
        return record(chosen, map, path, anchor);
    }

    private Object list(Type type, YamlNode node, String path, Origin anchor) {
        if (!(node instanceof ListNode list)) return wrongType(type, node, path);
        Type element = Schema.typeArg(type, 0);
        List<Object> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode item = list.items().get(i);
            Object v = bind(element, item, path + "[" + i + "]", item.origin().isDefault() ? anchor : item.origin(), null);
            ok &= v != FAILED;
            out.add(v);
        }
        return ok ? List.copyOf(out) : FAILED;
    }

    private Object map(Type type, YamlNode node, String path, Origin anchor) {
        if (!(node instanceof MapNode m)) return wrongType(type, node, path);
        Type valueType = Schema.typeArg(type, 1);
        Map<String, Object> out = new LinkedHashMap<>();
        boolean ok = true;
        for (var e : m.entries().entrySet()) {
            Object v = bind(valueType, e.getValue().value(), path + "." + e.getKey(), e.getValue().keyOrigin(), null);
            ok &= v != FAILED;
            out.put(e.getKey(), v);
        }
        return ok ? java.util.Collections.unmodifiableMap(out) : FAILED;
    }

    private Object scalar(Class<?> c, Type type, YamlNode node, String path) {
        if (!(node instanceof ScalarNode s)) return wrongType(type, node, path);
        if (c == String.class) return s.text();
        if (c.isEnum()) return enumValue(c, s, path);
        if ((c == int.class || c == Integer.class || c == long.class || c == Long.class) && s.kind() == ScalarNode.Kind.INT) {
            BigInteger big = s.number() instanceof BigInteger b ? b : BigInteger.valueOf(s.number().longValue());
            boolean isInt = c == int.class || c == Integer.class;
            if (big.bitLength() >= (isInt ? 32 : 64)) {
                problems.add(s.origin(), path, s.text() + " is too large for " + (isInt ? "a 32-bit" : "a 64-bit") + " integer");
                return FAILED;
            }
            return isInt ? (Object) big.intValue() : (Object) big.longValue();
        }
        if ((c == double.class || c == Double.class) && (s.kind() == ScalarNode.Kind.INT || s.kind() == ScalarNode.Kind.FLOAT)) {
            double v = s.number().doubleValue();
            if (!Double.isFinite(v)) {
                problems.add(s.origin(), path, "must be a finite number, got " + s.text());
                return FAILED;
            }
            return v;
        }
        if ((c == boolean.class || c == Boolean.class) && s.kind() == ScalarNode.Kind.BOOL) return s.bool();
        return wrongType(type, node, path);
    }

    private Object enumValue(Class<?> c, ScalarNode s, String path) {
        for (Object constant : c.getEnumConstants()) {
            if (Schema.enumName((Enum<?>) constant).equals(s.text())) return constant;
        }
        List<String> names = Schema.enumNames(c);
        for (Object constant : c.getEnumConstants()) { // another trainer's spelling of a value: name rift's
            Doc d = Schema.doc((Enum<?>) constant);
            for (String aka : d == null ? new String[0] : d.aka()) {
                if (Schema.akaName(aka).equals(s.text())) {
                    problems.add(s.origin(), path, "'" + s.text() + "' is a " + Schema.akaWho(aka) + " value: write "
                            + Schema.enumName((Enum<?>) constant) + " (" + firstSentence(d.value()) + ")");
                    return FAILED;
                }
            }
        }
        String near = Schema.closest(s.text(), names);
        problems.add(s.origin(), path, "'" + s.text() + "' is not allowed; allowed values: " + String.join(", ", names)
                + (near == null ? "" : "; did you mean " + near + "?"));
        return FAILED;
    }

    private Object wrongType(Type type, YamlNode node, String path) {
        String hint = "";
        if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING && Schema.raw(type) != String.class
                && (s.text().matches("[-+]?[0-9][0-9_.eE+-]*") || s.text().matches("(?i)true|false"))) {
            hint = " (remove the quotes)";
        } else if (Schema.raw(type) == List.class && node instanceof ScalarNode) {
            hint = " (write a list: [" + ((ScalarNode) node).text() + "] or one '- item' per line)";
        } else if (Schema.typeName(type).equals("integer") && node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.FLOAT) {
            hint = " (write a whole number)";
        }
        problems.add(node.origin(), path, "expected " + article(Schema.typeName(type)) + ", got " + YamlNode.describe(node) + hint);
        return FAILED;
    }

    private void checkRange(Range range, Object value, YamlNode node, String path) {
        if (value instanceof Number n && !range.contains(n.doubleValue())) {
            problems.add(node.origin(), path, "must be " + range.describe() + ", got " + ((ScalarNode) node).text());
        } else if (value instanceof List<?> list && node instanceof ListNode ln) {
            for (int i = 0; i < list.size(); i++) checkRange(range, list.get(i), ln.items().get(i), path + "[" + i + "]");
        }
    }

    private static String article(String typeName) {
        if (typeName.startsWith("one of") || typeName.startsWith("mapping with")) return typeName;
        return ("aeiou".indexOf(typeName.charAt(0)) >= 0 ? "an " : "a ") + typeName;
    }

    static String firstSentence(String text) {
        int end = text.indexOf(". ");
        String s = end < 0 ? text : text.substring(0, end);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
