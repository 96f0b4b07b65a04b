package rift.checkpoint;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys where two resolved recipes (as written into checkpoints) differ, as "key: old -> new", so a
 * refused resume can say what changed instead of only that two hashes differ.
 */
final class RecipeDiff {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final int SHOWN = 8;

    private RecipeDiff() {}

    /** "a.b: 1 -> 2, c: x -> (absent)", at most a few keys and a count of the rest; empty when nothing differs or either text is not YAML. */
    static String describe(String oldYaml, String newYaml) {
        List<String> changed = changes(oldYaml, newYaml);
        if (changed == null) return "";
        if (changed.size() > SHOWN) {
            int more = changed.size() - SHOWN;
            changed = new ArrayList<>(changed.subList(0, SHOWN));
            changed.add("and " + more + " more");
        }
        return String.join(", ", changed);
    }

    /**
     * Whether two resolved recipes train the same way: every key equal but run_dir (which the recipe hash leaves
     * out). Lets a checkpoint whose hash was computed by an earlier definition (run_dir included) resume.
     */
    static boolean sameTraining(String oldYaml, String newYaml) {
        List<String> changed = changes(oldYaml, newYaml);
        return changed != null && changed.stream().allMatch(c -> c.startsWith("run_dir: "));
    }

    /** Every "key: old -> new" where the two differ, in key order; null when either text is not YAML. */
    private static List<String> changes(String oldYaml, String newYaml) {
        Map<String, String> a = new TreeMap<>(), b = new TreeMap<>();
        try {
            flatten("", YAML.readTree(oldYaml), a);
            flatten("", YAML.readTree(newYaml), b);
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
        List<String> changed = new ArrayList<>();
        TreeMap<String, String> keys = new TreeMap<>(a);
        keys.putAll(b);
        for (String k : keys.keySet()) {
            String x = a.getOrDefault(k, "(absent)"), y = b.getOrDefault(k, "(absent)");
            if (!x.equals(y)) changed.add(k + ": " + x + " -> " + y);
        }
        return changed;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
        if (n == null) return;
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, n.isValueNode() ? n.asText() : n.toString());
        }
    }
}
