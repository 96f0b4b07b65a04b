package rift.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one parsed JSON record into a {@link MathExample} following a {@link DataSpec}'s format and fields. */
final class RecordMapper {
    /** Why a record cannot be used: the field, what is wrong, and how to fix it. */
    static final class BadRecord extends Exception {
        final String field;
        final String fix;
        /** Well-formed but empty: dropped and counted whatever on_bad_record says. */
        final boolean empty;

        BadRecord(String field, String problem, String fix) {
            this(field, problem, fix, false);
        }

        BadRecord(String field, String problem, String fix, boolean empty) {
            super(problem, null, false, false);
            this.field = field;
            this.fix = fix;
            this.empty = empty;
        }
    }

    private static final String SKIP = "or set data.on_bad_record: skip";

    private final DataSpec spec;
    private final DataSpec.Fields f;
    /** The first empty field of the record being mapped: reported only if nothing worse is wrong. */
    private BadRecord firstEmpty;

    RecordMapper(DataSpec spec) {
        this.spec = spec;
        this.f = spec.fields();
    }

    MathExample map(ObjectNode rec, String source) throws BadRecord {
        firstEmpty = null;
        String prompt = text(rec, f.prompt(), "prompt");
        String answer = switch (spec.format()) {
            case GSM8K -> {
                String worked = text(rec, f.answer(), "answer");
                if (worked.isBlank()) yield worked; // already noted as empty
                String a = Gsm8k.finalAnswer(worked);
                if (a == null) throw new BadRecord(f.answer(), "has no '#### N' final answer line",
                        "GSM8K answers end with a line '#### <number>': fix the record, use data.format: jsonl"
                                + " for another layout, " + SKIP);
                yield a;
            }
            case MATH -> {
                if (present(rec, f.answer())) yield answerText(rec, f.answer());
                if (!present(rec, f.solution())) throw missing(rec, f.answer(), "answer");
                String boxed = BoxedAnswer.last(solutionText(rec, f.solution()));
                if (boxed != null && boxed.isBlank() && firstEmpty == null) firstEmpty = new BadRecord(f.answer(),
                        "missing, and the \\boxed{} of field '" + f.solution() + "' is empty", "add the answer", true);
                if (boxed == null) throw new BadRecord(f.answer(),
                        "missing, and field '" + f.solution() + "' has no \\boxed{} answer to take instead",
                        "add the answer, map it with data.fields.answer, " + SKIP);
                yield boxed.strip();
            }
            // SFT pairs and pretraining documents need no gold answer (spec.requireAnswer() false)
            case JSONL -> present(rec, f.answer()) || spec.requireAnswer() ? answerText(rec, f.answer()) : null;
        };
        String solution = null;
        if (present(rec, f.solution())) {
            solution = solutionText(rec, f.solution());
            if (spec.format() == DataSpec.Format.GSM8K && !spec.keepCalculatorAnnotations())
                solution = Gsm8k.withoutCalculatorAnnotations(solution);
        } else if (spec.requireSolution()) {
            throw missing(rec, f.solution(), "solution");
        }
        if (firstEmpty != null) throw firstEmpty;
        String idField = idField(rec);
        String id = idField != null ? scalarText(rec.get(idField)) : source;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", source);
        for (var e : rec.properties()) {
            String k = e.getKey();
            if (k.equals(f.prompt()) || k.equals(f.answer()) || k.equals(f.solution()) || k.equals(idField)) continue;
            String v = scalarText(e.getValue());
            if (v != null) meta.put(k, v);
        }
        return new MathExample(id, prompt, solution, answer, meta);
    }

    /** The record's id field: {@code unique_id} or {@code id} holding a scalar, or null. */
    private static String idField(ObjectNode rec) {
        for (String k : new String[] {"unique_id", "id"}) {
            String v = scalarText(rec.get(k));
            if (v != null && !v.isBlank()) return k;
        }
        return null;
    }

    static boolean present(ObjectNode rec, String field) {
        JsonNode n = rec.get(field);
        return n != null && !n.isNull();
    }

    /** A field that must hold non-blank text. */
    private String text(ObjectNode rec, String field, String role) throws BadRecord {
        JsonNode n = rec.get(field);
        if (n == null || n.isNull()) throw missing(rec, field, role);
        if (!n.isTextual()) throw wrongType(field, n, "text", role);
        return nonBlank(n.asText(), field, role);
    }

    /** An answer: text, a number, or a list of those (several answers, joined with ", "). */
    private String answerText(ObjectNode rec, String field) throws BadRecord {
        JsonNode n = rec.get(field);
        if (n == null || n.isNull()) throw missing(rec, field, "answer");
        if (n.isTextual() || n.isNumber()) return nonBlank(scalarText(n), field, "answer");
        if (n.isArray() && !n.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual() && !e.isNumber()) throw wrongType(field, n, "text, a number or a list of those", "answer");
                parts.add(scalarText(e).strip());
            }
            return nonBlank(String.join(", ", parts), field, "answer");
        }
        throw wrongType(field, n, "text, a number or a list of those", "answer");
    }

    /** A solution: text, or a list of alternative worked solutions (the first is used). */
    private String solutionText(ObjectNode rec, String field) throws BadRecord {
        JsonNode n = rec.get(field);
        if (n.isArray() && !n.isEmpty()) n = n.get(0);
        if (!n.isTextual()) throw wrongType(field, rec.get(field), "text or a list of text", "solution");
        return nonBlank(n.asText(), field, "solution");
    }

    /** {@code s}; when it is blank, remembers that (the record is dropped once its other fields are checked). */
    private String nonBlank(String s, String field, String role) {
        if (s.isBlank() && firstEmpty == null)
            firstEmpty = new BadRecord(field, "is empty", "fill it or map another field with data.fields." + role, true);
        return s;
    }

    private static BadRecord missing(ObjectNode rec, String field, String role) {
        List<String> names = new ArrayList<>();
        rec.fieldNames().forEachRemaining(names::add);
        return new BadRecord(field, "missing (the record has " + (names.isEmpty() ? "no fields" : "fields " + names) + ")",
                "add it, name the field that holds the " + role + " with data.fields." + role + ", " + SKIP);
    }

    private static BadRecord wrongType(String field, JsonNode n, String expected, String role) {
        return new BadRecord(field, "is " + typeName(n) + ", expected " + expected,
                "fix the record, map another field with data.fields." + role + ", " + SKIP);
    }

    static String typeName(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> n.isEmpty() ? "an empty list" : "a list";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING -> "text";
            case NULL, MISSING -> "null";
            default -> n.getNodeType().toString().toLowerCase();
        };
    }

    /**
     * A scalar's text: a string as is, a number in plain decimal without trailing zeros (27.0 -> 27),
     * a boolean as true/false; null for anything else.
     */
    static String scalarText(JsonNode n) {
        if (n == null) return null;
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.asText();
        if (n.isIntegralNumber()) return n.bigIntegerValue().toString();
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue().stripTrailingZeros();
            // plain notation, unless that would spell out hundreds of zeros (1e-400)
            return Math.abs(d.scale()) > 100 ? d.toString() : d.toPlainString();
        }
        return null;
    }
}
