package rift.checkpoint;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import rift.kernels.RiftException;

/**
 * {@code trainer_state.json}: the small, human-readable half of a checkpoint, the resolved recipe text included
 * (recipe.yaml holds the same text, for people and {@code rift recipe}). RNG states are JSON integers
 * (signed 64-bit, exact in Jackson and Python; not in JavaScript, which nothing here uses).
 *
 * @param optimizerStep AdamW's step count, or -1 when the checkpoint holds no optimizer state
 */
record TrainerState(int formatVersion, String riftVersion, long step, int optimizerStep, JsonNode schedule,
                    JsonNode dataCursor, Map<String, long[]> rngStates, String recipeHash, String recipeYaml, ArrayNode metrics,
                    JsonNode loopState) {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    boolean hasOptimizer() {
        return optimizerStep >= 0;
    }

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "rift-checkpoint");
        root.put("format_version", formatVersion);
        root.put("rift_version", riftVersion);
        root.put("step", step);
        if (hasOptimizer()) {
            ObjectNode opt = root.putObject("optimizer");
            opt.put("type", "adamw");
            opt.put("step", optimizerStep);
            opt.put("file", CheckpointFormat.OPTIMIZER);
        } else {
            root.putNull("optimizer");
        }
        root.set("schedule", schedule);
        root.set("data_cursor", dataCursor);
        ObjectNode rng = root.putObject("rng_states");
        new TreeMap<>(rngStates).forEach((name, s) -> {
            ArrayNode a = rng.putArray(name);
            for (long x : s) a.add(x);
        });
        root.put("recipe_hash", recipeHash);
        root.put("recipe_file", CheckpointFormat.RECIPE);
        root.put("recipe_yaml", recipeYaml);
        root.set("loop_state", loopState);
        root.set("metrics", metrics);
        try {
            return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot encode trainer state", e);
        }
    }

    static TrainerState parse(Path file, byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new RiftException(file + ": not valid JSON (" + e.getOriginalMessage() + "); " + Checkpoints.tornFix(file.getParent()));
        } catch (java.io.IOException e) {
            throw new RiftException(file + ": cannot parse (" + e.getMessage() + "); " + Checkpoints.tornFix(file.getParent()), e);
        }
        if (root == null || !root.isObject()) throw new RiftException(file + ": must be a JSON object; " + Checkpoints.tornFix(file.getParent()));
        Fields f = new Fields(file, root);
        if (!"rift-checkpoint".equals(root.path("format").asText(null)))
            throw new RiftException(file + ": field 'format' must be \"rift-checkpoint\"; this is not a rift trainer state");
        int version = (int) f.integer("format_version", 1, Integer.MAX_VALUE);
        String riftVersion = f.text("rift_version");
        if (version > CheckpointFormat.FORMAT_VERSION)
            throw new RiftException(file + ": written by rift " + riftVersion + " in checkpoint format " + version
                    + "; this rift (" + CheckpointFormat.RIFT_VERSION + ") reads format " + CheckpointFormat.FORMAT_VERSION
                    + ". Use a rift at least as new as " + riftVersion);
        long step = f.integer("step", 0, Long.MAX_VALUE);
        JsonNode opt = f.required("optimizer");
        int optimizerStep = -1;
        if (!opt.isNull()) {
            Fields o = new Fields(file, opt, "optimizer.");
            if (!"adamw".equals(o.text("type")))
                throw new RiftException(file + ": field 'optimizer.type' is \"" + opt.get("type").asText() + "\"; rift saves and resumes adamw");
            optimizerStep = (int) o.integer("step", 0, Integer.MAX_VALUE);
        }
        JsonNode rng = f.required("rng_states");
        if (!rng.isObject()) throw f.bad("rng_states", "an object of name -> [4 integers]");
        Map<String, long[]> rngStates = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : rng.properties()) {
            JsonNode a = e.getValue();
            boolean ok = a.isArray() && a.size() == 4;
            for (int i = 0; ok && i < 4; i++) ok = a.get(i).isIntegralNumber() && a.get(i).canConvertToLong();
            if (!ok) throw f.bad("rng_states." + e.getKey(), "an array of 4 signed 64-bit integers");
            long[] s = new long[4];
            for (int i = 0; i < 4; i++) s[i] = a.get(i).longValue();
            rngStates.put(e.getKey(), s);
        }
        JsonNode metrics = f.required("metrics");
        if (!metrics.isArray()) throw f.bad("metrics", "an array");
        JsonNode loopState = root.has("loop_state") ? root.get("loop_state") : JSON.createObjectNode();
        return new TrainerState(version, riftVersion, step, optimizerStep, f.required("schedule"), f.required("data_cursor"),
                rngStates, f.text("recipe_hash"), f.text("recipe_yaml"), (ArrayNode) metrics, loopState);
    }

    /** Field access with errors naming the file and the field. */
    private record Fields(Path file, JsonNode node, String prefix) {
        Fields(Path file, JsonNode node) {
            this(file, node, "");
        }

        JsonNode required(String key) {
            JsonNode n = node.get(key);
            if (n == null) throw new RiftException(file + ": field '" + prefix + key + "' is missing; " + Checkpoints.tornFix(file.getParent()));
            return n;
        }

        String text(String key) {
            JsonNode n = required(key);
            if (!n.isTextual()) throw bad(key, "a string");
            return n.textValue();
        }

        long integer(String key, long min, long max) {
            JsonNode n = required(key);
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min || n.longValue() > max)
                throw bad(key, "an integer in [" + min + ", " + max + "]");
            return n.longValue();
        }

        RiftException bad(String key, String want) {
            JsonNode n = node.get(key);
            return new RiftException(file + ": field '" + prefix + key + "' must be " + want + ", found "
                    + (n == null ? "nothing" : abbreviate(n.toString())) + "; " + Checkpoints.tornFix(file.getParent()));
        }

        private static String abbreviate(String s) {
            return s.length() <= 60 ? s : s.substring(0, 57) + "...";
        }
    }
}
