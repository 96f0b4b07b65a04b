package rift.eval.ifeval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import rift.kernels.RiftException;

/** Reads IFEval's input_data.jsonl: one JSON object per line with key, prompt, instruction_id_list, kwargs. */
public final class IfEvalData {
    private IfEvalData() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<IfEvalRecord> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RiftException("cannot read IFEval data " + file + ": " + e.getMessage()
                    + "; point at input_data.jsonl (shared/data/eval/ifeval/input_data.jsonl)", e);
        }
        List<IfEvalRecord> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            out.add(parseLine(lines.get(i), file + " line " + (i + 1)));
        }
        if (out.isEmpty()) throw new RiftException(file + ": no records; expected one JSON object per line");
        return out;
    }

    static IfEvalRecord parseLine(String line, String where) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new RiftException(where + ": not valid JSON (" + e.getOriginalMessage() + "); each line must be one JSON object");
        }
        if (n == null || !n.isObject()) throw new RiftException(where + ": expected a JSON object per line");
        JsonNode key = n.get("key");
        if (key == null || !key.canConvertToInt() || !key.isIntegralNumber()) {
            throw new RiftException(where + ": field 'key' is missing or not an integer");
        }
        String at = where + " (key " + key.intValue() + ")";
        JsonNode prompt = n.get("prompt");
        if (prompt == null || !prompt.isTextual()) throw new RiftException(at + ": field 'prompt' is missing or not a string");
        JsonNode ids = n.get("instruction_id_list");
        JsonNode kwargs = n.get("kwargs");
        if (ids == null || !ids.isArray()) throw new RiftException(at + ": field 'instruction_id_list' is missing or not a list");
        if (kwargs == null || !kwargs.isArray()) throw new RiftException(at + ": field 'kwargs' is missing or not a list");
        List<String> idList = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual()) throw new RiftException(at + ": instruction_id_list entry " + id + " is not a string");
            idList.add(id.textValue());
        }
        List<JsonNode> kwList = new ArrayList<>();
        kwargs.forEach(kwList::add);
        return IfEvalRecord.of(key.intValue(), prompt.textValue(), idList, kwList, at);
    }
}
