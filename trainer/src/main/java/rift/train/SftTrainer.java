package rift.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rift.checkpoint.Checkpoint;
import rift.data.DataCursor;
import rift.data.DataOrder;
import rift.data.DataSpec;
import rift.data.MathExample;
import rift.data.MathReader;
import rift.kernels.RiftException;
import rift.model.Neftune;
import rift.model.TokenBatch;
import rift.model.Transformer;
import rift.recipe.DataConfig;
import rift.recipe.Recipe;
import rift.recipe.SftConfig;
import rift.tokenizer.ChatTemplate;
import rift.tokenizer.PromptTemplate;
import rift.tokenizer.Tokenizer;
import rift.util.Rng;

/**
 * Supervised fine-tuning: cross-entropy on (prompt, solution) pairs, prompt tokens masked, averaged
 * over every trained token of the optimizer step (the normaliser is counted before the first
 * micro-batch, so micro-batching never changes the gradient). {@link #step()} is the whole training
 * step, top to bottom.
 */
public final class SftTrainer {
    private final RunContext run;
    private final List<SftSequence> data;
    private final DataOrder order;
    private final LrSchedule schedule;
    private final int totalSteps;
    private final boolean completionOnly;
    private final SftConfig.LossType lossType;
    /** Keeps NEFTune's generators apart from every other stream derived from the recipe's seed. */
    private static final long NEFTUNE_STREAM = 0x4E454654L; // "NEFT"
    private int step; // optimizer steps done

    public SftTrainer(RunContext run, Checkpoint resume) {
        this.run = run;
        Recipe r = run.recipe;
        this.completionOnly = r.sft().completionOnly();
        this.lossType = r.sft().lossType();
        this.data = tokenize(r, run.tokenizer);
        if (data.isEmpty()) throw new RiftException(RunContext.noUsableData(r, "training examples"));
        int perEpoch = (int) Math.ceil((double) data.size() / r.schedule().globalBatch());
        int fromEpochs = (int) Math.ceil(r.schedule().epochs() * data.size() / r.schedule().globalBatch());
        this.totalSteps = r.schedule().maxSteps() != null ? Math.min(r.schedule().maxSteps(), Math.max(fromEpochs, 1)) : Math.max(fromEpochs, 1);
        this.schedule = LrSchedule.of(r, totalSteps);
        if (resume == null) {
            this.order = DataOrder.start(data.size(), r.seed(), r.data().shuffle());
        } else {
            run.restore(resume);
            this.order = new DataOrder(data.size(), DataCursor.fromJson(resume.contents().dataCursor()), r.data().shuffle());
            this.step = (int) resume.step();
        }
        System.err.printf(Locale.ROOT, "rift sft: %d examples, %d steps of %d sequences (%.2f epochs), model %s %,d parameters%n", data.size(),
                totalSteps, r.schedule().globalBatch(), (double) totalSteps * r.schedule().globalBatch() / data.size(),
                run.model.config.arch().modelType, run.model.config.parameterCount());
        if (perEpoch == 0) throw new IllegalStateException();
    }

    /** Reads, templates and tokenises the training set; examples longer than data.max_seq_len are dropped. */
    static List<SftSequence> tokenize(Recipe r, Tokenizer tok) {
        DataConfig d = r.data();
        boolean completionOnly = r.sft().completionOnly();
        // with completion_only: false a record may be a plain document (prompt only): language-model pretraining
        MathReader.Result res = MathReader.read(DataSpec.fromRecipe(d, completionOnly).withRequireAnswer(false));
        PromptTemplate template = PromptTemplate.parse(d.promptTemplate(), "recipe data.prompt_template");
        ChatTemplate chat = RunContext.chatTemplate(d);
        int eos = tok.eosId().orElseThrow(() -> new RiftException(tok.origin() + ": the tokenizer names no end-of-sequence token"
                + " (tokenizer_config.json eos_token); SFT appends it to every solution so the model learns to stop"));
        List<SftSequence> out = new ArrayList<>();
        int tooLong = 0;
        for (MathExample ex : res.examples()) {
            String prompt = template.render(Map.of("prompt", ex.prompt()), ex.source());
            String promptText = chat == null ? prompt : chat.prompt(prompt);
            String solution = ex.solution() == null ? "" : ex.solution();
            String completion = chat == null ? solution : solution + chat.endOfTurn();
            int[] p = tok.encode(promptText), c = tok.encode(completion);
            int extra = chat == null ? 1 : 0; // plain text: append EOS; chat: <|im_end|> ends the turn
            int[] seq = new int[p.length + c.length + extra];
            System.arraycopy(p, 0, seq, 0, p.length);
            System.arraycopy(c, 0, seq, p.length, c.length);
            if (extra == 1) seq[seq.length - 1] = eos;
            if (seq.length > d.maxSeqLen() || p.length > d.maxPromptTokens()) {
                tooLong++;
                continue;
            }
            out.add(new SftSequence(seq, completionOnly ? p.length : 0));
        }
        System.err.println("rift sft: data " + res.report().summary() + (tooLong > 0 ? "; " + tooLong + " dropped as longer than data.max_seq_len" : ""));
        return out;
    }

    public int totalSteps() {
        return totalSteps;
    }

    public int stepsDone() {
        return step;
    }

    /** Result of one optimizer step, as logged. */
    public record StepResult(double loss, double gradNorm, double lr, int lossTokens, int tokens, boolean skipped) {}

    /** One optimizer step: sample, normalise, accumulate over micro-batches, clip, update, log. */
    public StepResult step() {
        Recipe r = run.recipe;
        long t0 = System.nanoTime();
        // 1. this step's sequences and the loss normaliser, fixed before any micro-batch runs
        int[] idx = order.next(r.schedule().globalBatch());
        List<SftSequence> seqs = new ArrayList<>();
        for (int i : idx) seqs.add(data.get(i));
        int lossTokens = 0, tokens = 0;
        int[] lengths = new int[seqs.size()];
        for (int i = 0; i < seqs.size(); i++) {
            lossTokens += seqs.get(i).lossTokens(completionOnly);
            tokens += seqs.get(i).tokens().length;
            lengths[i] = seqs.get(i).tokens().length;
        }
        if (lossTokens == 0) throw new RiftException("step " + (step + 1) + " has no trained tokens (every completion is empty);"
                + " check data.fields.solution and sft.completion_only");
        // 2. forward/backward per micro-batch, gradients accumulate
        run.grads.zero(run.be);
        double lossSum = 0, nllSum = 0;
        for (int[] mb : microBatches(lengths)) {
            SftLoss l = microBatch(seqs, mb, lossTokens);
            lossSum += l.lossSum();
            nllSum += l.nllSum();
        }
        double loss = lossSum / lossTokens;
        // 3. non-finite policy, then clip and update
        double norm = run.optimizer.gradNorm(run.grads);
        double lr = schedule.at(step);
        boolean skipped = false;
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            if (r.optim().nanPolicy() == rift.recipe.OptimConfig.NanPolicy.ABORT)
                throw new RiftException(String.format(Locale.ROOT, "step %d: non-finite loss %s or gradient norm %s; stopping (optim.nan_policy: abort)."
                        + " The last checkpoint is intact; lower optim.lr or set optim.nan_policy: skip", step + 1, loss, norm));
            skipped = true;
        } else {
            run.update(lr, norm);
        }
        step++;
        double secs = (System.nanoTime() - t0) / 1e9;
        ObjectNode line = run.metrics.newLine();
        line.put("step", step);
        line.put("loss", loss);
        if (lossType == SftConfig.LossType.DFT) line.put("nll", nllSum / lossTokens);
        line.put("lr", lr);
        line.put("grad_norm", norm);
        line.put("tokens", tokens);
        line.put("loss_tokens", lossTokens);
        line.put("epoch", order.cursor().epoch());
        line.put("skipped", skipped);
        line.put("tokens_per_s", tokens / secs);
        line.put("step_time_s", secs);
        run.metrics.log(line, step, totalSteps, String.format(Locale.ROOT, "loss %.4f lr %.2e |g| %.3f", loss, lr, norm));
        return new StepResult(loss, norm, lr, lossTokens, tokens, skipped);
    }

    private List<int[]> microBatches(int[] lengths) {
        Recipe r = run.recipe;
        if (r.sft().packing()) return MicroBatches.packed(lengths, r.data().maxSeqLen(), r.schedule().microBatch());
        if (r.sft().microBatchTokens() != null) return MicroBatches.byTokens(lengths, r.sft().microBatchTokens());
        return MicroBatches.byCount(lengths.length, r.schedule().microBatch());
    }

    /** Forward + backward of some of the step's sequences under the step's token-mean normaliser. */
    private SftLoss microBatch(List<SftSequence> seqs, int[] members, int stepLossTokens) {
        List<int[]> toks = new ArrayList<>();
        int n = 0;
        for (int i : members) n += seqs.get(i).tokens().length;
        int[] targets = new int[n];
        int at = 0;
        for (int i : members) {
            SftSequence s = seqs.get(i);
            toks.add(s.tokens());
            System.arraycopy(s.targets(completionOnly), 0, targets, at, s.tokens().length);
            at += s.tokens().length;
        }
        Transformer m = run.model;
        double alpha = run.recipe.sft().neftuneNoiseAlpha();
        float[] noise = null;
        if (alpha > 0) {
            int[] lengths = new int[members.length];
            for (int j = 0; j < members.length; j++) lengths[j] = seqs.get(members[j]).tokens().length;
            long seed = run.recipe.seed();
            noise = Neftune.noise(lengths, m.config.hiddenSize(), alpha, j -> Rng.derive(seed, NEFTUNE_STREAM, step, members[j]));
        }
        Transformer.Pass pass = m.forward(TokenBatch.of(toks), targets, false, false, noise);
        SftLoss loss = SftLoss.of(lossType, pass.logp(), targets, stepLossTokens);
        m.backward(pass, loss.dLogp(), null, run.grads);
        return loss;
    }

    /** Runs to the end, checkpointing every checkpoint.every steps and at the end. */
    public void train() {
        run.runToEnd(() -> step, totalSteps, this::step, this::save);
    }

    public Path save() {
        ObjectNode sched = JsonNodeFactory.instance.objectNode();
        sched.put("step", step);
        sched.put("total_steps", totalSteps);
        return run.save(step, sched, order.cursor().toJsonNode(), Map.of(), JsonNodeFactory.instance.objectNode());
    }
}
