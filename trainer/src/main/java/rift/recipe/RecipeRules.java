package rift.recipe;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rift.recipe.GrpoConfig.KlEstimator;
import rift.recipe.GrpoConfig.KlIn;
import rift.recipe.GrpoConfig.LossAgg;
import rift.recipe.GrpoConfig.Weight;

/**
 * The checks that involve more than one key, or more than a type and a range (those are done while
 * binding, from {@link Doc}). Every rule says what is wrong and how to fix it; all failures are
 * reported together.
 */
final class RecipeRules {
    private final Recipe r;
    private final Map<String, Origin> origins;
    private final Problems problems;
    private final Origin fallback;

    private RecipeRules(Recipe r, Map<String, Origin> origins, Problems problems, Origin fallback) {
        this.r = r;
        this.origins = origins;
        this.problems = problems;
        this.fallback = fallback;
    }

    static void check(Recipe recipe, Map<String, Origin> origins, Problems problems, Origin fallback) {
        RecipeRules rules = new RecipeRules(recipe, origins, problems, fallback);
        rules.model();
        rules.data();
        if (recipe.isGrpo()) rules.grpo();
        else rules.sft();
        rules.optim();
        rules.schedule();
        rules.checkpointAndEval();
    }

    private void fail(String key, String message) {
        problems.add(origins.getOrDefault(key, fallback), key, message);
    }

    private void model() {
        ModelConfig m = r.model();
        if (m.path() != null && m.config() != null) {
            fail("model.config", "model.path and model.config are both set; choose one: remove model.config to"
                    + " fine-tune the checkpoint at model.path, or set model.path: null to train from scratch");
        }
        if (m.path() == null && m.config() == null) {
            fail("model", "no model: set model.path (a Hugging Face model directory) or model.config (a new model)");
        }
        ArchConfig a = m.config();
        if (a == null) return;
        if (m.tokenizer() == null) {
            fail("model.config", "a model built from model.config needs a tokenizer: set model.tokenizer to a"
                    + " directory with tokenizer.json");
        }
        if (a.headDim() == null) {
            fail("model.config.num_attention_heads", "hidden_size " + a.hiddenSize() + " is not divisible by"
                    + " num_attention_heads " + a.numAttentionHeads() + ": change one, or set model.config.head_dim");
        }
        if (a.numAttentionHeads() % a.numKeyValueHeads() != 0) {
            fail("model.config.num_key_value_heads", a.numKeyValueHeads() + " does not divide num_attention_heads "
                    + a.numAttentionHeads() + " (each key/value head serves a whole number of query heads)");
        }
        if (r.data().maxSeqLen() > a.maxPositionEmbeddings()) {
            fail("data.max_seq_len", r.data().maxSeqLen() + " exceeds model.config.max_position_embeddings "
                    + a.maxPositionEmbeddings() + ": lower it or raise max_position_embeddings");
        }
    }

    private void data() {
        DataConfig d = r.data();
        if (d.train().isEmpty()) fail("data.train", "is empty: list at least one .jsonl or .jsonl.gz file");
        for (int i = 0; i < d.train().size(); i++) {
            String f = d.train().get(i);
            if (!f.endsWith(".jsonl") && !f.endsWith(".jsonl.gz")) {
                fail("data.train[" + i + "]", "'" + f + "' is not a .jsonl or .jsonl.gz file: training data is JSON"
                        + " Lines (one JSON object per line), optionally gzipped");
            }
        }
        for (var e : d.filter().entrySet()) {
            if (e.getValue().isEmpty()) fail("data.filter." + e.getKey(), "an empty list keeps no record: list the values to keep, or remove the key");
        }
        if (!d.promptTemplate().contains("{prompt}")) {
            fail("data.prompt_template", "has no {prompt}, so every prompt would be the same text: put {prompt}"
                    + " where the problem goes, e.g. \"{prompt}\\nPut the final answer in \\\\boxed{}.\"");
        }
        if (d.maxPromptTokens() >= d.maxSeqLen()) {
            fail("data.max_prompt_tokens", d.maxPromptTokens() + " leaves no room for a completion in data.max_seq_len "
                    + d.maxSeqLen() + ": make it smaller than max_seq_len");
        }
    }

    private void sft() {
        ScheduleConfig s = r.schedule();
        Integer budget = r.sft().microBatchTokens();
        if (budget != null && budget < r.data().maxSeqLen()) {
            fail("sft.micro_batch_tokens", budget + " is less than data.max_seq_len " + r.data().maxSeqLen()
                    + ", so a full-length example fits in no micro-batch: raise it to at least " + r.data().maxSeqLen());
        }
        if (s.microBatch() > s.globalBatch()) {
            fail("schedule.micro_batch", s.microBatch() + " sequences per micro-batch is more than schedule.global_batch "
                    + s.globalBatch() + " per step: make it at most global_batch");
        }
    }

    private void grpo() {
        GrpoConfig g = r.grpo();
        ScheduleConfig s = r.schedule();
        if (g.weight() == Weight.ADVANTAGE && g.numGenerations() < 2) {
            fail("grpo.num_generations", g.numGenerations() + " completion per prompt, but weight: advantage compares"
                    + " completions within a group, which needs at least 2: set num_generations to 2 or more"
                    + " (TRL's default is 8), or weight: reject / one");
        }
        int total = r.data().maxPromptTokens() + g.maxNewTokens();
        if (total > r.data().maxSeqLen()) {
            fail("grpo.max_new_tokens", "data.max_prompt_tokens " + r.data().maxPromptTokens() + " + max_new_tokens "
                    + g.maxNewTokens() + " = " + total + " exceeds data.max_seq_len " + r.data().maxSeqLen()
                    + ": raise data.max_seq_len to at least " + total + " or lower one of the two");
        }
        if (g.rewards().isEmpty()) fail("grpo.rewards", "is empty: list at least one reward, e.g. [{name: correctness}]");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < g.rewards().size(); i++) {
            Reward reward = g.rewards().get(i);
            String name = Schema.variantName(reward.getClass());
            if (!seen.add(name)) fail("grpo.rewards[" + i + "]", "reward '" + name + "' is listed twice: merge them into one entry");
            if (reward instanceof Reward.Overlong o && o.bufferLen() >= g.maxNewTokens()) {
                fail("grpo.rewards[" + i + "].buffer_len", o.bufferLen() + " is not less than grpo.max_new_tokens "
                        + g.maxNewTokens() + ": the penalty ramp must fit inside the completion length");
            }
        }
        List<String> stop = g.stop();
        for (int i = 0; i < stop.size(); i++) {
            if (stop.get(i).isEmpty()) fail("grpo.stop[" + i + "]", "an empty stop string would end every completion at once: remove it");
        }
        if (g.lossAggConstant() != null && g.lossAgg() != LossAgg.SEQ_MEAN_TOKEN_SUM_NORM) {
            fail("grpo.loss_agg_constant", "is only used with loss_agg: seq-mean-token-sum-norm (Dr. GRPO), but loss_agg"
                    + " is " + Schema.enumName(g.lossAgg()) + ": remove it (null) or change loss_agg");
        }
        if (g.beta() > 0 && g.klIn() == KlIn.LOSS && g.klEstimator() == KlEstimator.K1) {
            fail("grpo.kl_estimator", "k1 as a loss term has zero expected gradient, so beta would do nothing: use"
                    + " kl_estimator: k3 (or k2), or kl_in: reward");
        }
        if (g.policyLoss() == GrpoConfig.PolicyLoss.CISPO && g.importanceSamplingLevel() == GrpoConfig.ImportanceSamplingLevel.SEQUENCE) {
            fail("grpo.policy_loss", "cispo weighs each token by its own clipped ratio; importance_sampling_level: sequence is"
                    + " GSPO's: use one of the two");
        }
        if (g.policyLoss() == GrpoConfig.PolicyLoss.CISPO && g.clipRatioC() != null) {
            fail("grpo.clip_ratio_c", "the dual clip bounds the ppo surrogate; cispo already bounds its weight by epsilon_low /"
                    + " epsilon_high: remove it (null)");
        }
        if (g.klBiasCorrection() && !(g.beta() > 0 && g.klIn() == KlIn.LOSS)) {
            fail("grpo.kl_bias_correction", "corrects the KL loss term, but there is none (beta " + g.beta() + ", kl_in "
                    + Schema.enumName(g.klIn()) + "): set beta > 0 with kl_in: loss, or remove it");
        }
        int mini = g.miniBatch();
        if (mini > s.globalBatch() || s.globalBatch() % mini != 0) {
            fail("grpo.mini_batch", mini + " does not divide schedule.global_batch " + s.globalBatch()
                    + " (prompts per rollout batch): pick a divisor, e.g. " + largestDivisorAtMost(s.globalBatch(), mini));
        }
        int completionsPerStep = mini * g.numGenerations();
        if (s.microBatch() > completionsPerStep) {
            fail("schedule.micro_batch", s.microBatch() + " completions per micro-batch is more than the "
                    + completionsPerStep + " of one optimizer step (grpo.mini_batch x num_generations): make it at most "
                    + completionsPerStep);
        }
    }

    private void optim() {
        if (r.optim().betas().size() != 2) {
            fail("optim.betas", "needs exactly two numbers [beta1, beta2], got " + r.optim().betas().size());
        }
    }

    private void schedule() {
        ScheduleConfig s = r.schedule();
        if (s.maxSteps() != null && s.warmupSteps() > updates(s.maxSteps())) {
            // warmup counts optimizer updates (a GRPO step holds mu x global_batch / mini_batch of them); update u of
            // W gets lr x (u + 1) / W, so W updates reach the full rate at the last one and more never do
            long updates = updates(s.maxSteps());
            fail("schedule.warmup_steps", s.warmupSteps() + " warmup updates are more than the " + updates
                    + " optimizer updates of schedule.max_steps " + s.maxSteps() + ", so the learning rate never reaches optim.lr:"
                    + " make it at most " + updates);
        }
        if (s.warmupRatio() != null && s.warmupSteps() != 0) {
            fail("schedule.warmup_ratio", "is set beside schedule.warmup_steps " + s.warmupSteps() + ": set one of the two"
                    + " (warmup_ratio is a fraction of the run's optimizer updates, warmup_steps a count)");
        }
        if (s.lrSchedule() == ScheduleConfig.LrSchedule.CONSTANT && s.minLrRatio() != 0.0) {
            fail("schedule.min_lr_ratio", "only applies to lr_schedule: linear or cosine; with constant it would be"
                    + " ignored: remove it or choose a decaying schedule");
        }
    }

    /** Optimizer updates in {@code steps} steps: one per SFT step, mu x global_batch / mini_batch per GRPO step. */
    private long updates(int steps) {
        if (!r.isGrpo()) return steps;
        GrpoConfig g = r.grpo();
        int mini = g.miniBatch(), batch = r.schedule().globalBatch();
        if (mini < 1 || batch % mini != 0) return steps; // grpo.mini_batch is reported; do not guess its update count
        return (long) steps * g.mu() * (batch / mini);
    }

    private void checkpointAndEval() {
        CheckpointConfig c = r.checkpoint();
        if (c.keepEvery() != null && c.every() == null) {
            fail("checkpoint.keep_every", "needs checkpoint.every (without it only the last step is saved)");
        } else if (c.keepEvery() != null && c.keepEvery() % c.every() != 0) {
            fail("checkpoint.keep_every", c.keepEvery() + " is not a multiple of checkpoint.every " + c.every()
                    + ", so those steps are never saved: use a multiple, e.g. " + c.every() * Math.max(1, c.keepEvery() / c.every()));
        }
        if (r.eval().every() != null && r.eval().suite() == null) {
            fail("eval.every", "needs eval.suite (which benchmarks to run)");
        }
    }

    private static int largestDivisorAtMost(int n, int limit) {
        for (int d = Math.min(n, limit); d > 1; d--) if (n % d == 0) return d;
        return 1;
    }
}
