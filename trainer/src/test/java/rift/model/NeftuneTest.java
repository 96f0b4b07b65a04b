package rift.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import rift.kernels.cpu.CpuBackend;
import rift.util.Rng;

/** NEFTune's noise: its bound per sequence, its independence from grouping, and that the model adds it to the embeddings. */
class NeftuneTest {
    @Test
    void eachSequenceIsBoundedByAlphaOverTheRootOfItsSize() {
        int hidden = 16;
        float[] z = Neftune.noise(new int[] {4, 25}, hidden, 5.0, j -> Rng.derive(1, j));
        assertEquals((4 + 25) * hidden, z.length);
        double m0 = 5.0 / Math.sqrt(4 * hidden), m1 = 5.0 / Math.sqrt(25 * hidden);
        double max0 = 0, max1 = 0, sum1 = 0;
        for (int i = 0; i < 4 * hidden; i++) max0 = Math.max(max0, Math.abs(z[i]));
        for (int i = 4 * hidden; i < z.length; i++) {
            max1 = Math.max(max1, Math.abs(z[i]));
            sum1 += z[i];
        }
        assertTrue(max0 <= m0 && max0 > 0.8 * m0, max0 + " vs " + m0); // uniform on [-m, m]: the extremes come close
        assertTrue(max1 <= m1 && max1 > 0.9 * m1, max1 + " vs " + m1);
        assertTrue(Math.abs(sum1 / (25 * hidden)) < 0.1 * m1, "mean " + sum1 / (25 * hidden)); // centred
    }

    @Test
    void aSequencesNoiseDoesNotDependOnItsNeighbours() {
        float[] both = Neftune.noise(new int[] {3, 2}, 8, 10.0, j -> Rng.derive(7, 100 + j));
        float[] first = Neftune.noise(new int[] {3}, 8, 10.0, j -> Rng.derive(7, 100));
        float[] second = Neftune.noise(new int[] {2}, 8, 10.0, j -> Rng.derive(7, 101));
        assertArrayEquals(first, Arrays.copyOfRange(both, 0, 24));
        assertArrayEquals(second, Arrays.copyOfRange(both, 24, 40));
        assertNotEquals(first[0], second[0]);
    }

    @Test
    void theModelSeesTheEmbeddingsPlusTheNoise() {
        // a zero noise gives the plain forward's bits; a real one changes the log-probs
        ModelConfig c = ModelConfig.of(ModelConfig.Arch.QWEN3, 23, 16, 1, 4, 2, 8, 24, 64, false);
        CpuBackend be = new CpuBackend();
        Transformer m = new Transformer(c, Weights.random(c, be, 3), be);
        TokenBatch batch = TokenBatch.of(new int[] {1, 5, 9, 3}, new int[] {4, 4, 17});
        int[] targets = batch.nextTokenTargets();
        float[] plain = m.forward(batch, targets, false, false).logp().clone();
        assertArrayEquals(plain, m.forward(batch, targets, false, false, new float[batch.size() * 16]).logp());
        float[] noised = m.forward(batch, targets, false, false, Neftune.noise(new int[] {4, 3}, 16, 15.0, j -> Rng.derive(2, j))).logp();
        assertNotEquals(plain[2], noised[2]);
    }
}
