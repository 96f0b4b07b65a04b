package rift.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rift.grpo.GrpoLossConfig.ScaleRewards;
import rift.grpo.GrpoLossConfig.Weight;

/** Rewards of 2 prompts (3 and 2 completions) to advantages; every number worked by hand below. */
class AdvantagesTest {
    static final double TOL = 1e-12;
    // prompt 1: rewards 1, 0, 0; prompt 2: rewards 1, 0
    static final double[][] R = {{1, 0, 0}, {1, 0}};

    @Test
    void groupScalingUsesBesselStdPlusTrlEpsilon() {
        // g1: mean 1/3, deviations 2/3, -1/3, -1/3; var = (4/9 + 1/9 + 1/9) / (3-1) = 1/3; std = 0.5773502691896257
        //     A = (2/3) / (0.5773502691896257 + 1e-4) = 1.154500573014269, A = (-1/3) / 0.5774502691896257 = -0.5772502865071344
        // g2: mean 1/2, deviations +-1/2; var = (1/4 + 1/4) / (2-1) = 1/2; std = 0.7071067811865476
        //     A = +-0.5 / 0.7072067811865476 = +-0.7070067953266834
        double[][] a = Advantages.compute(R, ScaleRewards.GROUP);
        assertArrayEquals(new double[] {1.154500573014269, -0.5772502865071344, -0.5772502865071344}, a[0], TOL);
        assertArrayEquals(new double[] {0.7070067953266834, -0.7070067953266834}, a[1], TOL);
    }

    @Test
    void batchScalingDividesGroupCentredRewardsByTheBatchStd() {
        // all five rewards 1,0,0,1,0: mean 0.4; squared deviations .36,.16,.16,.36,.16 = 1.2; var = 1.2/4 = 0.3;
        // std_B = sqrt(0.3) = 0.5477225575051661. Centring stays per group:
        // g1: (2/3) / 0.5478225575051661 = 1.2169390572427825, (-1/3) / ... = -0.6084695286213911
        // g2: 0.5 / 0.5478225575051661 = 0.9127042929320867
        double[][] a = Advantages.compute(R, ScaleRewards.BATCH);
        assertArrayEquals(new double[] {1.2169390572427825, -0.6084695286213911, -0.6084695286213911}, a[0], TOL);
        assertArrayEquals(new double[] {0.9127042929320867, -0.9127042929320867}, a[1], TOL);
    }

    @Test
    void noScalingOnlyCentres() {
        // Dr. GRPO: r - mean_g: 1 - 1/3 = 2/3, 0 - 1/3 = -1/3; 1 - 1/2 = 1/2, -1/2
        double[][] a = Advantages.compute(R, ScaleRewards.NONE);
        assertArrayEquals(new double[] {2.0 / 3, -1.0 / 3, -1.0 / 3}, a[0], TOL);
        assertArrayEquals(new double[] {0.5, -0.5}, a[1], TOL);
    }

    @Test
    void groupOfOneAndZeroStdGroupsGetZero() {
        for (ScaleRewards mode : ScaleRewards.values()) {
            double[][] a = Advantages.compute(new double[][] {{5.0}, {1, 1, 1}, {-1, -1}}, mode);
            assertArrayEquals(new double[] {0.0}, a[0], 0.0, mode.key());
            // (1 - 1) / (0 + 1e-4) = 0 exactly
            assertArrayEquals(new double[] {0, 0, 0}, a[1], 0.0, mode.key());
            assertArrayEquals(new double[] {0, 0}, a[2], 0.0, mode.key());
        }
    }

    @Test
    void signedRewardsScaleLikeShiftedOnes() {
        // +1/-1 rewards are 2 * (1/0 rewards) - 1: centring removes the shift, std doubles, so A is the same
        // up to the epsilon: (4/3) / (2 * 0.5773502691896257 + 1e-4) = 1.3333333 / 1.1548005383792515 = 1.1546005470387557
        double[][] a = Advantages.compute(new double[][] {{1, -1, -1}}, ScaleRewards.GROUP);
        assertEquals((4.0 / 3) / (2 * 0.5773502691896257 + 1e-4), a[0][0], TOL);
        assertEquals(1.154500573014269, a[0][0], 1e-4);
    }

    @Test
    void paperWeights() {
        boolean[][] correct = {{true, false, false}, {true, false}};
        // one: SFT on every sample
        double[][] one = Advantages.weights(Weight.ONE, R, correct, ScaleRewards.GROUP);
        assertArrayEquals(new double[] {1, 1, 1}, one[0], 0.0);
        assertArrayEquals(new double[] {1, 1}, one[1], 0.0);
        // reject: only verified completions, from the verifier's flag (not from the reward value)
        double[][] reject = Advantages.weights(Weight.REJECT, new double[][] {{0.3, 0.3, 0.3}, {7, 7}}, correct, ScaleRewards.GROUP);
        assertArrayEquals(new double[] {1, 0, 0}, reject[0], 0.0);
        assertArrayEquals(new double[] {1, 0}, reject[1], 0.0);
        // advantage: the group advantages
        double[][] adv = Advantages.weights(Weight.ADVANTAGE, R, correct, ScaleRewards.GROUP);
        assertArrayEquals(Advantages.compute(R, ScaleRewards.GROUP)[0], adv[0], 0.0);
    }

    @Test
    void zeroStdFractionAndHelpers() {
        // groups {1,0,0} and {1,0} have signal, {1,1} and {4} do not: 2 of 4
        assertEquals(0.5, Advantages.zeroStdFraction(new double[][] {{1, 0, 0}, {1, 1}, {1, 0}, {4}}), 0.0);
        assertEquals(0.0, Advantages.zeroStdFraction(new double[0][]), 0.0);
        assertTrue(Advantages.zeroStd(new double[] {2, 2}));
        assertEquals(Math.sqrt(0.5), Advantages.stdBessel(new double[] {1, 0}), TOL);
    }

    @Test
    void nonFiniteRewardIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Advantages.compute(new double[][] {{1, Double.NaN}}, ScaleRewards.GROUP));
        assertTrue(e.getMessage().contains("completion 1 in group 0"), e.getMessage());
    }
}
