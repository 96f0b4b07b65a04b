package rift.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** grpo.top_entropy_quantile's token selection: torch.quantile's interpolation, the loss mask, the step-wide threshold. */
class EntropyMaskTest {
    @Test
    void quantileInterpolatesLinearlyBetweenOrderStatisticsAsTorchDoes() {
        // torch.quantile(torch.tensor([3., 1., 4., 1., 5.]), q): sorted 1 1 3 4 5
        double[] x = {3, 1, 4, 1, 5};
        assertEquals(1.0, EntropyMask.quantile(x, 0.0), 0.0);
        assertEquals(5.0, EntropyMask.quantile(x, 1.0), 0.0);
        assertEquals(3.0, EntropyMask.quantile(x, 0.5), 0.0);
        assertEquals(3.8, EntropyMask.quantile(x, 0.7), 1e-12);  // position 2.8: 3 + 0.8 (4 - 3)
        assertEquals(1.8, EntropyMask.quantile(x, 0.35), 1e-12); // position 1.4: 1 + 0.4 (3 - 1)
    }

    @Test
    void keepsTheTopFractionOfTheStepsLossTokens() {
        // two completions; completion 1 is out of the loss (a masked truncated one): its entropies do not count
        double[][] entropy = {{0.1, 2.0, 0.5, 1.5, 0.3}, {9.0, 9.0}};
        boolean[][] inLoss = {{true, true, true, true, true}, {false, false}};
        EntropyMask m = EntropyMask.of(entropy, inLoss, 0.4);
        // quantile 0.6 of 0.1 0.3 0.5 1.5 2.0: position 2.4 -> 0.5 + 0.4 (1.5 - 0.5) = 0.9; kept: 2.0 and 1.5
        assertEquals(0.9, m.threshold(), 1e-12);
        assertArrayEquals(new boolean[] {false, true, false, true, false}, m.keep()[0]);
        assertArrayEquals(new boolean[] {false, false}, m.keep()[1]);
        assertEquals(2, m.kept());
        assertEquals(5, m.tokens());
        assertEquals(0.4, m.keptFraction(), 1e-12);
        // top 1.0 keeps every loss token
        EntropyMask all = EntropyMask.of(entropy, inLoss, 1.0);
        assertEquals(5, all.kept());
        assertTrue(all.keep()[0][0]);
    }
}
