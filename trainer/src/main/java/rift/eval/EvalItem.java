package rift.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One benchmark item as read from its data file.
 *
 * @param index      0-based position in the data file (seeds derive from it, so a --limit subset samples
 *                   each item exactly as the full run does)
 * @param id         the item's id (from the id field, else its line number)
 * @param record     the whole JSON record (prompt templates read any field of it)
 * @param references accepted gold answers (empty when the benchmark maps no reference field)
 * @param choices    the options of a multiple-choice item, else null
 * @param gold       index of the correct option, -1 when not multiple choice
 * @param payload    what the scorer built from the record (an IFEval record, a testbed item), else null
 * @param where      file and line, for error messages
 */
public record EvalItem(int index, String id, JsonNode record, List<String> references, List<String> choices, int gold,
                       Object payload, String where) {
    public EvalItem {
        references = List.copyOf(references);
        if (choices != null) choices = List.copyOf(choices);
    }

    /** The single reference; scorers that need exactly one call this. */
    public String reference() {
        if (references.size() != 1) {
            throw new rift.kernels.RiftException(where + ": item " + id + " has " + references.size() + " reference answers where"
                    + " this scorer needs exactly one; point fields.reference at a single value (e.g. final_answer[0])");
        }
        return references.getFirst();
    }

    public EvalItem withPayload(Object p) {
        return new EvalItem(index, id, record, references, choices, gold, p, where);
    }
}
