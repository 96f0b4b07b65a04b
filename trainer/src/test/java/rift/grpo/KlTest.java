package rift.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import rift.grpo.GrpoLossConfig.KlEstimator;

/** Values and log-prob gradients of k1/k2/k3 at hand-picked log-ratios d = logp - ref. */
class KlTest {
    static final double TOL = 1e-12;

    @Test
    void valuesByHand() {
        // d = 0.5 (logp -1.0, ref -1.5)
        assertEquals(0.5, Kl.value(KlEstimator.K1, -1.0, -1.5), TOL);
        assertEquals(0.125, Kl.value(KlEstimator.K2, -1.0, -1.5), TOL);              // 0.5 * 0.25
        assertEquals(0.10653065971263342, Kl.value(KlEstimator.K3, -1.0, -1.5), TOL); // e^-0.5 - 1 + 0.5 = 0.6065306597 - 0.5
        // d = -1 (logp -2, ref -1)
        assertEquals(-1.0, Kl.value(KlEstimator.K1, -2.0, -1.0), TOL);
        assertEquals(0.5, Kl.value(KlEstimator.K2, -2.0, -1.0), TOL);
        assertEquals(0.7182818284590451, Kl.value(KlEstimator.K3, -2.0, -1.0), TOL); // e^1 - 1 - 1 = e - 2
        // d = 0: all zero
        for (KlEstimator e : KlEstimator.values()) assertEquals(0.0, Kl.value(e, -3.0, -3.0), 0.0);
    }

    @Test
    void gradientsByHand() {
        // d = 0.5: k1' = 1, k2' = d = 0.5, k3' = 1 - e^-d = 1 - 0.6065306597 = 0.3934693402873666
        assertEquals(1.0, Kl.grad(KlEstimator.K1, -1.0, -1.5), 0.0);
        assertEquals(0.5, Kl.grad(KlEstimator.K2, -1.0, -1.5), TOL);
        assertEquals(0.3934693402873666, Kl.grad(KlEstimator.K3, -1.0, -1.5), TOL);
        // d = -2: k3 = e^2 - 2 - 1 = 4.38905609893065 (< 10, not clamped), k3' = 1 - e^2 = -6.38905609893065
        assertEquals(4.38905609893065, Kl.value(KlEstimator.K3, -3.0, -1.0), TOL);
        assertEquals(-6.38905609893065, Kl.grad(KlEstimator.K3, -3.0, -1.0), TOL);
    }

    @Test
    void k3ClampsLikeVerl() {
        // d = -3: e^3 - 3 - 1 = 16.0855 > 10 -> value 10, gradient 0
        assertEquals(10.0, Kl.value(KlEstimator.K3, -4.0, -1.0), 0.0);
        assertEquals(0.0, Kl.grad(KlEstimator.K3, -4.0, -1.0), 0.0);
        // d = 30: -d clamped to -20, e^-20 + 20 - 1 = 19.000000002 > 10 -> 10, gradient 0
        assertEquals(10.0, Kl.value(KlEstimator.K3, 0.0, -30.0), 0.0);
        assertEquals(0.0, Kl.grad(KlEstimator.K3, 0.0, -30.0), 0.0);
        // d = -25: e^20 is huge but finite after the clamp -> 10
        assertEquals(10.0, Kl.value(KlEstimator.K3, -26.0, -1.0), 0.0);
        // d = 10.5: e^-10.5 + 10.5 - 1 = 9.5000275 < 10 -> not clamped, gradient 1 - e^-10.5
        assertEquals(Math.exp(-10.5) + 9.5, Kl.value(KlEstimator.K3, 0.0, -10.5), TOL);
        assertEquals(1 - Math.exp(-10.5), Kl.grad(KlEstimator.K3, 0.0, -10.5), TOL);
        // k1 / k2 are not clamped (verl kl_penalty_forward)
        assertEquals(-25.0, Kl.value(KlEstimator.K1, -26.0, -1.0), 0.0);
        assertEquals(312.5, Kl.value(KlEstimator.K2, -26.0, -1.0), 0.0);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        double h = 1e-6;
        double[] ds = {-2.5, -1.0, -0.3, 0.0, 0.2, 1.7, 6.0};
        for (KlEstimator e : new KlEstimator[] {KlEstimator.K1, KlEstimator.K2, KlEstimator.K3, KlEstimator.ABS}) {
            for (double d : ds) {
                double ref = -1.25, logp = ref + d;
                double fd = (Kl.value(e, logp + h, ref) - Kl.value(e, logp - h, ref)) / (2 * h);
                double an = Kl.grad(e, logp, ref);
                assertEquals(fd, an, 1e-7 * Math.max(1, Math.abs(an)), e + " at d = " + d);
            }
        }
    }

    @Test
    void absByHand() {
        assertEquals(0.5, Kl.value(KlEstimator.ABS, -1.0, -1.5), TOL);
        assertEquals(1.0, Kl.value(KlEstimator.ABS, -2.0, -1.0), TOL);
        assertEquals(1.0, Kl.grad(KlEstimator.ABS, -1.0, -1.5), 0.0);
        assertEquals(-1.0, Kl.grad(KlEstimator.ABS, -2.0, -1.0), 0.0);
        assertEquals(0.0, Kl.grad(KlEstimator.ABS, -3.0, -3.0), 0.0); // torch: d|x|/dx = 0 at 0
    }

    @Test
    void plusEstimatorsReportK1OrK3AndTakeK2sGradient() {
        // verl's straight-through: value of k1 / k3 (with k3's clamps), gradient d of k2
        double[] ds = {-4.0, -1.0, -0.3, 0.0, 0.2, 1.7, 12.0};
        for (double d : ds) {
            double ref = -1.25, logp = ref + d;
            assertEquals(Kl.value(KlEstimator.K1, logp, ref), Kl.value(KlEstimator.K1_PLUS, logp, ref), 0.0);
            assertEquals(Kl.value(KlEstimator.K3, logp, ref), Kl.value(KlEstimator.K3_PLUS, logp, ref), 0.0);
            assertEquals(Kl.grad(KlEstimator.K2, logp, ref), Kl.grad(KlEstimator.K1_PLUS, logp, ref), 0.0);
            assertEquals(Kl.grad(KlEstimator.K2, logp, ref), Kl.grad(KlEstimator.K3_PLUS, logp, ref), 0.0);
        }
        // d = -4: k3 is clamped at 10 (gradient 0), k3+ still pulls with k2's gradient -4
        assertEquals(10.0, Kl.value(KlEstimator.K3_PLUS, -5.0, -1.0), 0.0);
        assertEquals(-4.0, Kl.grad(KlEstimator.K3_PLUS, -5.0, -1.0), TOL);
    }

    @Test
    void klInRewardSubtractsTheSequenceSumOfTheRolloutPolicysKl() {
        // completion 0: tokens 0..2, old = -1, -2, -0.5, ref = -1.5, -1.0, -0.5: k1 = 0.5 - 1.0 + 0 = -0.5
        // completion 1: tokens 3..4, old = -0.2, -0.4, ref = -0.3, -0.6:        k1 = 0.1 + 0.2 = 0.3
        double[] old = {-1, -2, -0.5, -0.2, -0.4}, ref = {-1.5, -1.0, -0.5, -0.3, -0.6};
        double p0 = KlInReward.sequencePenalty(KlEstimator.K1, old, ref, 0, 3);
        double p1 = KlInReward.sequencePenalty(KlEstimator.K1, old, ref, 3, 5);
        assertEquals(-0.5, p0, TOL);
        assertEquals(0.3, p1, TOL);
        // beta 0.1, scores 1 and 0: 1 - 0.1 * (-0.5) = 1.05, 0 - 0.1 * 0.3 = -0.03
        double[] penalised = KlInReward.penalise(new double[] {1, 0}, new double[] {p0, p1}, 0.1);
        assertArrayEquals(new double[] {1.05, -0.03}, penalised, TOL);
        // then advantages as usual (scale none): mean 0.51 -> +0.54, -0.54
        assertArrayEquals(new double[] {0.54, -0.54},
                Advantages.compute(new double[][] {penalised}, GrpoLossConfig.ScaleRewards.NONE)[0], TOL);
        // with k2: 0.125 + 0.5 + 0 = 0.625
        assertEquals(0.625, KlInReward.sequencePenalty(KlEstimator.K2, old, ref, 0, 3), TOL);
    }
}
