package rift.recipe;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the recipe records look like, read by reflection: YAML key names, enum spellings, defaults,
 * the list of every valid dotted key, and "did you mean" suggestions. Binding, writing and the
 * docs generator all go through here, so they cannot disagree about a name.
 */
final class Schema {
    private Schema() {}

    /** The YAML key of a record component: Java camelCase written as snake_case (maxNewTokens -> max_new_tokens). */
    static String key(RecordComponent c) {
        return snake(c.getName());
    }

    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) sb.append('_').append(Character.toLowerCase(ch));
            else sb.append(ch);
        }
        return sb.toString();
    }

    /** The YAML spelling of an enum constant: lower case, '-' for '_' (SEQ_MEAN_TOKEN_MEAN -> seq-mean-token-mean). */
    static String enumName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static List<String> enumNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(e -> enumName((Enum<?>) e)).toList();
    }

    static Doc doc(RecordComponent c) {
        Doc d = c.getAnnotation(Doc.class);
        if (d == null) throw new IllegalStateException(c.getDeclaringRecord().getSimpleName() + "." + c.getName() + " has no @Doc");
        return d;
    }

    static Doc doc(Enum<?> constant) {
        try {
            return constant.getDeclaringClass().getField(constant.name()).getAnnotation(Doc.class);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key may be null when its default is null. */
    static boolean nullable(RecordComponent c) {
        return "null".equals(doc(c).dflt());
    }

    /** The records a sealed interface permits, by YAML name (the simple class name in lower case). */
    static Map<String, Class<?>> variants(Class<?> sealed) {
        Map<String, Class<?>> out = new LinkedHashMap<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) out.put(variantName(c), c);
        return out;
    }

    static String variantName(Class<?> variant) {
        return variant.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** The key that selects a variant of a sealed interface in a list element: {@code - name: correctness}. */
    static final String VARIANT_KEY = "name";

    static boolean isVariantType(Type t) {
        return t instanceof Class<?> c && c.isSealed() && c.isInterface();
    }

    static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) return c;
        if (t instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        throw new IllegalStateException("unsupported type " + t);
    }

    static Type typeArg(Type t, int i) {
        return ((ParameterizedType) t).getActualTypeArguments()[i];
    }

    /** How a type reads in messages and in the docs: "integer", "list of string", "one of: a, b". */
    static String typeName(Type t) {
        Class<?> c = raw(t);
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) return "integer";
        if (c == double.class || c == Double.class) return "number";
        if (c == boolean.class || c == Boolean.class) return "boolean";
        if (c == String.class) return "string";
        if (c.isEnum()) return "one of: " + String.join(", ", enumNames(c));
        if (c == List.class) return "list of " + typeName(typeArg(t, 0));
        if (c == Map.class) return "mapping of string to " + typeName(typeArg(t, 1));
        if (c.isRecord()) return "mapping (section)";
        if (isVariantType(c)) return "mapping with name: " + String.join(" | ", variants(c).keySet());
        throw new IllegalStateException("unsupported type " + t);
    }

    /**
     * Every dotted key a recipe can set, e.g. "grpo.num_generations"; for each record component one
     * entry (sections included), mapped to the component. Keys of list elements are written
     * "grpo.rewards[name: overlong].buffer_len"; free mappings end the path.
     */
    static Map<String, RecordComponent> allKeys() {
        Map<String, RecordComponent> out = new LinkedHashMap<>();
        collectKeys(Recipe.class, "", out);
        return out;
    }

    private static void collectKeys(Class<?> record, String prefix, Map<String, RecordComponent> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            String path = prefix + key(c);
            out.put(path, c);
            if (c.getType().isRecord()) collectKeys(c.getType(), path + ".", out);
            if (c.getType() == List.class && isVariantType(typeArg(c.getGenericType(), 0))) {
                for (var v : variants(raw(typeArg(c.getGenericType(), 0))).entrySet()) {
                    collectKeys(v.getValue(), path + "[name: " + v.getKey() + "].", out);
                }
            }
        }
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * The candidate nearest to {@code word} by edit distance, if it is near enough to be a typo
     * (at most a third of the word's letters, 1 to 3), or else the only candidate it begins; ties go to
     * the first candidate.
     */
    static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        if (bestDistance <= allowed) return best;
        // a cut-short word ("correct" for "correctness") is a typo too, when only one key starts with it
        List<String> longer = candidates.stream().filter(c -> word.length() >= 3 && c.startsWith(word)).toList();
        return longer.size() == 1 ? longer.getFirst() : null;
    }

    /**
     * The hint for an unknown key {@code key} found in section {@code section} ("" for the top
     * level) whose valid keys are {@code siblings}: a near sibling, else a known TRL/verl name
     * ({@link Doc#aka()}), else the same key in another section, else the nearest dotted key anywhere.
     */
    static String suggest(String section, String key, Collection<String> siblings) {
        String prefix = section.isEmpty() ? "" : section + ".";
        String near = closest(key, siblings);
        if (near != null) return "did you mean " + prefix + near + "?";
        Map<String, RecordComponent> all = allKeys();
        List<String> sameLeaf = new ArrayList<>();
        for (String path : all.keySet()) if (path.endsWith("." + key) || path.equals(key)) sameLeaf.add(path);
        if (!sameLeaf.isEmpty()) return "this key belongs elsewhere: did you mean " + String.join(" or ", sameLeaf) + "?";
        for (var e : all.entrySet()) {
            for (String aka : doc(e.getValue()).aka()) {
                String name = akaName(aka);
                if (name.equals(key) || name.endsWith("." + key) || name.replace('.', '_').equals(key)) {
                    return "'" + name + "' is " + akaWho(aka) + "'s name for rift's " + e.getKey() + ": write " + e.getKey();
                }
            }
        }
        String nearPath = closest(prefix + key, all.keySet());
        if (nearPath != null) return "did you mean " + nearPath + "?";
        return "valid keys" + (section.isEmpty() ? "" : " in " + section) + ": " + String.join(", ", siblings);
    }

    /** The name in an {@link Doc#aka()} entry "name (who)". */
    static String akaName(String aka) {
        int i = aka.indexOf(" (");
        return i < 0 ? aka : aka.substring(0, i);
    }

    /** The trainer in an {@link Doc#aka()} entry "name (who)". */
    static String akaWho(String aka) {
        int i = aka.indexOf(" (");
        return i < 0 ? "another trainer" : aka.substring(i + 2, aka.length() - 1);
    }

    /** A copy of {@code r} with one component replaced (records are immutable). */
    @SuppressWarnings("unchecked")
    static <R extends Record> R with(R r, String component, Object value) {
        RecordComponent[] cs = r.getClass().getRecordComponents();
        Object[] args = new Object[cs.length];
        boolean found = false;
        try {
            for (int i = 0; i < cs.length; i++) {
                if (cs[i].getName().equals(component)) {
                    args[i] = value;
                    found = true;
                } else {
                    args[i] = cs[i].getAccessor().invoke(r);
                }
            }
            if (!found) throw new IllegalArgumentException(r.getClass().getSimpleName() + " has no component " + component);
            return (R) canonicalConstructor(r.getClass()).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Constructor<?> canonicalConstructor(Class<?> record) throws NoSuchMethodException {
        Class<?>[] types = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        return record.getDeclaredConstructor(types);
    }
}
