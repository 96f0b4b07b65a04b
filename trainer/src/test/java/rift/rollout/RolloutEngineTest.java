package rift.rollout;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.kernels.cpu.CpuBackend;
import rift.model.ModelConfig;
import rift.model.TokenBatch;
import rift.model.Transformer;
import rift.model.Weights;
import rift.util.Rng;

class RolloutEngineTest {
    static Transformer model() {
        var be = new CpuBackend();
        ModelConfig c = new ModelConfig(ModelConfig.Arch.QWEN3, 61, 32, 2, 4, 2, 8, 48, 1e6, 1e-6f, false, 128, null, false, false, 1,
                new int[] {2}, 0, 0.3);
        return new Transformer(c, Weights.random(c, be, 5), be);
    }

    static List<int[]> prompts(int n) {
        Rng r = new Rng(9);
        List<int[]> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] t = new int[3 + r.nextInt(9)];
            for (int j = 0; j < t.length; j++) t[j] = 3 + r.nextInt(58);
            p.add(t);
        }
        return p;
    }

    /** Sampling-pass log-probs equal a separate teacher-forced pass at the same temperature to 1e-5. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(floats = {1f, 0.7f})
    void samplingLogprobsMatchTeacherForcing(float temperature) {
        Transformer m = model();
        List<int[]> prompts = prompts(7);
        var engine = new RolloutEngine(m, 3, 64);
        var out = engine.generate(RolloutEngine.requests(prompts, i -> Rng.derive(1, i)), new Sampler(temperature, 0, 1f, 0f), 20, null);
        double maxErr = 0;
        int checked = 0;
        for (var c : out) {
            int[] seq = new int[c.prompt().length + c.tokens().length];
            System.arraycopy(c.prompt(), 0, seq, 0, c.prompt().length);
            System.arraycopy(c.tokens(), 0, seq, c.prompt().length, c.tokens().length);
            TokenBatch b = TokenBatch.of(List.of(java.util.Arrays.copyOf(seq, seq.length - 1)));
            int[] targets = new int[seq.length - 1];
            java.util.Arrays.fill(targets, -1);
            for (int i = c.prompt().length - 1; i < seq.length - 1; i++) targets[i] = seq[i + 1];
            float[] lp = m.forward(b, targets, false, false, temperature).logp();
            for (int t = 0; t < c.tokens().length; t++) {
                maxErr = Math.max(maxErr, Math.abs(lp[c.prompt().length - 1 + t] - c.logp()[t]));
                checked++;
            }
        }
        assertTrue(checked > 50);
        assertTrue(maxErr < 1e-5, "max |logp(sampling) - logp(teacher forced)| = " + maxErr);
    }

    /** A completion depends on its own seed, not on how many slots decode together. */
    @Test
    void completionsDoNotDependOnBatching() {
        Transformer m = model();
        List<int[]> prompts = prompts(6);
        var a = new RolloutEngine(m, 1, 64).generate(RolloutEngine.requests(prompts, i -> Rng.derive(2, i)), new Sampler(1f, 0, 1f, 0f), 15, null);
        var b = new RolloutEngine(m, 4, 64).generate(RolloutEngine.requests(prompts, i -> Rng.derive(2, i)), new Sampler(1f, 0, 1f, 0f), 15, null);
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(a.get(i).tokens(), b.get(i).tokens(), "request " + i);
            assertEquals(a.get(i).finish(), b.get(i).finish());
            for (int t = 0; t < a.get(i).logp().length; t++) assertEquals(a.get(i).logp()[t], b.get(i).logp()[t], 1e-5);
        }
        assertTrue(a.stream().anyMatch(c -> c.finish().equals("length")));
    }

    @Test
    void stopConditionAndEos() {
        Transformer m = model();
        List<int[]> prompts = prompts(4);
        var out = new RolloutEngine(m, 2, 64).generate(RolloutEngine.requests(prompts, i -> Rng.derive(3, i)), new Sampler(1f, 0, 1f, 0f), 30,
                toks -> toks.length >= 4);
        for (var c : out) {
            assertTrue(c.tokens().length <= 4);
            if (c.finish().equals("stop")) assertEquals(4, c.tokens().length);
            if (c.finish().equals("eos")) assertEquals(2, c.tokens()[c.tokens().length - 1]);
        }
    }

    /** Ids past the tokenizer are never drawn, and log-probs stay normalised over the whole row. */
    @Test
    void candidatesLimitSamplingNotNormalisation() {
        float[] logits = {0f, 1f, 2f, 5f, 6f};
        Sampler s = new Sampler(1f, 0, 1f, 0f);
        double lse = Math.log(Math.exp(0) + Math.exp(1) + Math.exp(2) + Math.exp(5) + Math.exp(6));
        Rng r = new Rng(1);
        for (int i = 0; i < 200; i++) {
            Sampler.Pick p = s.sample(logits, 0, 5, 3, r);
            assertTrue(p.token() < 3, "drew id " + p.token());
            assertEquals(logits[p.token()] - lse, p.logp(), 1e-6);
        }
        assertEquals(2, Sampler.GREEDY.sample(logits, 0, 5, 3, r).token());
        assertEquals(4, Sampler.GREEDY.sample(logits, 0, 5, 5, r).token());
    }
}
