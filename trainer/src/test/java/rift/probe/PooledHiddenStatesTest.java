package rift.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;
import rift.model.ModelConfig;
import rift.model.TokenBatch;
import rift.model.Transformer;
import rift.model.Weights;

/**
 * PCA features against plain references: each text run alone through the model (no padding, positions
 * from 0), averaged by hand, with the pad state added (T − n) times when pads are pooled; the pad state
 * itself against a model whose attention output projection is zero (where the FA2 pad semantics, "zero
 * attention output", is what any token gets).
 */
class PooledHiddenStatesTest {
    static final ModelConfig C = ProbeFixtures.config();
    static final int PAD = 0;
    static final List<int[]> TEXTS = List.of(new int[] {5, 9, 13, 40, 41}, new int[] {7, 8}, new int[] {100, 3, 250, 17, 60, 61, 62},
            new int[] {33});

    /** hidden_states[0..L] of one text run alone: rows [t][j] per layer. */
    static float[][][] alone(Transformer m, int[] text) {
        int[] targets = new int[text.length];
        Arrays.fill(targets, -1);
        Transformer.Pass p = m.forward(TokenBatch.of(text), targets, false, false);
        int layers = m.config.numLayers() + 1, h = m.config.hiddenSize();
        float[][][] out = new float[layers][text.length][h];
        for (int l = 0; l < layers; l++) {
            float[] flat = l < m.config.numLayers() ? m.backend().download(p.hidden(l)) : m.finalNormed(p);
            for (int t = 0; t < text.length; t++) out[l][t] = Arrays.copyOfRange(flat, t * h, (t + 1) * h);
        }
        return out;
    }

    static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int j = 0; j < want.length; j++) {
            assertEquals(want[j], got[j], tol * (1 + Math.abs(want[j])), what + " unit " + j);
        }
    }

    @Test
    void maskedPoolingIsTheMeanOverEachTextsOwnTokens() {
        Transformer m = ProbeFixtures.model(C, 5);
        double[][][] f = PooledHiddenStates.extract(m, TEXTS, PAD, true, 4096, "test");
        assertEquals(C.numLayers() + 1, f.length);
        for (int k = 0; k < TEXTS.size(); k++) {
            float[][][] ref = alone(m, TEXTS.get(k));
            for (int l = 0; l < f.length; l++) {
                double[] mean = new double[C.hiddenSize()];
                for (float[] row : ref[l]) for (int j = 0; j < mean.length; j++) mean[j] += row[j];
                for (int j = 0; j < mean.length; j++) mean[j] /= ref[l].length;
                // the batched run puts real tokens at their (left-padded) column as RoPE position: relative, so
                // only rounding differs
                assertClose(mean, f[l][k], 1e-4, "text " + k + " layer " + l);
            }
        }
    }

    @Test
    void unmaskedPoolingAddsThePadStateForEveryPadPosition() {
        Transformer m = ProbeFixtures.model(C, 5);
        double[][][] f = PooledHiddenStates.extract(m, TEXTS, PAD, false, 4096, "test");
        float[][] pad = PooledHiddenStates.padStates(m, PAD);
        int width = TEXTS.stream().mapToInt(t -> t.length).max().orElseThrow();
        for (int k = 0; k < TEXTS.size(); k++) {
            float[][][] ref = alone(m, TEXTS.get(k));
            int pads = width - TEXTS.get(k).length;
            for (int l = 0; l < f.length; l++) {
                double[] mean = new double[C.hiddenSize()];
                for (float[] row : ref[l]) for (int j = 0; j < mean.length; j++) mean[j] += row[j];
                for (int j = 0; j < mean.length; j++) mean[j] = (mean[j] + pads * (double) pad[l][j]) / width;
                assertClose(mean, f[l][k], 1e-4, "text " + k + " layer " + l);
            }
        }
        // the longest text has no pad: both poolings agree on it
        double[][][] masked = PooledHiddenStates.extract(m, TEXTS, PAD, true, 4096, "test");
        for (int l = 0; l < f.length; l++) assertArrayEquals(masked[l][2], f[l][2], 0, "layer " + l);
    }

    @Test
    void featuresDoNotDependOnHowManyTextsShareAForward() {
        Transformer m = ProbeFixtures.model(C, 5);
        double[][][] together = PooledHiddenStates.extract(m, TEXTS, PAD, false, 4096, "test");
        double[][][] oneByOne = PooledHiddenStates.extract(m, TEXTS, PAD, false, 1, "test");
        for (int l = 0; l < together.length; l++) {
            for (int k = 0; k < TEXTS.size(); k++) assertClose(together[l][k], oneByOne[l][k], 1e-6, "text " + k + " layer " + l);
        }
    }

    @Test
    void padStateIsTheTokenWithZeroAttentionOutput() {
        Transformer m = ProbeFixtures.model(C, 5);
        // with every o_proj zero, a token alone gets exactly zero attention output: the FA2 pad semantics
        Weights w = m.weights;
        for (Weights.Layer layer : w.layers) ProbeFixtures.scale(layer.o(), 0f);
        float[][][] ref = alone(m, new int[] {PAD});
        float[][] pad = PooledHiddenStates.padStates(m, PAD);
        for (int l = 0; l <= C.numLayers(); l++) assertArrayEquals(ref[l][0], pad[l], "layer " + l);

        // with attention on, a lone token attends to itself, which a flash-attention-2 pad does not
        Transformer live = ProbeFixtures.model(C, 5);
        float[][][] self = alone(live, new int[] {PAD});
        float[][] livePad = PooledHiddenStates.padStates(live, PAD);
        assertArrayEquals(self[0][0], livePad[0], "the embedding is the same");
        assertFalse(Arrays.equals(self[1][0], livePad[1]), "after a layer the two differ");
    }

    @Test
    void emptyTextsAndBadPadIdsAreRejected() {
        Transformer m = ProbeFixtures.model(C, 5);
        RiftException e = assertThrows(RiftException.class,
                () -> PooledHiddenStates.extract(m, List.of(new int[] {4}, new int[0]), PAD, false, 4096, "bench X"));
        assertEquals(true, e.getMessage().startsWith("bench X: text 1 has no tokens"), e.getMessage());
        e = assertThrows(RiftException.class, () -> PooledHiddenStates.extract(m, TEXTS, C.vocabSize(), false, 4096, "bench X"));
        assertEquals(true, e.getMessage().contains("pad token id"), e.getMessage());
    }
}
