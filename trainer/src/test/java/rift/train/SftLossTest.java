package rift.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import rift.recipe.SftConfig.LossType;

/** The SFT per-token losses by hand: nll, and DFT's probability-weighted nll with the weight held constant. */
class SftLossTest {
    private static final float[] LOGP = {-0.5f, -2.0f, -0.1f, -3.0f};
    private static final int[] TARGETS = {7, -1, 3, 9}; // position 1 is not trained

    @Test
    void nllIsTheTokenMeanCrossEntropy() {
        SftLoss l = SftLoss.of(LossType.NLL, LOGP, TARGETS, 6); // the step has 6 target tokens in all
        assertEquals(0.5 + 0.1 + 3.0, l.lossSum(), 1e-6);
        assertEquals(l.lossSum(), l.nllSum(), 0.0);
        assertArrayEquals(new float[] {-1f / 6, 0f, -1f / 6, -1f / 6}, l.dLogp(), 0f);
    }

    @Test
    void dftWeightsEachTokensNllByItsProbabilityAndDoesNotDifferentiateTheWeight() {
        SftLoss l = SftLoss.of(LossType.DFT, LOGP, TARGETS, 6);
        double p0 = Math.exp(-0.5), p2 = Math.exp(-0.1f), p3 = Math.exp(-3.0);
        assertEquals(p0 * 0.5 + p2 * 0.1f + p3 * 3.0, l.lossSum(), 1e-6);
        assertEquals(0.5 + 0.1 + 3.0, l.nllSum(), 1e-6);
        // -sg(p) log p: the gradient is -p / N, not the -(p log p + p) / N of differentiating p too
        assertArrayEquals(new float[] {(float) (-p0 / 6), 0f, (float) (-p2 / 6), (float) (-p3 / 6)}, l.dLogp(), 1e-7f);
    }
}
