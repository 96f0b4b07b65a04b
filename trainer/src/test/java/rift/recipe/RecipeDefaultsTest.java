package rift.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void minimalGrpoRecipeGetsTheDocumentedDefaults() {
        Recipe r = Recipe.load(RecipeFixtures.resource("grpo_minimal.yaml"));
        assertEquals(Recipe.Method.GRPO, r.method());
        assertEquals("models/tiny", r.model().path());
        assertEquals("models/tiny", r.model().tokenizer(), "tokenizer defaults to the model directory");
        assertEquals(ModelConfig.Dtype.FP32, r.model().dtype());
        assertNull(r.model().config());

        DataConfig d = r.data();
        assertEquals(List.of("data/train.jsonl"), d.train());
        assertEquals(DataConfig.Format.JSONL, d.format());
        assertEquals(new DataFields("prompt", "answer", "solution"), d.fields());
        assertEquals(Map.of(), d.filter());
        assertEquals("{prompt}", d.promptTemplate());
        assertEquals(DataConfig.ChatTemplate.NONE, d.chatTemplate());
        assertEquals(512, d.maxPromptTokens());
        assertEquals(1024, d.maxSeqLen());
        assertTrue(d.shuffle());
        assertEquals(DataConfig.OnBadRecord.ERROR, d.onBadRecord());

        GrpoConfig g = r.grpo();
        assertEquals(GrpoConfig.Sampling.POLICY, g.sampling());
        assertEquals(GrpoConfig.Weight.ADVANTAGE, g.weight());
        assertEquals(8, g.numGenerations());
        assertEquals(1.0, g.temperature());
        assertEquals(1.0, g.topP());
        assertEquals(0, g.topK());
        assertEquals(0.0, g.minP());
        assertEquals(512, g.maxNewTokens());
        assertEquals(List.of(), g.stop());
        assertEquals(List.of(new Reward.Correctness(1.0, 1.0, 0.0)), g.rewards());
        assertEquals(GrpoConfig.VerifierMode.MATH, g.verifierMode());
        assertEquals(5000, g.verifierTimeoutMs());
        assertEquals(GrpoConfig.ScaleRewards.GROUP, g.scaleRewards());
        assertFalse(g.dynamicSampling());
        assertEquals(10, g.maxSamplingTries());
        assertFalse(g.maskTruncatedCompletions());
        assertEquals(0.2, g.epsilonLow());
        assertEquals(0.2, g.epsilonHigh());
        assertNull(g.clipRatioC());
        assertEquals(GrpoConfig.LossAgg.TOKEN_MEAN, g.lossAgg());
        assertNull(g.lossAggConstant(), "only Dr. GRPO's aggregation has a constant");
        assertEquals(0.0, g.beta());
        assertEquals(GrpoConfig.KlEstimator.K3, g.klEstimator());
        assertEquals(GrpoConfig.KlIn.LOSS, g.klIn());
        assertEquals(0.0, g.entropyCoef());
        assertEquals(1, g.mu());
        assertEquals(32, g.miniBatch(), "mini_batch defaults to schedule.global_batch");

        OptimConfig o = r.optim();
        assertEquals(1.0e-6, o.lr());
        assertEquals(List.of(0.9, 0.999), o.betas());
        assertEquals(1.0e-8, o.eps());
        assertEquals(0.0, o.weightDecay());
        assertEquals(1.0, o.gradClip());
        assertEquals(OptimConfig.NanPolicy.ABORT, o.nanPolicy());

        ScheduleConfig s = r.schedule();
        assertNull(s.maxSteps());
        assertEquals(1.0, s.epochs());
        assertEquals(32, s.globalBatch());
        assertEquals(4, s.microBatch());
        assertEquals(0, s.warmupSteps());
        assertEquals(null, s.warmupRatio());
        assertEquals(ScheduleConfig.LrSchedule.CONSTANT, s.lrSchedule());
        assertEquals(0.0, s.minLrRatio());

        assertEquals(new CheckpointConfig(null, null, null, true), r.checkpoint());
        assertEquals(new EvalConfig(null, null, 512), r.eval());
        assertEquals(new SftConfig(false, true, null, SftConfig.LossType.NLL, 0.0), r.sft());
        assertEquals(0L, r.seed());
        assertEquals("runs/grpo_minimal", r.runDir(), "run_dir defaults to runs/<recipe name>");
        assertEquals(Recipe.Device.AUTO, r.device());
        assertEquals(0, r.threads());
    }

    @Test
    void loadedRecipesAreImmutable() {
        Recipe r = Recipe.load(RecipeFixtures.resource("grpo_full.yaml"));
        assertThrows(UnsupportedOperationException.class, () -> r.data().train().add("x.jsonl"));
        assertThrows(UnsupportedOperationException.class, () -> r.data().filter().get("level").add("6"));
        assertThrows(UnsupportedOperationException.class, () -> r.data().filter().put("type", List.of()));
        assertThrows(UnsupportedOperationException.class, () -> r.grpo().rewards().clear());
        assertThrows(UnsupportedOperationException.class, () -> r.optim().betas().set(0, 0.5));
    }

    @Test
    void dataFormatChoosesTheFieldNames() {
        Recipe gsm = Recipe.load(RecipeFixtures.resource("sft_minimal.yaml"));
        assertEquals(new DataFields("question", "answer", "answer"), gsm.data().fields());
        assertEquals(2e-5, gsm.optim().lr(), "1e-6 style floats (no dot) are numbers");

        Path math = RecipeFixtures.write(dir, "m.yaml", """
                method: sft
                model: {path: m}
                data:
                  train: [t.jsonl]
                  format: math
                  fields: {prompt: question}
                optim: {lr: 1.0e-5}
                """);
        assertEquals(new DataFields("question", "answer", "solution"), Recipe.load(math).data().fields(),
                "a field set in the recipe wins; the others come from the format");
    }

    @Test
    void derivedDefaultsOfAFromScratchModelAndDrGrpo() {
        Path p = RecipeFixtures.write(dir, "scratch.yaml", """
                method: grpo
                model:
                  config: {vocab_size: 1000, hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128}
                  tokenizer: tok
                data: {train: [t.jsonl]}
                grpo: {loss_agg: seq-mean-token-sum-norm, max_new_tokens: 300}
                optim: {lr: 1.0e-6}
                schedule: {global_batch: 8}
                run_dir: null
                """);
        Recipe r = Recipe.load(p);
        ArchConfig a = r.model().config();
        assertEquals(4, a.numKeyValueHeads(), "no GQA unless asked");
        assertEquals(16, a.headDim(), "hidden_size / num_attention_heads");
        assertEquals(ArchConfig.Arch.QWEN3, a.arch());
        assertEquals(1_000_000.0, a.ropeTheta());
        assertEquals(1e-6, a.rmsNormEps());
        assertEquals(0.02, a.initStd());
        assertEquals("tok", r.model().tokenizer());
        assertEquals(300.0, r.grpo().lossAggConstant(), "Dr. GRPO's constant defaults to max_new_tokens");
        assertEquals(8, r.grpo().miniBatch());
        assertEquals("runs/scratch", r.runDir(), "null resets a key to its default");
    }

    @Test
    void filterMatchesTextOrLastWord() {
        Path p = RecipeFixtures.write(dir, "f.yaml", """
                method: sft
                model: {path: m}
                data: {train: [t.jsonl], filter: {level: [3, 4], type: [Algebra]}}
                optim: {lr: 1.0e-5}
                """);
        DataConfig d = Recipe.load(p).data();
        assertEquals(List.of("3", "4"), d.filter().get("level"), "numbers are kept as their text");
        assertTrue(d.keeps(Map.of("level", "Level 3", "type", "Algebra")::get), "MATH writes levels as 'Level 3'");
        assertTrue(d.keeps(Map.of("level", "4", "type", "Algebra")::get), "MATH-500 writes them as numbers");
        assertFalse(d.keeps(Map.of("level", "Level 5", "type", "Algebra")::get));
        assertFalse(d.keeps(Map.of("level", "Level 3", "type", "Geometry")::get));
        assertFalse(d.keeps(Map.of("type", "Algebra")::get), "a record without the field is dropped");
    }
}
