package rift.eval;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import rift.kernels.RiftException;
import rift.tokenizer.PromptTemplate;
import rift.util.Rng;

/**
 * Reads a benchmark's data file (JSON Lines, gzip-compressed or not: detected from the file's first
 * bytes, not its name) into {@link EvalItem}s, maps the suite's fields, lets the scorer check each item,
 * and renders prompts. Every error names the file and line.
 */
public final class EvalData {
    private EvalData() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every JSON object of a JSON Lines file (gzip or plain), with its 1-based line number. */
    public record Line(int number, JsonNode record) {}

    public static List<Line> readJsonLines(Path file, String usedBy) {
        if (!Files.isRegularFile(file)) {
            throw new RiftException(usedBy + ": data file " + file + " does not exist; fix the path in the suite (relative paths"
                    + " resolve against the data root: the rift home, the suite's data_root, or --data-root)");
        }
        List<Line> out = new ArrayList<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(gz ? new GZIPInputStream(raw, 1 << 16) : raw, StandardCharsets.UTF_8))) {
                String line;
                int no = 0;
                while ((line = r.readLine()) != null) {
                    no++;
                    if (line.isBlank()) continue;
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (JacksonException e) {
                        throw new RiftException(file + " line " + no + ": not valid JSON (" + e.getOriginalMessage() + "); each line must be one JSON object");
                    }
                    if (!n.isObject()) throw new RiftException(file + " line " + no + ": expected a JSON object, got " + n.getNodeType());
                    out.add(new Line(no, n));
                }
            }
        } catch (IOException e) {
            throw new RiftException(file + ": cannot read as JSON Lines (plain or gzip): " + e.getMessage() + "; check the file", e);
        }
        if (out.isEmpty()) throw new RiftException(file + ": no records; a data file has one JSON object per line");
        return out;
    }

    /** All items of a benchmark's data file, checked by its scorer. */
    public static List<EvalItem> load(Benchmark b) {
        List<Line> lines = readJsonLines(b.dataFile(), "benchmark " + b.id() + " (" + b.where() + ")");
        List<EvalItem> items = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) items.add(item(b, i, lines.get(i)));
        checkPromptFields(b, items.getFirst());
        return items;
    }

    private static EvalItem item(Benchmark b, int index, Line line) {
        String where = b.dataFile() + " line " + line.number();
        JsonNode rec = line.record();
        FieldMap f = b.fields();
        String id = String.valueOf(line.number());
        if (f.id() != null) id = scalarText(need(rec, f.id(), where, "id"), where, "id");
        List<String> refs = new ArrayList<>();
        if (f.reference() != null) {
            JsonNode r = need(rec, f.reference(), where, "reference");
            if (r.isArray()) {
                for (JsonNode x : r) refs.add(scalarText(x, where, "reference"));
                if (refs.isEmpty()) throw new RiftException(where + ": fields.reference (" + f.reference() + ") is an empty list");
            } else {
                refs.add(scalarText(r, where, "reference"));
            }
        }
        List<String> choices = null;
        if (f.choices() != null) {
            JsonNode c = need(rec, f.choices(), where, "choices");
            if (!c.isArray()) throw new RiftException(where + ": fields.choices (" + f.choices() + ") must be a list of options, got " + c.getNodeType());
            choices = new ArrayList<>();
            for (JsonNode x : c) choices.add(scalarText(x, where, "choices"));
        }
        int gold = f.gold() == null ? -1 : gold(need(rec, f.gold(), where, "gold"), choices, where);
        EvalItem item = new EvalItem(index, id, rec, refs, choices, gold, null, where);
        return item.withPayload(b.scorer().prepare(item));
    }

    private static JsonNode need(JsonNode rec, FieldPath p, String where, String role) {
        JsonNode n = p.get(rec);
        if (n == null) {
            List<String> names = new ArrayList<>();
            rec.fieldNames().forEachRemaining(names::add);
            throw new RiftException(where + ": the record has no " + p + " (fields." + role + "); its fields are " + names
                    + "; fix fields." + role + " in the suite");
        }
        return n;
    }

    private static String scalarText(JsonNode n, String where, String role) {
        if (n.isValueNode()) return n.asText();
        throw new RiftException(where + ": fields." + role + " must point at a string or number, got " + n.getNodeType());
    }

    /** A 0-based index, a letter (A = 0), a numeric string, or the text of one of the choices. */
    private static int gold(JsonNode g, List<String> choices, String where) {
        int n = choices == null ? 26 : choices.size();
        int idx = -1;
        if (g.isIntegralNumber()) idx = g.intValue();
        else if (g.isTextual()) {
            String s = g.textValue().strip();
            if (s.matches("[A-Z]")) idx = s.charAt(0) - 'A';
            else if (s.matches("\\d+")) idx = Integer.parseInt(s);
            else if (choices != null) idx = choices.indexOf(g.textValue());
        }
        if (idx < 0 || idx >= n) {
            throw new RiftException(where + ": gold answer " + g + " is not an option index 0.." + (n - 1) + ", a letter"
                    + (choices == null ? "" : ", or the text of one of the " + n + " choices") + "; fix fields.gold or the data");
        }
        return idx;
    }

    /**
     * The first {@code limit} items of a seeded shuffle, back in file order: the same (seed, benchmark,
     * limit) always picks the same items, and a larger limit picks a superset.
     */
    public static List<EvalItem> subset(List<EvalItem> items, Integer limit, long seed, Benchmark b) {
        if (limit == null || limit >= items.size()) return items;
        int[] perm = Rng.derive(seed, b.idHash(), 0x5B5E7L).permutation(items.size());
        int[] pick = Arrays.copyOf(perm, limit);
        Arrays.sort(pick);
        List<EvalItem> out = new ArrayList<>(limit);
        for (int i : pick) out.add(items.get(i));
        return out;
    }

    /** The values a prompt template can use: the record's top-level fields, and {choice_list} for multiple choice. */
    static Map<String, Object> view(Benchmark b, EvalItem item) {
        Map<String, Object> v = new LinkedHashMap<>();
        item.record().properties().forEach(e -> v.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString()));
        for (String f : b.prompt().fields()) {
            if (!v.containsKey(f) && (f.contains(".") || f.contains("["))) {
                JsonNode n = FieldPath.parse(f, b.where()).get(item.record());
                if (n != null) v.put(f, n.isTextual() ? n.textValue() : n.toString());
            }
        }
        if (item.choices() != null && !v.containsKey("choice_list")) v.put("choice_list", choiceList(b, item));
        return v;
    }

    static String choiceList(Benchmark b, EvalItem item) {
        PromptTemplate t = PromptTemplate.parse(b.choiceFormat(), b.where() + ", key choice_format");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < item.choices().size(); i++) {
            if (i > 0) s.append('\n');
            s.append(t.render(Map.of("letter", String.valueOf((char) ('A' + i)), "choice", item.choices().get(i)), item.where()));
        }
        return s.toString();
    }

    /** The user message of an item: the benchmark's prompt template filled from the record. */
    public static String userMessage(Benchmark b, EvalItem item) {
        return b.prompt().render(view(b, item), item.where());
    }

    /** The benchmark's chat template: Qwen3's, with an empty think block and a system message when it says so. */
    public static rift.tokenizer.ChatTemplate chatTemplate(Benchmark b) {
        rift.tokenizer.ChatTemplate t = rift.tokenizer.ChatTemplate.qwen3(b.emptyThink());
        return b.system() == null ? t : t.withSystem(b.system());
    }

    /** The exact text a model is conditioned on (rift eval and the probes alike): the user message, chat-wrapped when the benchmark says so. */
    public static String promptText(Benchmark b, EvalItem item) {
        String user = userMessage(b, item);
        return b.chat() ? chatTemplate(b).prompt(user) : user;
    }

    private static void checkPromptFields(Benchmark b, EvalItem first) {
        b.prompt().requireFields(view(b, first).keySet(), b.dataFile() + " (first record)");
    }
}
