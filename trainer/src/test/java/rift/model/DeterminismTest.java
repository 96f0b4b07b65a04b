package rift.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rift.kernels.cpu.CpuBackend;
import rift.kernels.cpu.CpuTensor;
import rift.kernels.cpu.Parallel;
import rift.train.AdamWOptimizer;
import rift.util.Rng;

/** Same seed, same thread count: five AdamW steps give bitwise-identical losses and weights. */
class DeterminismTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
    }

    record Run(List<Integer> lossBits, List<float[]> weights) {}

    static Run train(long seed) {
        var be = new CpuBackend();
        ModelConfig c = ModelConfig.of(ModelConfig.Arch.QWEN3, 97, 32, 2, 4, 2, 8, 48, 128, false);
        Weights w = Weights.random(c, be, seed);
        Weights g = Weights.zeros(c, be);
        Transformer m = new Transformer(c, w, be);
        var opt = new AdamWOptimizer(w, be, new AdamWOptimizer.Hyper(0.9f, 0.95f, 1e-8f, 0.1f, 1.0f));
        Rng rng = new Rng(seed + 1);
        List<Integer> losses = new ArrayList<>();
        for (int step = 0; step < 5; step++) {
            List<int[]> seqs = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                int[] t = new int[20 + rng.nextInt(30)];
                for (int i = 0; i < t.length; i++) t[i] = rng.nextInt(c.vocabSize());
                seqs.add(t);
            }
            TokenBatch batch = TokenBatch.of(seqs);
            int[] targets = batch.nextTokenTargets();
            var pass = m.forward(batch, targets, false, false);
            MeanNll nll = MeanNll.of(pass.logp(), targets);
            losses.add(Float.floatToIntBits((float) nll.loss()));
            g.zero(be);
            m.backward(pass, nll.dLogp(), null, g);
            opt.update(w, g, 1e-3f);
        }
        List<float[]> ws = new ArrayList<>();
        for (var t : w.named().values()) ws.add(CpuTensor.of(t).clone());
        return new Run(losses, ws);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void fiveStepsAreBitwiseReproducible(int threads) {
        Parallel.setThreads(threads);
        Run a = train(42), b = train(42);
        assertEquals(a.lossBits(), b.lossBits());
        for (int i = 0; i < a.weights().size(); i++) assertArrayEquals(a.weights().get(i), b.weights().get(i));
        Run other = train(43);
        assertNotEquals(a.lossBits(), other.lossBits(), "a different seed must give a different run");
    }
}
