package rift.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads the Hugging Face-written Qwen3 fixture (a tiny random model and its golden forward/backward
 * outputs, written by safetensors in Python). Looks on the test classpath at golden/qwen3/ first, then in
 * /tmp/golden/qwen3; skipped when neither has it.
 */
class GoldenFixtureTest {
    private static Path fixtureDir() throws URISyntaxException {
        URL url = GoldenFixtureTest.class.getResource("/golden/qwen3/model.safetensors");
        if (url != null && url.getProtocol().equals("file")) return Path.of(url.toURI()).getParent();
        Path tmp = Path.of("/tmp/golden/qwen3");
        return Files.isRegularFile(tmp.resolve("model.safetensors")) ? tmp : null;
    }

    @Test
    void modelWeightsParseAndMatchTheConfig() throws Exception {
        Path dir = fixtureDir();
        assumeTrue(dir != null, "golden/qwen3 fixture not present");
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        long vocab = config.get("vocab_size").asLong(), hidden = config.get("hidden_size").asLong();
        try (TensorStore store = TensorStore.open(dir)) {
            assertArrayEquals(new long[] {vocab, hidden}, store.info("model.embed_tokens.weight").shape());
            assertArrayEquals(new long[] {hidden}, store.info("model.norm.weight").shape());
            int layers = config.get("num_hidden_layers").asInt();
            assertTrue(store.has("model.layers." + (layers - 1) + ".mlp.down_proj.weight"));
            for (TensorInfo t : store.tensors().values()) {
                assertEquals(DType.F32, t.dtype(), t.name());
                float[] v = store.readFloat(t.name());
                assertEquals(t.numel(), v.length);
                for (float x : v) assertTrue(Float.isFinite(x), t.name());
            }
        }
        try (SafeTensorsReader r = SafeTensors.open(dir.resolve("model.safetensors"))) {
            assertEquals(Map.of("format", "pt"), r.metadata());
        }
    }

    @Test
    void goldenOutputsParseWithInt64InputIds() throws Exception {
        Path dir = fixtureDir();
        assumeTrue(dir != null && Files.isRegularFile(dir.resolve("golden.safetensors")), "golden outputs not present");
        JsonNode golden = readJson(dir.resolve("golden.json"));
        long vocab = golden.get("config").get("vocab_size").asLong();
        long seq = golden.get("T").asLong();
        try (SafeTensorsReader r = SafeTensors.open(dir.resolve("golden.safetensors"))) {
            TensorInfo ids = r.info("input_ids");
            assertEquals(DType.I64, ids.dtype());
            assertEquals(2, ids.rank());
            assertEquals(seq, ids.dim(1));
            long[] tokens = r.readLong("input_ids");
            int[] narrowed = r.readInt("input_ids");
            for (int i = 0; i < tokens.length; i++) {
                assertTrue(tokens[i] >= 0 && tokens[i] < vocab, "token id " + tokens[i]);
                assertEquals(tokens[i], narrowed[i]);
            }
            for (long m : r.readLong("attention_mask")) assertTrue(m == 0 || m == 1);
            float[] loss = r.readFloat("loss");
            assertEquals(0, r.info("loss").rank());
            assertEquals((float) golden.get("loss").asDouble(), loss[0]); // same number, written by two different paths
            assertArrayEquals(new long[] {ids.dim(0), seq, vocab}, r.info("logits").shape());
        }
    }

    private static JsonNode readJson(Path p) throws IOException {
        return new ObjectMapper().readTree(p.toFile());
    }
}
