package rift.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.model.ModelConfig;
import rift.model.Weights;
import rift.util.Rng;

/** Deterministic checkpoint contents for a step (shared by the tests and the crash-test child JVM) and comparisons. */
final class CheckpointFixtures {
    private CheckpointFixtures() {}

    /** A tiny Qwen3 (q/k norms, untied head): 2 layers, hidden 16. */
    static final ModelConfig CONFIG = ModelConfig.of(ModelConfig.Arch.QWEN3, 61, 16, 2, 4, 2, 4, 24, 64, false);

    static final String RECIPE_YAML = "method: sft\nmodel:\n  path: models/tiny  # ünïcode survives\nseed: 17\n";
    static final String RECIPE_HASH = Manifest.sha256(RECIPE_YAML.getBytes(StandardCharsets.UTF_8));

    /** Values that a lossy path would change: signed zero, subnormals, extremes, infinities. */
    private static final float[] EDGE_VALUES = {-0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f / 3, 0x1.fffffep-1f};

    static CheckpointContents contents(ModelConfig c, Backend be, long step, Path tokenizerDir) {
        Weights w = Weights.random(c, be, 1000 + step);
        Tensor first = w.named().values().iterator().next();
        float[] vals = be.download(first);
        System.arraycopy(EDGE_VALUES, 0, vals, 0, EDGE_VALUES.length);
        be.upload(first, vals);
        Weights m = Weights.random(c, be, 2000 + step), v = Weights.random(c, be, 3000 + step);
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode schedule = f.objectNode().put("step", step).put("lr", 3e-4 * (step + 1) / 7);
        ObjectNode cursor = f.objectNode().put("epoch", step / 10).put("index", step * 7).put("seed", 12345678901234L);
        cursor.putArray("permutation").add(3).add(0).add(2).add(1);
        Map<String, long[]> rngs = new LinkedHashMap<>();
        rngs.put("sampler", Rng.derive(step, 1).state());
        rngs.put("data", new Rng(step).state());
        rngs.put("edge", new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE});
        ArrayNode metrics = f.arrayNode();
        for (int i = 0; i < Math.min(step, 50); i++) metrics.addObject().put("step", i).put("loss", 1.0 / (i + 3)).put("note", "é\"\n");
        ObjectNode loop = f.objectNode().put("kl_coef", 0.05);
        loop.putArray("carry_over").add(1).add(2);
        return new CheckpointContents(w, new OptimizerState(m, v, (int) step * 2 + 1), schedule, cursor, rngs, RECIPE_HASH,
                RECIPE_YAML, metrics, loop, tokenizerDir);
    }

    /** A tokenizer directory with the files a HF save has, a chat template among them. */
    static Path tokenizerDir(Path parent) throws IOException {
        Path d = Files.createDirectories(parent.resolve("tok"));
        Files.writeString(d.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": {\"type\": \"BPE\"}}");
        Files.writeString(d.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|im_end|>\"}");
        Files.writeString(d.resolve("special_tokens_map.json"), "{}");
        Files.writeString(d.resolve("chat_template.jinja"), "{% for m in messages %}{{ m['content'] }}{% endfor %}");
        Files.writeString(d.resolve("unrelated.txt"), "not a tokenizer file");
        return d;
    }

    static void assertSameWeights(Weights expected, Weights actual, Backend be) {
        assertEquals(expected.named().keySet(), actual.named().keySet());
        for (var e : expected.named().entrySet()) {
            Tensor a = actual.named().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), a.shape(), e.getKey());
            assertArrayEquals(bits(be.download(e.getValue())), bits(be.download(a)), e.getKey());
        }
    }

    /** Every field equal: tensors bitwise, RNG states, JSON by its text (numbers may come back as another node type). */
    static void assertSameContents(CheckpointContents expected, CheckpointContents actual, Backend be) {
        assertSameWeights(expected.weights(), actual.weights(), be);
        if (expected.optimizer() == null) {
            assertNull(actual.optimizer());
        } else {
            assertNotNull(actual.optimizer());
            assertEquals(expected.optimizer().step(), actual.optimizer().step());
            assertSameWeights(expected.optimizer().m(), actual.optimizer().m(), be);
            assertSameWeights(expected.optimizer().v(), actual.optimizer().v(), be);
        }
        assertEquals(expected.rngStates().keySet(), actual.rngStates().keySet());
        expected.rngStates().forEach((k, s) -> assertArrayEquals(s, actual.rngState(k), k));
        assertJson(expected.schedule(), actual.schedule());
        assertJson(expected.dataCursor(), actual.dataCursor());
        assertJson(expected.metrics(), actual.metrics());
        assertJson(expected.loopState(), actual.loopState());
        assertEquals(expected.recipeHash(), actual.recipeHash());
        assertEquals(expected.recipeYaml(), actual.recipeYaml());
    }

    static void assertJson(JsonNode expected, JsonNode actual) {
        assertEquals(expected.toString(), actual.toString());
    }

    static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }

    /** Rewrites MANIFEST.sha256 and DONE to match the files as they are now (to test a field the manifest would otherwise catch). */
    static void reseal(Path stepDir, long step) throws IOException {
        Files.deleteIfExists(stepDir.resolve(CheckpointFormat.DONE));
        Files.deleteIfExists(stepDir.resolve(CheckpointFormat.MANIFEST));
        byte[] manifest = Manifest.format(Manifest.compute(stepDir)).getBytes(StandardCharsets.UTF_8);
        Files.write(stepDir.resolve(CheckpointFormat.MANIFEST), manifest);
        Files.writeString(stepDir.resolve(CheckpointFormat.DONE), Checkpoints.doneText(step, Manifest.sha256(manifest)));
    }

    /** Flips the bits of the byte at {@code offset} ({@code -1}: the last byte). */
    static void flipByte(Path file, long offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int i = offset < 0 ? b.length - 1 : (int) offset;
        b[i] ^= (byte) 0xFF;
        Files.write(file, b);
    }
}
