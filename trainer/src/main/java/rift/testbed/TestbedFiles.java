package rift.testbed;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import rift.kernels.RiftException;

/**
 * The testbed's JSONL.gz records. Gzip output from {@link GZIPOutputStream} has no timestamp, so the
 * same records give the same bytes.
 * <ul>
 *   <li>pretraining: {@code {"text"}}</li>
 *   <li>math SFT: {@code {"prompt","completion","answer"}}; math RL: {@code {"prompt","answer"}}</li>
 *   <li>eval: {@code {"id","family","group","prompt","answer", ...fields}} where the item's fields
 *       ({@code variant}, {@code level}, {@code rules}, {@code options}, grid geometry, ...) follow at
 *       the top level; {@link #readEval} turns such a record back into an {@link Item}.</li>
 * </ul>
 */
public final class TestbedFiles {
    private TestbedFiles() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static ObjectNode pretrainRecord(Item item) {
        return MAPPER.createObjectNode().put("text", PretrainCorpus.document(item));
    }

    public static ObjectNode sftRecord(Item math) {
        return MAPPER.createObjectNode().put("prompt", math.prompt()).put("completion", math.trace()).put("answer", math.answer());
    }

    public static ObjectNode rlRecord(Item math) {
        return MAPPER.createObjectNode().put("prompt", math.prompt()).put("answer", math.answer());
    }

    public static ObjectNode evalRecord(Item item) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", item.id());
        n.put("family", item.family().key());
        n.put("group", item.group().key());
        n.put("prompt", item.prompt());
        n.put("answer", item.answer());
        for (Map.Entry<String, Object> e : item.fields().entrySet()) n.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
        return n;
    }

    /** An item from an eval record; {@code where} names the file and line in errors. */
    public static Item fromEvalRecord(JsonNode n, String where) {
        String id = text(n, "id", where);
        String familyKey = text(n, "family", where);
        Family family = Family.byKey(familyKey);
        if (family == null) throw new RiftException(where + ": field family is \"" + familyKey + "\", not a testbed family; regenerate with rift data synth");
        String group = text(n, "group", where);
        if (!group.equals(family.group().key()))
            throw new RiftException(where + ": field group is \"" + group + "\" but family " + familyKey + " is in group " + family.group().key());
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!Item.RESERVED.contains(e.getKey())) fields.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
        }
        Item item = new Item(id, family, text(n, "prompt", where), text(n, "answer", where), null, fields);
        // The reference answer must pass its own checker; this also catches missing or malformed rule fields.
        boolean ok;
        try {
            ok = family.check(item, item.answer());
        } catch (RuntimeException e) {
            throw new RiftException(where + ": item " + id + " has malformed checker fields (" + e.getMessage() + "); regenerate with rift data synth", e);
        }
        if (!ok) throw new RiftException(where + ": item " + id + ": its answer fails its own checker; the record was edited or is corrupt");
        return item;
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new RiftException(where + ": field " + field + " is missing or not a string");
        return v.asText();
    }

    public static void writeJsonlGz(Path file, List<ObjectNode> records) throws IOException {
        try (Writer w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            for (ObjectNode r : records) {
                w.write(MAPPER.writeValueAsString(r));
                w.write('\n');
            }
        }
    }

    /** Every record of a JSONL.gz file. */
    public static List<JsonNode> readJsonlGz(Path file) {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                try {
                    out.add(MAPPER.readTree(line));
                } catch (JacksonException e) {
                    throw new RiftException(file + " line " + lineNo + ": not valid JSON (" + e.getOriginalMessage() + "); regenerate the file", e);
                }
            }
        } catch (IOException e) {
            throw new RiftException(file + ": cannot read as gzip-compressed JSON lines (" + e + "); check the path or regenerate the file", e);
        }
        return out;
    }

    /** The items of an eval file written by {@code rift data synth}. */
    public static List<Item> readEval(Path file) {
        List<JsonNode> records = readJsonlGz(file);
        List<Item> items = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) items.add(fromEvalRecord(records.get(i), file + " record " + (i + 1)));
        return items;
    }
}
