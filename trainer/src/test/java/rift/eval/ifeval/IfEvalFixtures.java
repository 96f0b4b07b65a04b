package rift.eval.ifeval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import rift.TestPaths;

/** The real IFEval records, loaded once, and lookup of an instruction by record key and id. */
final class IfEvalFixtures {
    private IfEvalFixtures() {}

    private static List<IfEvalRecord> records;

    static synchronized List<IfEvalRecord> records() {
        if (records == null) records = IfEvalData.read(TestPaths.data("eval/ifeval/input_data.jsonl"));
        return records;
    }

    static IfEvalRecord record(int key) {
        return records().stream().filter(r -> r.key() == key).findFirst()
                .orElseThrow(() -> new AssertionError("no IFEval record with key " + key));
    }

    /** The {@code occurrence}-th (0-based) instruction with this id in the record with this key. */
    static Instruction instruction(int key, String id, int occurrence) {
        int seen = 0;
        for (Instruction ins : record(key).instructions()) {
            if (ins.id().equals(id) && seen++ == occurrence) return ins;
        }
        throw new AssertionError("record " + key + " has no instruction " + id + " #" + occurrence);
    }

    static Instruction instruction(int key, String id) {
        return instruction(key, id, 0);
    }

    /** language code -> key of a record that asks for that language. */
    static Map<String, Integer> languageRecords() {
        Map<String, Integer> out = new HashMap<>();
        for (IfEvalRecord r : records()) {
            for (Instruction ins : r.instructions()) {
                if (ins instanceof ResponseLanguage lang) out.putIfAbsent(lang.language(), r.key());
            }
        }
        return out;
    }
}
