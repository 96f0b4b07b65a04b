package rift.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import rift.kernels.Backend;
import rift.kernels.cpu.CpuBackend;
import rift.kernels.cuda.EmulatedCuda;
import rift.util.Rng;

/**
 * Transformer.forwardNoGrad (log-probs of rollouts, evaluation, probes) gives forward's results bit for bit,
 * on the CPU and on the CUDA backend (where it skips keeping the LM head's logits), and backward refuses it,
 * as it refuses a pass whose activations a later forward overwrote.
 */
class ForwardNoGradTest {
    private static final ModelConfig CONFIG = ModelConfig.of(ModelConfig.Arch.QWEN3, 97, 64, 2, 4, 2, 16, 96, 128, false);

    private static TokenBatch batch() {
        Rng rng = new Rng(5);
        int[][] seqs = new int[3][];
        for (int s = 0; s < seqs.length; s++) {
            seqs[s] = new int[20 + 9 * s];
            for (int i = 0; i < seqs[s].length; i++) seqs[s][i] = rng.nextInt(CONFIG.vocabSize());
        }
        return TokenBatch.of(List.of(seqs));
    }

    private static void sameResults(Backend be) {
        Transformer m = new Transformer(CONFIG, Weights.random(CONFIG, be, 3), be);
        TokenBatch b = batch();
        int[] targets = b.nextTokenTargets();
        Transformer.Pass grad = m.forward(b, targets, true, true, 0.7f);
        float[] logp = grad.logp().clone(), entropy = grad.entropy().clone();
        int[] rank = grad.rank().clone();
        float[] hidden = be.download(grad.hidden(1));
        Transformer.Pass noGrad = m.forwardNoGrad(b, targets, true, true, 0.7f);
        assertArrayEquals(logp, noGrad.logp());
        assertArrayEquals(entropy, noGrad.entropy());
        assertArrayEquals(rank, noGrad.rank());
        assertArrayEquals(hidden, be.download(noGrad.hidden(1)));
        Weights g = Weights.zerosF32(CONFIG, be);
        float[] dLogp = new float[targets.length];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.backward(noGrad, dLogp, null, g));
        assertTrue(e.getMessage().contains("forwardNoGrad"), e.getMessage());
        // the no-grad pass overwrote the activations the earlier pass left, so that one is refused too
        assertThrows(IllegalStateException.class, () -> m.backward(grad, dLogp, null, g));
    }

    @Test
    void cpuNoGradPassEqualsForwardAndCannotBeDifferentiated() {
        sameResults(new CpuBackend());
    }

    @Test
    void emulatedCudaNoGradPassEqualsForwardBitForBit() {
        String why = EmulatedCuda.unavailable();
        Assumptions.assumeTrue(why == null, () -> why);
        for (boolean bf16 : new boolean[] {false, true}) {
            try (var be = EmulatedCuda.backend(bf16)) {
                sameResults(be);
            }
        }
    }
}
