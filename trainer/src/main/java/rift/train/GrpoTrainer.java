package rift.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rift.checkpoint.Checkpoint;
import rift.data.DataCursor;
import rift.data.DataOrder;
import rift.data.DataSpec;
import rift.data.MathExample;
import rift.data.MathReader;
import rift.grpo.Advantages;
import rift.grpo.DynamicSampling;
import rift.grpo.EntropyMask;
import rift.grpo.GrpoLoss;
import rift.grpo.GrpoLossConfig;
import rift.grpo.KlInReward;
import rift.grpo.LossResult;
import rift.grpo.LossStats;
import rift.grpo.Normaliser;
import rift.grpo.RewardRegistry;
import rift.grpo.SequenceBatch;
import rift.grpo.WeightedRewards;
import rift.kernels.RiftException;
import rift.model.TokenBatch;
import rift.model.Transformer;
import rift.recipe.GrpoConfig;
import rift.recipe.Recipe;
import rift.rollout.RolloutEngine;
import rift.rollout.Sampler;
import rift.tokenizer.ChatTemplate;
import rift.tokenizer.PromptTemplate;
import rift.util.Rng;
import rift.verify.MathVerifier;
import rift.verify.VerifyMode;

/**
 * On-policy GRPO with verifiable rewards, plus the paper's Eq. 3 ablations (sampling: dataset|policy,
 * weight: one|reject|advantage, beta). One {@link #step()} = one rollout batch: sample G completions
 * per prompt with the policy's own kernels (so rollout and trainer log-probs agree), verify and reward
 * them, turn rewards into advantages within each group, then take mu x (global_batch / mini_batch)
 * optimizer steps on the clipped surrogate with the loss normaliser fixed per optimizer step.
 */
public final class GrpoTrainer {
    private final RunContext run;
    private final GrpoConfig g;
    private final GrpoLossConfig cfg;
    private final List<Item> data;
    private final DataOrder order;
    private final WeightedRewards rewards;
    private final MathVerifier verifier;
    private final VerifyMode verifyMode;
    private final RolloutEngine engine;
    private final Sampler sampler;
    private final Transformer ref; // frozen initial policy, only when a KL term needs it
    private final int totalSteps, updatesPerStep, miniBatch;
    private final LrSchedule schedule;
    private int step, updates;

    /** A training prompt: its tokens, the gold answer, and (for sampling: dataset) the dataset completion tokens. */
    record Item(int index, String id, String promptText, int[] prompt, String answer, int[] solution) {}

    /** One prompt's group of completions, scored. */
    record Group(Item item, List<RolloutEngine.Completion> completions, double[] scores, boolean[] correct, String[] texts) {}

    public GrpoTrainer(RunContext run, Checkpoint resume) {
        this.run = run;
        Recipe r = run.recipe;
        this.g = r.grpo();
        this.cfg = GrpoSettings.from(g);
        this.data = load(r);
        if (data.isEmpty()) throw new RiftException(RunContext.noUsableData(r, "prompts"));
        int batch = r.schedule().globalBatch();
        this.miniBatch = g.miniBatch() != null ? g.miniBatch() : batch;
        if (batch % miniBatch != 0) throw new RiftException("grpo.mini_batch (" + miniBatch + ") must divide schedule.global_batch (" + batch + ")");
        this.updatesPerStep = g.mu() * (batch / miniBatch);
        int fromEpochs = Math.max(1, (int) Math.ceil(r.schedule().epochs() * data.size() / batch));
        this.totalSteps = r.schedule().maxSteps() != null ? Math.min(r.schedule().maxSteps(), fromEpochs) : fromEpochs;
        this.schedule = LrSchedule.of(r, totalSteps * updatesPerStep);
        this.rewards = RewardRegistry.withBuiltins().build(cfg);
        this.verifier = new MathVerifier(Duration.ofMillis(g.verifierTimeoutMs()), MathVerifier.DEFAULT_STEP_LIMIT);
        this.verifyMode = g.verifierMode() == GrpoConfig.VerifierMode.GSM8K ? VerifyMode.GSM8K : VerifyMode.MATH;
        int slots = Math.min(batch * cfg.numGenerations(), 64);
        this.engine = new RolloutEngine(run.model, slots, r.data().maxSeqLen()).limitToTokenizer(run.tokenizer.vocabSize());
        this.sampler = new Sampler((float) g.temperature(), g.topK(), (float) g.topP(), (float) g.minP());
        boolean needsRef = cfg.beta() > 0;
        // the reference is the run's initial policy, rebuilt from the recipe (model.path, or the seeded init), so a
        // resumed run gets the same reference without storing it
        this.ref = needsRef ? RunContext.buildModel(r, run.be) : null;
        if (resume == null) {
            this.order = DataOrder.start(data.size(), r.seed(), r.data().shuffle());
        } else {
            run.restore(resume);
            this.order = new DataOrder(data.size(), DataCursor.fromJson(resume.contents().dataCursor()), r.data().shuffle());
            this.step = (int) resume.step();
            this.updates = resume.contents().loopState().path("updates").asInt(step * updatesPerStep);
        }
        System.err.printf(Locale.ROOT, "rift grpo: %d prompts, %d steps x %d prompts x %d completions, %d optimizer updates per step%n",
                data.size(), totalSteps, batch, cfg.numGenerations(), updatesPerStep);
    }

    private List<Item> load(Recipe r) {
        boolean needSolution = g.sampling() == GrpoConfig.Sampling.DATASET;
        MathReader.Result res = MathReader.read(DataSpec.fromRecipe(r.data(), needSolution));
        PromptTemplate template = PromptTemplate.parse(r.data().promptTemplate(), "recipe data.prompt_template");
        ChatTemplate chat = RunContext.chatTemplate(r.data());
        int eos = run.tokenizer.eosId().orElse(-1);
        List<Item> out = new ArrayList<>();
        int dropped = 0;
        for (MathExample ex : res.examples()) {
            if (ex.answer() == null || ex.answer().isBlank()) { dropped++; continue; }
            String text = template.render(Map.of("prompt", ex.prompt()), ex.source());
            if (chat != null) text = chat.prompt(text);
            int[] p = run.tokenizer.encode(text);
            if (p.length > r.data().maxPromptTokens() || p.length + g.maxNewTokens() > r.data().maxSeqLen()) { dropped++; continue; }
            int[] sol = null;
            if (needSolution) {
                int[] s = run.tokenizer.encode(chat == null ? ex.solution() : ex.solution() + chat.endOfTurn());
                sol = chat == null && eos >= 0 ? Arrays.copyOf(s, s.length + 1) : s;
                if (chat == null && eos >= 0) sol[s.length] = eos;
                if (sol.length > g.maxNewTokens()) sol = Arrays.copyOf(sol, g.maxNewTokens());
            }
            out.add(new Item(out.size(), ex.id(), text, p, ex.answer(), sol));
        }
        System.err.println("rift grpo: data " + res.report().summary() + (dropped > 0 ? "; " + dropped + " dropped (no answer or too long)" : ""));
        return out;
    }

    public int totalSteps() {
        return totalSteps;
    }

    public int stepsDone() {
        return step;
    }

    /** One rollout batch and its optimizer updates. */
    public ObjectNode step() {
        Recipe r = run.recipe;
        long t0 = System.nanoTime();
        int batch = r.schedule().globalBatch(), G = cfg.numGenerations();
        // 1. rollouts: G completions per prompt (dynamic sampling refills zero-std groups, bounded)
        DynamicSampling.Result<Group> ds = DynamicSampling.forStep(cfg, batch, round -> sampleGroups(order.next(batch), round),
                Group::scores);
        List<Group> groups = ds.kept();
        if (groups.isEmpty()) return skipStep(ds, t0); // every sampled group had equal rewards: nothing to learn from
        long t1 = System.nanoTime();
        // 2. flatten completions, old log-probs, optional reference log-probs and KL-in-reward
        int S = groups.size() * G;
        List<RolloutEngine.Completion> comps = new ArrayList<>();
        double[][] scores = new double[groups.size()][];
        boolean[][] correct = new boolean[groups.size()][];
        for (int i = 0; i < groups.size(); i++) {
            comps.addAll(groups.get(i).completions());
            scores[i] = groups.get(i).scores().clone();
            correct[i] = groups.get(i).correct();
        }
        double[][] refLogp = ref != null ? teacherForcedLogp(ref, comps) : null;
        if (ref != null && cfg.klIn() == GrpoLossConfig.KlIn.REWARD) {
            for (int i = 0; i < groups.size(); i++) {
                double[] pen = new double[G];
                for (int k = 0; k < G; k++) {
                    RolloutEngine.Completion c = comps.get(i * G + k);
                    pen[k] = KlInReward.sequencePenalty(cfg.klEstimator(), SequenceBatch.widen(c.logp()), refLogp[i * G + k], 0, c.tokens().length);
                }
                scores[i] = KlInReward.penalise(scores[i], pen, cfg.beta());
            }
        }
        // 3. advantages (or the Eq. 3 weights) per completion
        double[][] adv = Advantages.weights(cfg.weight(), scores, correct, cfg.scaleRewards());
        if (g.logCompletions()) dumpCompletions(groups, scores, adv);
        // 3b. grpo.top_entropy_quantile: the tokens that keep the policy-gradient term, decided once for the step
        EntropyMask entropyMask = cfg.topEntropyQuantile() < 1 ? entropyMask(comps) : null;
        // 4. mu passes over mini-batches; one optimizer update per mini-batch, normaliser fixed per update
        LossStats stats = LossStats.ZERO;
        double normSum = 0, lastLr = 0;
        int prompts = groups.size(), perUpdate = Math.min(miniBatch, prompts), done = 0;
        for (int epoch = 0; epoch < g.mu(); epoch++) {
            for (int p0 = 0; p0 < prompts; p0 += perUpdate) {
                int[] members = new int[Math.min(perUpdate, prompts - p0) * G];
                for (int j = 0; j < members.length; j++) members[j] = p0 * G + j;
                run.grads.zero(run.be);
                int[] lengths = new int[members.length];
                boolean[] trunc = new boolean[members.length];
                for (int j = 0; j < members.length; j++) {
                    lengths[j] = comps.get(members[j]).tokens().length;
                    trunc[j] = comps.get(members[j]).truncated();
                }
                Normaliser norm = Normaliser.forStep(cfg, lengths, trunc);
                for (int m0 = 0; m0 < members.length; m0 += r.schedule().microBatch()) {
                    int[] micro = Arrays.copyOfRange(members, m0, Math.min(members.length, m0 + r.schedule().microBatch()));
                    stats = stats.plus(updateMicroBatch(comps, micro, adv, refLogp, entropyMask, norm));
                }
                double gn = run.optimizer.gradNorm(run.grads);
                lastLr = schedule.at(updates);
                if (!Double.isFinite(gn)) {
                    if (r.optim().nanPolicy() == rift.recipe.OptimConfig.NanPolicy.ABORT)
                        throw new RiftException(String.format(Locale.ROOT, "step %d: non-finite gradient norm; stopping (optim.nan_policy: abort)."
                                + " The last checkpoint is intact; lower optim.lr or set optim.nan_policy: skip", step + 1));
                } else {
                    run.update(lastLr, gn);
                }
                normSum += gn;
                updates++;
                done++;
            }
        }
        // dynamic sampling may keep fewer prompts than a full batch, and so fewer mini-batches: the schedule still
        // advances by a whole step's updates, so its position (warmup, decay) follows the step count
        updates += updatesPerStep - done;
        step++;
        long t2 = System.nanoTime();
        return logStep(groups, comps, ds, stats, entropyMask, normSum / done, lastLr, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    /**
     * A step whose dynamic sampling found no group with a reward signal (all completions equally right or
     * wrong, every round): no update, logged as skipped; the learning-rate schedule still advances so the
     * run's length and schedule do not depend on luck.
     */
    private ObjectNode skipStep(DynamicSampling.Result<Group> ds, long t0) {
        step++;
        updates += updatesPerStep;
        ObjectNode line = run.metrics.newLine();
        line.put("step", step);
        line.put("skipped", true);
        line.put("frac_zero_std", ds.zeroStdFraction());
        line.put("sampling_rounds", ds.rounds());
        line.put("rollout_s", (System.nanoTime() - t0) / 1e9);
        run.metrics.log(line, step, totalSteps, "skipped: no group with a reward signal in " + ds.rounds() + " sampling rounds");
        return line;
    }

    /** Samples (or, with sampling: dataset, takes) G completions for each prompt index and scores them. */
    private List<Group> sampleGroups(int[] idx, int round) {
        int G = cfg.numGenerations();
        List<RolloutEngine.Completion> all;
        if (cfg.sampling() == GrpoLossConfig.Sampling.POLICY) {
            List<RolloutEngine.Request> reqs = new ArrayList<>();
            for (int i : idx)
                for (int k = 0; k < G; k++)
                    reqs.add(new RolloutEngine.Request(data.get(i).prompt(), Rng.derive(run.recipe.seed(), step, round, i, k)));
            all = engine.generate(reqs, sampler, g.maxNewTokens(), stopPredicate());
        } else { // off-policy: the dataset's solution, scored by the current policy as pi_old
            List<RolloutEngine.Completion> ds = new ArrayList<>();
            for (int i : idx)
                for (int k = 0; k < G; k++) ds.add(new RolloutEngine.Completion(data.get(i).prompt(), data.get(i).solution(), null, "eos"));
            double[][] lp = teacherForcedLogp(run.model, ds);
            all = new ArrayList<>();
            for (int j = 0; j < ds.size(); j++) {
                float[] f = new float[lp[j].length];
                for (int t = 0; t < f.length; t++) f[t] = (float) lp[j][t];
                all.add(new RolloutEngine.Completion(ds.get(j).prompt(), ds.get(j).tokens(), f, "eos"));
            }
        }
        List<Group> groups = new ArrayList<>();
        for (int a = 0; a < idx.length; a++) {
            Item item = data.get(idx[a]);
            List<RolloutEngine.Completion> cs = all.subList(a * G, (a + 1) * G);
            double[] sc = new double[G];
            boolean[] ok = new boolean[G];
            String[] texts = new String[G];
            for (int k = 0; k < G; k++) {
                RolloutEngine.Completion c = cs.get(k);
                texts[k] = run.tokenizer.decode(c.tokens());
                ok[k] = verifier.verify(texts[k], item.answer(), verifyMode).correct();
                sc[k] = rewards.score(new rift.grpo.Completion(item.promptText(), texts[k], c.tokens().length, c.truncated(), item.answer(), ok[k]));
            }
            groups.add(new Group(item, List.copyOf(cs), sc, ok, texts));
        }
        return groups;
    }

    private java.util.function.Predicate<int[]> stopPredicate() {
        if (g.stop() == null || g.stop().isEmpty()) return null;
        return toks -> {
            String text = run.tokenizer.decode(toks);
            for (String s : g.stop()) if (text.endsWith(s)) return true;
            return false;
        };
    }

    /** Prompt + completion as one sequence (minus its last token) with targets on the completion tokens. */
    private record Scored(TokenBatch batch, int[] targets, int[] compStart, int[] compLen) {}

    private Scored pack(List<RolloutEngine.Completion> comps, int[] members) {
        List<int[]> seqs = new ArrayList<>();
        int n = 0;
        for (int j : members) n += comps.get(j).prompt().length + comps.get(j).tokens().length - 1;
        int[] targets = new int[n], compStart = new int[members.length], compLen = new int[members.length];
        Arrays.fill(targets, -1);
        int at = 0;
        for (int m = 0; m < members.length; m++) {
            RolloutEngine.Completion c = comps.get(members[m]);
            int p = c.prompt().length, len = c.tokens().length;
            int[] seq = new int[p + len - 1];
            System.arraycopy(c.prompt(), 0, seq, 0, p);
            System.arraycopy(c.tokens(), 0, seq, p, len - 1);
            for (int t = 0; t < len; t++) targets[at + p - 1 + t] = c.tokens()[t];
            compStart[m] = at + p - 1;
            compLen[m] = len;
            seqs.add(seq);
            at += seq.length;
        }
        return new Scored(TokenBatch.of(seqs), targets, compStart, compLen);
    }

    /** Teacher-forced log-probs (at the sampling temperature) of each completion's tokens under a model. */
    private double[][] teacherForcedLogp(Transformer m, List<RolloutEngine.Completion> comps) {
        return teacherForced(m, comps, false);
    }

    /**
     * Per completion token, under a model at the sampling temperature and without a backward: the log-prob of the
     * token (entropy false) or the entropy of the distribution it was drawn from (entropy true).
     */
    private double[][] teacherForced(Transformer m, List<RolloutEngine.Completion> comps, boolean entropy) {
        double[][] out = new double[comps.size()][];
        int mb = run.recipe.schedule().microBatch();
        for (int s0 = 0; s0 < comps.size(); s0 += mb) {
            int[] members = new int[Math.min(mb, comps.size() - s0)];
            for (int j = 0; j < members.length; j++) members[j] = s0 + j;
            Scored sc = pack(comps, members);
            Transformer.Pass pass = m.forwardNoGrad(sc.batch(), sc.targets(), entropy, false, (float) g.temperature());
            float[] v = entropy ? pass.entropy() : pass.logp();
            for (int j = 0; j < members.length; j++) {
                out[members[j]] = new double[sc.compLen()[j]];
                for (int t = 0; t < sc.compLen()[j]; t++) out[members[j]][t] = v[sc.compStart()[j] + t];
            }
        }
        return out;
    }

    /** The step's high-entropy tokens (grpo.top_entropy_quantile) under the policy before its first update. */
    private EntropyMask entropyMask(List<RolloutEngine.Completion> comps) {
        double[][] entropy = teacherForced(run.model, comps, true);
        boolean[][] inLoss = new boolean[comps.size()][];
        for (int i = 0; i < comps.size(); i++) {
            inLoss[i] = new boolean[entropy[i].length];
            Arrays.fill(inLoss[i], !(cfg.maskTruncatedCompletions() && comps.get(i).truncated()));
        }
        return EntropyMask.of(entropy, inLoss, cfg.topEntropyQuantile());
    }

    /** Forward + loss + backward of some completions; gradients accumulate into run.grads. */
    private LossStats updateMicroBatch(List<RolloutEngine.Completion> comps, int[] members, double[][] adv, double[][] refLogp,
                                       EntropyMask entropyMask, Normaliser norm) {
        int G = cfg.numGenerations();
        Scored sc = pack(comps, members);
        boolean wantEntropy = true; // cheap in the fused head; logged every step
        Transformer.Pass pass = run.model.forward(sc.batch(), sc.targets(), wantEntropy, false, (float) g.temperature());
        int[] seqStart = new int[members.length + 1];
        for (int j = 0; j < members.length; j++) seqStart[j + 1] = seqStart[j] + sc.compLen()[j];
        int n = seqStart[members.length];
        double[] logp = new double[n], old = new double[n], ent = new double[n], refs = refLogp != null ? new double[n] : null;
        boolean[] trunc = new boolean[members.length];
        boolean[] pgMask = entropyMask != null ? new boolean[n] : null;
        double[] a = new double[members.length];
        for (int j = 0; j < members.length; j++) {
            RolloutEngine.Completion c = comps.get(members[j]);
            trunc[j] = c.truncated();
            a[j] = adv[members[j] / G][members[j] % G];
            for (int t = 0; t < sc.compLen()[j]; t++) {
                logp[seqStart[j] + t] = pass.logp()[sc.compStart()[j] + t];
                old[seqStart[j] + t] = c.logp()[t];
                ent[seqStart[j] + t] = pass.entropy()[sc.compStart()[j] + t];
                if (refs != null) refs[seqStart[j] + t] = refLogp[members[j]][t];
                if (pgMask != null) pgMask[seqStart[j] + t] = entropyMask.keep()[members[j]][t];
            }
        }
        boolean[] mask = SequenceBatch.lossMask(seqStart, trunc, cfg.maskTruncatedCompletions());
        SequenceBatch mb = new SequenceBatch(seqStart, logp, old, cfg.klIn() == GrpoLossConfig.KlIn.LOSS ? refs : null, ent, mask, a,
                pgMask);
        LossResult res = new GrpoLoss(cfg).compute(mb, norm);
        float[] dLogp = new float[sc.targets().length];
        float[] dEnt = cfg.entropyCoef() != 0 ? new float[sc.targets().length] : null;
        for (int j = 0; j < members.length; j++)
            for (int t = 0; t < sc.compLen()[j]; t++) {
                dLogp[sc.compStart()[j] + t] = (float) res.dLogp()[seqStart[j] + t];
                if (dEnt != null) dEnt[sc.compStart()[j] + t] = (float) res.dEntropy()[seqStart[j] + t];
            }
        run.model.backward(pass, dLogp, dEnt, run.grads);
        return res.stats();
    }

    private ObjectNode logStep(List<Group> groups, List<RolloutEngine.Completion> comps, DynamicSampling.Result<Group> ds, LossStats st,
                               EntropyMask entropyMask, double gradNorm, double lr, double rolloutS, double updateS) {
        double sum = 0, sumSq = 0, acc = 0;
        int n = 0, minLen = Integer.MAX_VALUE, maxLen = 0, truncated = 0;
        long tokens = 0;
        for (Group gr : groups)
            for (int k = 0; k < gr.scores().length; k++) {
                sum += gr.scores()[k];
                sumSq += gr.scores()[k] * gr.scores()[k];
                if (gr.correct()[k]) acc++;
                n++;
            }
        for (RolloutEngine.Completion c : comps) {
            minLen = Math.min(minLen, c.tokens().length);
            maxLen = Math.max(maxLen, c.tokens().length);
            tokens += c.tokens().length;
            if (c.truncated()) truncated++;
        }
        double mean = sum / n;
        ObjectNode line = run.metrics.newLine();
        line.put("step", step);
        line.put("reward_mean", mean);
        line.put("reward_std", Math.sqrt(Math.max(0, sumSq / n - mean * mean)));
        line.put("accuracy", acc / n);
        line.put("frac_zero_std", ds.zeroStdFraction());
        line.put("sampling_rounds", ds.rounds());
        line.put("loss", st.loss());
        line.put("clip_low", st.clipLowFraction());
        line.put("clip_high", st.clipHighFraction());
        line.put("clip_dual", st.clipDualFraction());
        line.put("approx_kl", st.approxKl());
        line.put("ref_kl", st.refKl());
        line.put("entropy", st.entropyMean());
        if (entropyMask != null) { // grpo.top_entropy_quantile
            line.put("entropy_threshold", entropyMask.threshold());
            line.put("pg_token_frac", entropyMask.keptFraction());
        }
        line.put("completion_len_mean", (double) tokens / comps.size());
        line.put("completion_len_min", minLen);
        line.put("completion_len_max", maxLen);
        line.put("truncated_frac", (double) truncated / comps.size());
        line.put("grad_norm", gradNorm);
        line.put("lr", lr);
        line.put("rollout_s", rolloutS);
        line.put("update_s", updateS);
        line.put("tokens_per_s", tokens / (rolloutS + updateS));
        line.put("verifier_timeouts", verifier.stats().timeouts());
        run.metrics.log(line, step, totalSteps, String.format(Locale.ROOT, "reward %.3f acc %.3f len %.0f |g| %.3f", mean, acc / n,
                (double) tokens / comps.size(), gradNorm));
        return line;
    }

    /** grpo.log_completions: one JSON line per completion of this step in run_dir/completions/step-N.jsonl. */
    private void dumpCompletions(List<Group> groups, double[][] scores, double[][] adv) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            Group gr = groups.get(i);
            for (int k = 0; k < gr.completions().size(); k++) {
                ObjectNode o = json.createObjectNode();
                o.put("step", step + 1);
                o.put("prompt_id", gr.item().id());
                o.put("prompt", gr.item().promptText());
                o.put("completion", gr.texts()[k]);
                o.put("tokens", gr.completions().get(k).tokens().length);
                o.put("finish", gr.completions().get(k).finish());
                o.put("reference", gr.item().answer());
                o.put("correct", gr.correct()[k]);
                o.put("reward", scores[i][k]);
                o.put("advantage", adv[i][k]);
                sb.append(o).append('\n');
            }
        }
        Path dir = run.runDir.resolve("completions");
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve("step-" + (step + 1) + ".jsonl"), sb.toString());
        } catch (java.io.IOException e) {
            throw new RiftException(dir + ": cannot write completions (" + e.getMessage() + ")");
        }
    }

    public void train() {
        run.runToEnd(() -> step, totalSteps, this::step, this::save);
    }

    public Path save() {
        ObjectNode sched = JsonNodeFactory.instance.objectNode();
        sched.put("step", step);
        sched.put("updates", updates);
        ObjectNode loop = JsonNodeFactory.instance.objectNode();
        loop.put("updates", updates);
        return run.save(step, sched, order.cursor().toJsonNode(), Map.of(), loop);
    }
}
