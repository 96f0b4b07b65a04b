package rift.bench;

import java.util.ArrayList;
import java.util.List;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.model.Decoder;
import rift.model.TokenBatch;
import rift.model.Transformer;
import rift.model.Weights;
import rift.train.AdamWOptimizer;
import rift.util.Rng;

/** The timed bodies of {@code rift bench}: the same work the PyTorch peer script times. */
final class Workloads {
    private Workloads() {}

    static Transformer model(BenchConfig bc, int maxPositions, Backend be) {
        var c = bc.model(maxPositions);
        return new Transformer(c, Weights.random(c, be, 0), be);
    }

    static int[][] randomTokens(int rows, int len, int vocab, long seed) {
        Rng r = new Rng(seed);
        int[][] t = new int[rows][len];
        for (int[] row : t) for (int i = 0; i < len; i++) row[i] = r.nextInt(vocab);
        return t;
    }

    /** One fp32 training step: forward, mean next-token cross-entropy, backward, AdamW (lr 1e-4, wd 0.1). */
    static final class TrainStep implements Runnable {
        final Transformer m;
        final Weights grads, master;
        final AdamWOptimizer opt;
        final TokenBatch batch;
        final int[] targets;
        final float[] dLogp;
        float lastLoss;

        TrainStep(BenchConfig bc, Backend be) {
            m = model(bc, bc.seq() + 1, be);
            grads = Weights.zerosF32(m.config, be);
            // bf16 storage: fp32 master weights updated by AdamW and copied to the model, as the trainer does
            master = be.lowPrecisionStorage() ? Weights.zerosF32(m.config, be) : m.weights;
            if (master != m.weights) for (var e : m.weights.named().entrySet()) be.copy(master.named().get(e.getKey()), e.getValue());
            opt = new AdamWOptimizer(master, be, new AdamWOptimizer.Hyper(0.9f, 0.999f, 1e-8f, 0.1f, 0f));
            int[][] data = randomTokens(bc.batch(), bc.seq() + 1, bc.vocab(), 1);
            List<int[]> in = new ArrayList<>();
            targets = new int[bc.batch() * bc.seq()];
            for (int b = 0; b < bc.batch(); b++) {
                in.add(java.util.Arrays.copyOf(data[b], bc.seq()));
                System.arraycopy(data[b], 1, targets, b * bc.seq(), bc.seq());
            }
            batch = TokenBatch.of(in);
            dLogp = new float[targets.length];
            java.util.Arrays.fill(dLogp, -1f / targets.length);
        }

        @Override
        public void run() {
            phases(() -> {});
        }

        /**
         * One step; {@code sync} runs between its phases (a device synchronisation when timing them). Returns
         * the seconds of forward (incl. the LM head and the loss), backward (incl. zeroing the gradients) and
         * the optimizer (AdamW, writing the bf16 weights beside fp32 masters).
         */
        double[] phases(Runnable sync) {
            long t0 = System.nanoTime();
            var pass = m.forward(batch, targets, false, false);
            double loss = 0;
            for (float lp : pass.logp()) loss -= lp;
            lastLoss = (float) (loss / targets.length);
            sync.run();
            long t1 = System.nanoTime();
            grads.zero(m.backend());
            m.backward(pass, dLogp, null, grads);
            sync.run();
            long t2 = System.nanoTime();
            opt.update(master, grads, 1e-4f, opt.gradNorm(grads), master != m.weights ? m.weights : null);
            sync.run();
            long t3 = System.nanoTime();
            return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9};
        }
    }

    /** Batched greedy decoding with the KV cache: prefill a prompt per slot, then newTokens steps. */
    static final class Decode implements Runnable {
        final Transformer m;
        final Decoder dec;
        final int[][] prompts;
        final int newTokens;
        final int[] slots;

        Decode(BenchConfig bc, int batch, int prompt, int newTokens, Backend be) {
            m = model(bc, prompt + newTokens, be);
            dec = new Decoder(m, batch, prompt + newTokens);
            prompts = randomTokens(batch, prompt, bc.vocab(), 2);
            this.newTokens = newTokens;
            slots = new int[batch];
            for (int i = 0; i < batch; i++) slots[i] = i;
        }

        @Override
        public void run() {
            dec.reset();
            int v = m.config.vocabSize(), b = slots.length;
            if (!m.backend().name().equals("cpu")) { // a GPU picks the argmax where the logits are, as generate does
                double[] unused = new double[b];
                Tensor logits = dec.prefillLogits(slots, prompts);
                for (int i = 0; i < newTokens; i++) {
                    int[] next = m.backend().sample(logits, v, rift.kernels.SamplingParams.GREEDY, unused).tokens();
                    if (i == newTokens - 1) break;
                    logits = dec.stepLogits(slots, next);
                }
                return;
            }
            float[] logits = dec.prefill(slots, prompts);
            int[] next = new int[b];
            for (int i = 0; i < newTokens; i++) {
                for (int s = 0; s < b; s++) next[s] = argmax(logits, s * v, v);
                if (i == newTokens - 1) break;
                logits = dec.step(slots, next);
            }
        }

        private static int argmax(float[] a, int off, int n) {
            int best = 0;
            for (int i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
            return best;
        }
    }

    /**
     * GRPO-style sampling: batch prompts through the rollout engine at temperature 1, EOS disabled by
     * the random model's config (eos id 2 may still be drawn; tokens counts what was generated).
     */
    static final class Rollout implements Runnable {
        final Transformer m;
        final rift.rollout.RolloutEngine engine;
        final java.util.List<int[]> prompts;
        final int newTokens;
        long tokens;

        Rollout(BenchConfig bc, int batch, int prompt, int newTokens, Backend be) {
            m = model(bc, prompt + newTokens + 1, be);
            engine = new rift.rollout.RolloutEngine(m, batch, prompt + newTokens + 1);
            prompts = java.util.Arrays.asList(randomTokens(batch, prompt, bc.vocab(), 2));
            this.newTokens = newTokens;
        }

        @Override
        public void run() {
            var out = engine.generate(rift.rollout.RolloutEngine.requests(prompts, i -> Rng.derive(4, i)),
                    new rift.rollout.Sampler(1f, 0, 1f, 0f), newTokens, null);
            long n = 0;
            for (var c : out) n += c.tokens().length;
            tokens = n;
        }
    }

    /** Teacher-forced log-probs of completions (the GRPO scoring pass): B sequences of prompt + completion. */
    static final class LogProb implements Runnable {
        final Transformer m;
        final TokenBatch batch;
        final int[] targets;

        LogProb(BenchConfig bc, int b, int prompt, int completion, Backend be) {
            int t = prompt + completion;
            m = model(bc, t, be);
            int[][] seqs = randomTokens(b, t, bc.vocab(), 3);
            List<int[]> in = new ArrayList<>();
            targets = new int[b * (t - 1)];
            java.util.Arrays.fill(targets, -1);
            for (int s = 0; s < b; s++) {
                in.add(java.util.Arrays.copyOf(seqs[s], t - 1));
                for (int i = prompt - 1; i < t - 1; i++) targets[s * (t - 1) + i] = seqs[s][i + 1];
            }
            batch = TokenBatch.of(in);
        }

        @Override
        public void run() {
            m.forwardNoGrad(batch, targets, false, false);
        }
    }
}
