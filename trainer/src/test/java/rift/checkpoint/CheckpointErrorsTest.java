package rift.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.checkpoint.CheckpointFixtures.CONFIG;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.cpu.CpuBackend;
import rift.model.ModelConfig;

/** Each way a checkpoint can be unusable gives a RiftException naming the file, what is wrong and the fix. */
class CheckpointErrorsTest {
    private static final Backend BE = new CpuBackend();

    @TempDir
    Path tmp;

    private Path writeStep(long step) {
        return new CheckpointWriter(BE, Retention.keepAll()).write(tmp.resolve("run"), step, CheckpointFixtures.contents(CONFIG, BE, step, null));
    }

    private static String message(Runnable r) {
        return assertThrows(RiftException.class, r::run).getMessage();
    }

    @Test
    void shapeMismatchNamesTensorShapesAndFix() {
        Path dir = writeStep(1);
        ModelConfig wider = ModelConfig.of(ModelConfig.Arch.QWEN3, 61, 24, 2, 4, 2, 4, 24, 64, false);
        String m = message(() -> CheckpointReader.read(dir, wider, BE));
        assertTrue(m.startsWith(dir.resolve("model.safetensors") + ": tensor 'model.embed_tokens.weight' has shape [61, 16]"
                + " but this run's model needs [61, 24]"), m);
        assertTrue(m.contains("hidden_size: checkpoint 16, run 24"), m);
        assertTrue(m.contains("resume with the model config the checkpoint was written with"), m);
    }

    @Test
    void missingAndExtraTensorsNameTheTieSetting() {
        Path dir = writeStep(1);
        ModelConfig tied = ModelConfig.of(ModelConfig.Arch.QWEN3, 61, 16, 2, 4, 2, 4, 24, 64, true);
        String m = message(() -> CheckpointReader.read(dir, tied, BE));
        assertTrue(m.startsWith(dir.resolve("model.safetensors") + ": holds tensor 'lm_head.weight', which this run's model does not have"), m);
        assertTrue(m.contains("tie_word_embeddings: checkpoint false, run true"), m);
        ModelConfig deeper = ModelConfig.of(ModelConfig.Arch.QWEN3, 61, 16, 3, 4, 2, 4, 24, 64, false);
        m = message(() -> CheckpointReader.read(dir, deeper, BE));
        assertTrue(m.contains(": no tensor 'model.layers.2.input_layernorm.weight', which this run's model has"), m);
    }

    @Test
    void sameShapesButDifferentConfigIsRefused() {
        Path dir = writeStep(1);
        ModelConfig c = CONFIG;
        ModelConfig otherTheta = new ModelConfig(c.arch(), c.vocabSize(), c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(),
                c.headDim(), c.intermediateSize(), 10000.0, c.rmsNormEps(), c.tieWordEmbeddings(), c.maxPositionEmbeddings(),
                c.ropeScaling(), c.qkvBias(), c.oBias(), c.bosTokenId(), c.eosTokenIds(), c.padTokenId(), c.initializerRange());
        String m = message(() -> CheckpointReader.read(dir, otherTheta, BE));
        assertEquals(dir.resolve("config.json") + ": the checkpoint's model differs from this run's (rope_theta: checkpoint"
                + " 1000000.0, run 10000.0); resume with the model config the checkpoint was written with", m);
    }

    @Test
    void tokenIdsMayDiffer() {
        Path dir = writeStep(1);
        ModelConfig c = CONFIG;
        ModelConfig otherEos = new ModelConfig(c.arch(), c.vocabSize(), c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(),
                c.headDim(), c.intermediateSize(), c.ropeTheta(), c.rmsNormEps(), c.tieWordEmbeddings(), c.maxPositionEmbeddings(),
                c.ropeScaling(), c.qkvBias(), c.oBias(), 5, new int[] {6, 7}, 8, 0.5);
        assertEquals(1, CheckpointReader.read(dir, otherEos, BE).step());
    }

    @Test
    void recipeHashMismatchIsTheCallersChoice() {
        Checkpoint ck = CheckpointReader.read(writeStep(3), CONFIG, BE);
        ck.requireRecipeHash(CheckpointFixtures.RECIPE_HASH);
        assertFalse(ck.recipeChanged(CheckpointFixtures.RECIPE_HASH));
        String other = "0".repeat(64);
        assertTrue(ck.recipeChanged(other));
        String m = message(() -> ck.requireRecipeHash(other));
        assertTrue(m.startsWith(ck.dir().resolve("trainer_state.json") + ": recipe_hash is " + CheckpointFixtures.RECIPE_HASH
                + " but this run's resolved recipe hashes to " + other), m);
        assertTrue(m.contains("Resume with the recipe saved beside it (" + ck.dir().resolve("recipe.yaml") + ")"), m);
    }

    @Test
    void missingDirectory() {
        Path nowhere = tmp.resolve("run/step-4");
        assertEquals(nowhere + ": no such checkpoint directory; checkpoints are the step-N directories of the run_dir",
                message(() -> CheckpointReader.read(nowhere, CONFIG, BE)));
    }

    @Test
    void missingOptimizerTensorAfterReseal() throws IOException {
        // A consistent manifest over an incomplete optimizer file: the reader still names what is missing.
        Path dir = writeStep(2);
        Path opt = dir.resolve("optimizer.safetensors");
        Path model = dir.resolve("model.safetensors");
        Files.copy(model, opt, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CheckpointFixtures.reseal(dir, 2);
        String m = message(() -> CheckpointReader.read(dir, CONFIG, BE));
        assertTrue(m.startsWith(opt + ": no tensor 'm.model.embed_tokens.weight' (AdamW moment of parameter model.embed_tokens.weight)"), m);
    }

    @Test
    void stateFieldErrorsNameTheField() throws IOException {
        Path dir = writeStep(2);
        Path state = dir.resolve("trainer_state.json");
        String json = Files.readString(state);
        Files.writeString(state, json.replace("\"edge\" : [", "\"edge\" : [ 7,"));
        CheckpointFixtures.reseal(dir, 2);
        String m = message(() -> CheckpointReader.read(dir, CONFIG, BE));
        assertTrue(m.startsWith(state + ": field 'rng_states.edge' must be an array of 4 signed 64-bit integers"), m);

        Files.writeString(state, json.replace("\"format_version\" : 1", "\"format_version\" : 9"));
        CheckpointFixtures.reseal(dir, 2);
        m = message(() -> CheckpointReader.read(dir, CONFIG, BE));
        assertEquals(state + ": written by rift " + CheckpointFormat.RIFT_VERSION + " in checkpoint format 9; this rift ("
                + CheckpointFormat.RIFT_VERSION + ") reads format 1. Use a rift at least as new as " + CheckpointFormat.RIFT_VERSION, m);

        Files.writeString(state, json.replace("\"step\" : 2,", "\"step\" : 3,"));
        CheckpointFixtures.reseal(dir, 2);
        m = message(() -> CheckpointReader.read(dir, CONFIG, BE));
        assertTrue(m.startsWith(state + ": field 'step' is 3 but DONE says 2"), m);
    }

    @Test
    void editedRecipeFileIsRefused() throws IOException {
        Path dir = writeStep(2);
        Files.writeString(dir.resolve("recipe.yaml"), "method: grpo\n");
        CheckpointFixtures.reseal(dir, 2);
        String m = message(() -> CheckpointReader.read(dir, CONFIG, BE));
        assertTrue(m.startsWith(dir.resolve("recipe.yaml") + ": differs from field 'recipe_yaml' of trainer_state.json"), m);
    }

    @Test
    void fileLeftOutOfTheManifestIsMissing() throws IOException {
        Path dir = writeStep(2);
        Files.delete(dir.resolve("recipe.yaml"));
        CheckpointFixtures.reseal(dir, 2);
        assertEquals(dir.resolve("recipe.yaml") + ": missing from the checkpoint (the manifest does not list it); treat " + dir
                + " as torn: resume from an earlier checkpoint (the latest complete one is found automatically) or delete it",
                message(() -> CheckpointReader.read(dir, CONFIG, BE)));
    }

    @Test
    void tokenizerDirectoryWithoutTokenizerJsonLeavesNothingBehind() throws IOException {
        Path tok = Files.createDirectories(tmp.resolve("tok"));
        Files.writeString(tok.resolve("tokenizer_config.json"), "{}");
        Path run = tmp.resolve("run");
        var c = CheckpointFixtures.contents(CONFIG, BE, 1, tok);
        String m = message(() -> new CheckpointWriter(BE, Retention.keepAll()).write(run, 1, c));
        assertTrue(m.startsWith(tok + ": no tokenizer.json to copy into the checkpoint"), m);
        try (Stream<Path> s = Files.list(run)) {
            assertEquals(java.util.List.of(CheckpointFormat.WRITER_LOCK), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void failedRewriteKeepsTheExistingCheckpoint() throws IOException {
        Path dir = writeStep(3);
        Path noTokenizer = Files.createDirectories(tmp.resolve("empty-tok"));
        var c = CheckpointFixtures.contents(CONFIG, BE, 99, noTokenizer);
        assertThrows(RiftException.class, () -> new CheckpointWriter(BE, Retention.keepAll()).write(tmp.resolve("run"), 3, c));
        CheckpointFixtures.assertSameContents(CheckpointFixtures.contents(CONFIG, BE, 3, null),
                CheckpointReader.read(dir, CONFIG, BE).contents(), BE);
        try (Stream<Path> s = Files.list(tmp.resolve("run"))) {
            assertEquals(java.util.Set.of(CheckpointFormat.WRITER_LOCK, "step-3"),
                    s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void secondWriterIsRefused() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        try (FileChannel ch = FileChannel.open(run.resolve(CheckpointFormat.WRITER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            String m = message(() -> new CheckpointWriter(BE, Retention.keepAll()).write(run, 1, CheckpointFixtures.contents(CONFIG, BE, 1, null)));
            assertTrue(m.startsWith(run + ": another writer holds .checkpoint.lock"), m);
            assertTrue(m.contains("give each run its own run_dir"), m);
        }
        new CheckpointWriter(BE, Retention.keepAll()).write(run, 1, CheckpointFixtures.contents(CONFIG, BE, 1, null));
    }

    @Test
    void badContentsAreProgrammingErrors() {
        var c = CheckpointFixtures.contents(CONFIG, BE, 1, null);
        assertThrows(IllegalArgumentException.class, () -> new CheckpointContents(c.weights(), c.optimizer(), c.schedule(),
                c.dataCursor(), Map.of("short", new long[3]), c.recipeHash(), c.recipeYaml(), c.metrics(), null, null));
        var otherModel = rift.model.Weights.zeros(ModelConfig.of(ModelConfig.Arch.QWEN3, 61, 16, 1, 4, 2, 4, 24, 64, false), BE);
        assertThrows(IllegalArgumentException.class, () -> new CheckpointContents(otherModel, c.optimizer(), c.schedule(),
                c.dataCursor(), c.rngStates(), c.recipeHash(), c.recipeYaml(), c.metrics(), null, null));
        assertThrows(IllegalArgumentException.class, () -> CheckpointFormat.stepDirName(-1));
    }
}
