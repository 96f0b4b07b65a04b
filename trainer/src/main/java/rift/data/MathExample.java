package rift.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One math problem as the trainer sees it, whatever file layout it came from.
 *
 * @param id the record's {@code unique_id} or {@code id} field when it has one, else its source
 *     ({@code train.jsonl:17}: file name without {@code .gz}, then the 1-based line)
 * @param prompt the problem text (before any prompt template)
 * @param solution a worked solution (the SFT target), or null when the record has none and none was
 *     required; GSM8K solutions have their {@code <<...>>} calculator annotations removed
 * @param answer the gold final answer, compared by the verifier
 * @param meta the record's other scalar fields as text (e.g. {@code level}, {@code type}), after
 *     {@code source} ({@code file:line}); in file order, unmodifiable
 */
public record MathExample(String id, String prompt, String solution, String answer, Map<String, String> meta) {
    public MathExample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        // answer may be null: a generic JSONL record without one (see RecordMapper)
        meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
    }

    /** Where the record was read: {@code file:line}. */
    public String source() {
        return meta.get("source");
    }
}
