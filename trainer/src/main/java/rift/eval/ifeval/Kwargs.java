package rift.eval.ifeval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import rift.kernels.RiftException;

/**
 * The keyword arguments of one instruction of one IFEval record, with errors that name the record key,
 * the instruction id and the field. Null values count as absent (some IFEval copies store every key).
 */
final class Kwargs {
    private final JsonNode node;
    private final String where;

    Kwargs(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    /** Fails when a non-null field other than {@code allowed} is present (a typo would otherwise be ignored). */
    Kwargs only(String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!node.get(f).isNull() && !ok.contains(f)) {
                throw new RiftException(where + ": unexpected kwarg '" + f + "'; this instruction takes "
                        + (allowed.length == 0 ? "no kwargs" : String.join(", ", allowed)));
            }
        }
        return this;
    }

    private JsonNode required(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new RiftException(where + ": kwarg '" + field + "' is missing; add it");
        return v;
    }

    int integer(String field) {
        JsonNode v = required(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new RiftException(where + ": kwarg '" + field + "' is " + v + "; it must be a non-negative integer");
        }
        return v.intValue();
    }

    String string(String field) {
        JsonNode v = required(field);
        if (!v.isTextual()) throw new RiftException(where + ": kwarg '" + field + "' is " + v + "; it must be a string");
        return v.textValue();
    }

    List<String> strings(String field) {
        JsonNode v = required(field);
        if (!v.isArray() || v.isEmpty()) {
            throw new RiftException(where + ": kwarg '" + field + "' is " + v + "; it must be a non-empty list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) throw new RiftException(where + ": kwarg '" + field + "' has " + e + "; every entry must be a string");
            out.add(e.textValue());
        }
        return out;
    }

    /** The comparison kwarg: "less than" (actual < n) or "at least" (actual >= n). */
    Relation relation(String field) {
        String r = string(field);
        return switch (r) {
            case "less than" -> Relation.LESS_THAN;
            case "at least" -> Relation.AT_LEAST;
            default -> throw new RiftException(where + ": kwarg '" + field + "' is '" + r + "'; use 'less than' or 'at least'");
        };
    }

    String where() {
        return where;
    }

    enum Relation {
        LESS_THAN, AT_LEAST;

        boolean holds(int actual, int threshold) {
            return this == LESS_THAN ? actual < threshold : actual >= threshold;
        }
    }
}
