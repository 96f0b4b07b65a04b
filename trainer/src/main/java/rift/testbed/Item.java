package rift.testbed;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One task instance of the testbed.
 *
 * @param id unique within a data set, e.g. {@code math-eval-17}
 * @param family the task family (which also fixes the group)
 * @param prompt the full prompt text, ending with a newline; it states the answer format
 * @param answer the reference answer (for instruction following: one response that obeys every rule)
 * @param trace the teacher's step-by-step solution ending in {@code \boxed{answer}} (math only, else null)
 * @param fields what the checker needs beyond the answer (rule parameters, grid, options, ...) and what
 *     analyses split on ({@code variant}, {@code level}); values are JSON-shaped: String, Integer,
 *     List and Map only, so an item read back from JSON checks exactly like the generated one
 */
public record Item(String id, Family family, String prompt, String answer, String trace, Map<String, Object> fields) {

    /** Keys written at the top level of an eval record, which a field may not reuse. */
    static final Set<String> RESERVED = Set.of("id", "family", "group", "prompt", "answer", "trace");

    public Item {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        for (String k : fields.keySet())
            if (RESERVED.contains(k)) throw new IllegalArgumentException("field name " + k + " is reserved");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Group group() {
        return family.group();
    }

    /** The same item under another id (data sets name items by split and index). */
    public Item withId(String newId) {
        return new Item(newId, family, prompt, answer, trace, fields);
    }

    public String variant() {
        return string("variant");
    }

    public String string(String key) {
        Object v = fields.get(key);
        if (!(v instanceof String s)) throw missing(key, "a string");
        return s;
    }

    public int integer(String key) {
        Object v = fields.get(key);
        if (!(v instanceof Number n)) throw missing(key, "a number");
        return n.intValue();
    }

    public List<?> list(String key) {
        Object v = fields.get(key);
        if (!(v instanceof List<?> l)) throw missing(key, "a list");
        return l;
    }

    private IllegalArgumentException missing(String key, String what) {
        return new IllegalArgumentException("item " + id + " (" + family.key() + ") needs field " + key + " as " + what);
    }
}
