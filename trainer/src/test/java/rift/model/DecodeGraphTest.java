package rift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rift.kernels.cuda.CudaBackend;
import rift.kernels.cuda.EmulatedCuda;
import rift.util.Rng;

/**
 * Decode steps replayed as graphs (Backend.repeatable, -Drift.cuda.graphs=on) on the CUDA backend over the
 * kernel emulator, whose graphs record launches with their arguments by value and refuse uploads, reads and
 * allocations while recording, as a GPU does: every step's logits equal those of the same steps run eagerly,
 * bit for bit, through full batches, steps over some slots in any order (a graph per shape), new prompts in
 * freed slots, and a packed forward in between that reallocates the backend's scratch buffers (the graphs
 * recorded before are then dropped and recorded again).
 */
class DecodeGraphTest {
    private static final int SLOTS = 3;

    private record Step(int[] slots, int[] tokens) {}

    /** A script of decode steps: full batches, then a subset out of order, a refill, full batches again. */
    private static List<Step> script(Rng rng, int vocab) {
        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < 4; s++) steps.add(new Step(new int[] {0, 1, 2}, tokens(rng, 3, vocab)));
        for (int s = 0; s < 3; s++) steps.add(new Step(new int[] {2, 0}, tokens(rng, 2, vocab)));
        for (int s = 0; s < 3; s++) steps.add(new Step(new int[] {0, 1, 2}, tokens(rng, 3, vocab)));
        return steps;
    }

    private static int[] tokens(Rng rng, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = rng.nextInt(vocab);
        return t;
    }

    /** Logits of every step (prefill of 3 prompts, the script, slot 1 freed and refilled midway, a packed forward between steps). */
    private static List<float[]> run(CudaBackend be, ModelConfig c, boolean graphs) {
        be.useGraphs(graphs);
        Transformer m = new Transformer(c, Weights.random(c, be, 3), be);
        Decoder d = new Decoder(m, SLOTS, 40);
        Rng rng = new Rng(17);
        List<float[]> out = new ArrayList<>();
        out.add(d.prefill(new int[] {0, 1, 2}, new int[][] {tokens(rng, 5, c.vocabSize()), tokens(rng, 2, c.vocabSize()),
                tokens(rng, 7, c.vocabSize())}));
        List<Step> steps = script(new Rng(29), c.vocabSize());
        for (int i = 0; i < steps.size(); i++) {
            if (i == 4) { // slot 1 finished: a new prompt takes it while slots 0 and 2 go on
                d.free(1);
                out.add(d.prefill(new int[] {1}, new int[][] {tokens(rng, 4, c.vocabSize())}));
            }
            if (i == 6) { // a packed forward of 90 tokens: larger index uploads reallocate scratch buffers
                TokenBatch b = TokenBatch.of(tokens(rng, 50, c.vocabSize()), tokens(rng, 40, c.vocabSize()));
                out.add(m.forwardNoGrad(b, b.nextTokenTargets(), false, false).logp().clone());
            }
            out.add(d.step(steps.get(i).slots(), steps.get(i).tokens()));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, bf16 storage: {1}")
    @CsvSource({"QWEN3, true", "LLAMA, false"})
    void replayedStepsGiveTheEagerBits(ModelConfig.Arch arch, boolean bf16) {
        String why = EmulatedCuda.unavailable();
        Assumptions.assumeTrue(why == null, () -> why);
        ModelConfig c = ModelConfig.of(arch, 97, 64, 2, 4, 2, 16, 96, 64, false);
        List<float[]> eager, replayed;
        String status;
        try (CudaBackend be = EmulatedCuda.backend(bf16)) {
            eager = run(be, c, false);
        }
        try (CudaBackend be = EmulatedCuda.backend(bf16)) {
            replayed = run(be, c, true);
            status = be.graphStatus();
        }
        assertEquals(eager.size(), replayed.size());
        for (int i = 0; i < eager.size(); i++) {
            float[] a = eager.get(i), b = replayed.get(i);
            assertEquals(a.length, b.length, "output " + i);
            for (int j = 0; j < a.length; j++) {
                if (Float.floatToRawIntBits(a[j]) != Float.floatToRawIntBits(b[j])) {
                    throw new AssertionError("output " + i + " differs at " + j + ": eager " + a[j] + ", replayed " + b[j] + " (" + status + ")");
                }
            }
        }
        // 10 steps of two shapes, (3 rows, full) and (2 rows, not full), each recorded before the forward moved the
        // scratch buffers and once more after it
        assertTrue(status.startsWith("on: 4 captured, 10 replayed"), status);
    }
}
