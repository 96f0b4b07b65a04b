package rift.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.checkpoint.CheckpointFixtures.CONFIG;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import rift.io.TensorStore;
import rift.kernels.Backend;
import rift.kernels.cpu.CpuBackend;
import rift.model.ModelConfig;
import rift.model.ModelIO;
import rift.model.Weights;
import rift.train.AdamWOptimizer;
import rift.util.Rng;

class CheckpointRoundTripTest {
    private static final Backend BE = new CpuBackend();

    @TempDir
    Path tmp;

    private final CheckpointWriter writer = new CheckpointWriter(BE, Retention.keepAll());

    @Test
    void everyFieldRoundTripsBitwise() throws IOException {
        Path tok = CheckpointFixtures.tokenizerDir(tmp);
        CheckpointContents c = CheckpointFixtures.contents(CONFIG, BE, 7, tok);
        Path dir = writer.write(tmp.resolve("run"), 7, c);
        assertEquals(tmp.resolve("run/step-7"), dir);

        Checkpoint back = CheckpointReader.read(dir, CONFIG, BE);
        assertEquals(7, back.step());
        assertEquals(dir, back.dir());
        assertEquals(CheckpointFormat.RIFT_VERSION, back.riftVersion());
        assertEquals(dir, back.contents().tokenizerDir());
        CheckpointFixtures.assertSameContents(c, back.contents(), BE);
        assertEquals(15, back.contents().optimizer().step());
        assertEquals(CheckpointFixtures.RECIPE_YAML, Files.readString(dir.resolve("recipe.yaml")));
    }

    @Test
    void holdsTheHfModelAndTokenizerFiles() throws IOException {
        Path tok = CheckpointFixtures.tokenizerDir(tmp);
        CheckpointContents c = CheckpointFixtures.contents(CONFIG, BE, 3, tok);
        Path dir = writer.write(tmp.resolve("run"), 3, c);
        for (String f : List.of("config.json", "generation_config.json", "model.safetensors", "optimizer.safetensors",
                "trainer_state.json", "recipe.yaml", "MANIFEST.sha256", "DONE"))
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja"))
            assertArrayEquals(Files.readAllBytes(tok.resolve(f)), Files.readAllBytes(dir.resolve(f)), f);
        assertFalse(Files.exists(dir.resolve("unrelated.txt")));
        assertFalse(Files.exists(dir.resolve("vocab.json")), "absent optional files are not created");
        // A plain HF loader sees the model: the checkpoint doubles as an export.
        CheckpointFixtures.assertSameWeights(c.weights(), ModelIO.loadWeights(dir, ModelConfig.load(dir), BE), BE);
        try (TensorStore s = TensorStore.open(dir.resolve("optimizer.safetensors"))) {
            assertEquals(2 * c.weights().named().size(), s.tensors().size());
            assertTrue(s.has("m.model.embed_tokens.weight") && s.has("v.lm_head.weight"));
            assertEquals(rift.io.DType.F32, s.info("v.model.norm.weight").dtype());
        }
    }

    @Test
    void manifestIsSha256sumOfEveryFileSorted() throws Exception {
        Path dir = writer.write(tmp.resolve("run"), 1, CheckpointFixtures.contents(CONFIG, BE, 1, CheckpointFixtures.tokenizerDir(tmp)));
        List<String> lines = Files.readAllLines(dir.resolve("MANIFEST.sha256"));
        List<String> expected = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.equals("MANIFEST.sha256") || name.equals("DONE")) continue;
                String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
                expected.add(hex + "  " + name);
            }
        }
        assertEquals(expected, lines);
        assertTrue(lines.size() >= 10, "model, optimizer, state, recipe and tokenizer files are all listed: " + lines);
        String manifestHex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("MANIFEST.sha256"))));
        assertEquals("rift-checkpoint 1\nstep 1\nmanifest-sha256 " + manifestHex + "\n", Files.readString(dir.resolve("DONE")));
    }

    @Test
    void sameContentsGiveSameBytes() throws IOException {
        CheckpointContents c = CheckpointFixtures.contents(CONFIG, BE, 4, null);
        Path a = writer.write(tmp.resolve("a"), 4, c), b = writer.write(tmp.resolve("b"), 4, c);
        assertArrayEquals(Files.readAllBytes(a.resolve("MANIFEST.sha256")), Files.readAllBytes(b.resolve("MANIFEST.sha256")));
        assertArrayEquals(Files.readAllBytes(a.resolve("DONE")), Files.readAllBytes(b.resolve("DONE")));
    }

    @ParameterizedTest
    @EnumSource(ModelConfig.Arch.class)
    void everyArchitectureRoundTripsWithItsSavedConfig(ModelConfig.Arch arch) {
        // Qwen2 has q/k/v biases, Llama here ties the embeddings (no lm_head tensor anywhere).
        ModelConfig c = ModelConfig.of(arch, 37, 8, 1, 2, 1, 4, 12, 32, arch == ModelConfig.Arch.LLAMA);
        CheckpointContents contents = CheckpointFixtures.contents(c, BE, 2, null);
        Path dir = writer.write(tmp.resolve("run"), 2, contents);
        Checkpoint back = CheckpointReader.read(dir, BE);
        assertEquals(c.toJson(), back.contents().weights().config.toJson());
        assertNull(back.contents().tokenizerDir());
        CheckpointFixtures.assertSameContents(contents, back.contents(), BE);
    }

    @Test
    void weightsOnlyCheckpointHasNoOptimizerFile() {
        CheckpointContents full = CheckpointFixtures.contents(CONFIG, BE, 5, null);
        CheckpointContents weightsOnly = new CheckpointContents(full.weights(), null, full.schedule(), full.dataCursor(),
                full.rngStates(), full.recipeHash(), full.recipeYaml(), full.metrics(), null, null);
        Path dir = writer.write(tmp.resolve("run"), 5, weightsOnly);
        assertFalse(Files.exists(dir.resolve("optimizer.safetensors")));
        Checkpoint back = CheckpointReader.read(dir, CONFIG, BE);
        assertNull(back.contents().optimizer());
        CheckpointFixtures.assertSameContents(weightsOnly, back.contents(), BE);
        assertEquals("{}", back.contents().loopState().toString());
    }

    @Test
    void restoredStateContinuesLikeTheOriginal() {
        // The optimizer moments and step, and an RNG, restored from a checkpoint behave exactly like the live ones.
        Weights params = Weights.random(CONFIG, BE, 5);
        AdamWOptimizer live = new AdamWOptimizer(params, BE, new AdamWOptimizer.Hyper(0.9f, 0.95f, 1e-8f, 0.1f, 1f));
        Weights grads = Weights.random(CONFIG, BE, 6);
        live.update(params, grads, 1e-2f);
        live.update(params, grads, 1e-2f);
        Rng rng = new Rng(99);
        rng.nextLong();
        CheckpointContents base = CheckpointFixtures.contents(CONFIG, BE, 2, null);
        CheckpointContents c = new CheckpointContents(params, OptimizerState.of(live), base.schedule(), base.dataCursor(),
                java.util.Map.of("host", rng.state()), base.recipeHash(), base.recipeYaml(), base.metrics(), null, null);
        Path dir = writer.write(tmp.resolve("run"), 2, c);
        Checkpoint back = CheckpointReader.read(dir, CONFIG, BE);

        Weights resumedParams = back.contents().weights();
        AdamWOptimizer resumed = new AdamWOptimizer(resumedParams, BE, new AdamWOptimizer.Hyper(0.9f, 0.95f, 1e-8f, 0.1f, 1f));
        back.contents().optimizer().restoreInto(resumed, BE);
        assertEquals(2, resumed.step());
        live.update(params, grads, 1e-2f);
        resumed.update(resumedParams, grads, 1e-2f);
        CheckpointFixtures.assertSameWeights(params, resumedParams, BE);
        Rng resumedRng = Rng.ofState(back.contents().rngState("host"));
        for (int i = 0; i < 5; i++) assertEquals(rng.nextLong(), resumedRng.nextLong());
    }

    @Test
    void readLatestPicksTheHighestStep() {
        Path run = tmp.resolve("run");
        for (long step : new long[] {2, 10, 9}) writer.write(run, step, CheckpointFixtures.contents(CONFIG, BE, step, null));
        Checkpoint latest = CheckpointReader.readLatest(run, CONFIG, BE).orElseThrow();
        assertEquals(10, latest.step());
        CheckpointFixtures.assertSameContents(CheckpointFixtures.contents(CONFIG, BE, 10, null), latest.contents(), BE);
        assertTrue(CheckpointReader.readLatest(tmp.resolve("nothing-here"), CONFIG, BE).isEmpty());
    }

    @Test
    void trainerStateIsReadableJson() throws IOException {
        Path dir = writer.write(tmp.resolve("run"), 12, CheckpointFixtures.contents(CONFIG, BE, 12, null));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("trainer_state.json").toFile());
        assertEquals(12, json.get("step").asLong());
        assertEquals(25, json.get("optimizer").get("step").asInt());
        assertEquals(CheckpointFixtures.RECIPE_HASH, json.get("recipe_hash").asText());
        assertEquals(Long.MIN_VALUE, json.get("rng_states").get("edge").get(0).asLong());
        assertEquals(12, json.get("metrics").size());
        assertEquals(CheckpointFormat.RIFT_VERSION, json.get("rift_version").asText());
        assertEquals(CheckpointFixtures.RECIPE_YAML, json.get("recipe_yaml").asText());
        assertEquals(12 / 10, json.get("data_cursor").get("epoch").asInt());
        assertTrue(new String(Files.readAllBytes(dir.resolve("trainer_state.json")), StandardCharsets.UTF_8).endsWith("}\n"));
    }
}
