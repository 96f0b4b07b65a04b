package rift.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rift.grpo.GrpoLossConfig.KlEstimator;
import rift.grpo.GrpoLossConfig.KlIn;
import rift.grpo.GrpoLossConfig.LossAgg;
import rift.grpo.GrpoLossConfig.ScaleRewards;

/**
 * GrpoLoss against hand-computed values. The standard batch (eps_low 0.2, eps_high 0.28, band [0.8, 1.28]):
 * <pre>
 *   completion 0: A = +1.0, ratios 1.0, 1.1, 1.5   pg = -1, -1.1, max(-1.5, -1.28) = -1.28 (clipped high)
 *                                                    d pg / d logp = -A rho = -1, -1.1, 0
 *   completion 1: A = -0.5, ratios 0.5, 1.0        pg = max(0.25, 0.4) = 0.4 (clipped low), 0.5
 *                                                    d pg / d logp = 0, -A rho = 0.5
 * </pre>
 * Sum of pg = -1 - 1.1 - 1.28 + 0.4 + 0.5 = -2.48; 5 tokens, 2 completions.
 */
class GrpoLossTest {
    static final double TOL = 1e-12;

    static GrpoLossConfig.Builder cfg() {
        return GrpoLossConfig.builder(16).epsilonLow(0.2).epsilonHigh(0.28);
    }

    /** Builds a micro-batch; logp = old + ln(ratio). */
    static SequenceBatch batch(int[] lengths, double[] old, double[] ratios, double[] adv, double[] ref, double[] entropy, boolean[] mask) {
        int[] start = new int[lengths.length + 1];
        for (int i = 0; i < lengths.length; i++) start[i + 1] = start[i] + lengths[i];
        double[] logp = new double[old.length];
        for (int t = 0; t < old.length; t++) logp[t] = old[t] + Math.log(ratios[t]);
        if (mask == null) {
            mask = new boolean[old.length];
            java.util.Arrays.fill(mask, true);
        }
        return new SequenceBatch(start, logp, old, ref, entropy, mask, adv);
    }

    static final int[] LEN = {3, 2};
    static final double[] OLD = {-1.0, -2.0, -0.5, -1.5, -0.7};
    static final double[] RATIO = {1.0, 1.1, 1.5, 0.5, 1.0};
    static final double[] ADV = {1.0, -0.5};

    static LossResult standard(GrpoLossConfig c) {
        SequenceBatch b = batch(LEN, OLD, RATIO, ADV, null, null, null);
        return new GrpoLoss(c).compute(b, Normaliser.forStep(c, new int[] {3, 2}));
    }

    @Test
    void tokenMean() {
        // loss = -2.48 / 5 = -0.496; d/dlogp = [-1, -1.1, 0, 0, 0.5] / 5
        LossResult r = standard(cfg().build());
        assertEquals(-0.496, r.loss(), TOL);
        assertArrayEquals(new double[] {-0.2, -0.22, 0, 0, 0.1}, r.dLogp(), TOL);
        assertNull(r.dEntropy());
        // clip metrics: one token clipped high (c0 t2), one low (c1 t0), of 5
        assertEquals(0.2, r.stats().clipHighFraction(), 0.0);
        assertEquals(0.2, r.stats().clipLowFraction(), 0.0);
        assertEquals(0.4, r.stats().clipFraction(), 0.0);
        assertEquals(0.0, r.stats().clipDualFraction(), 0.0);
        // approx KL (rho - 1 - ln rho): 0 + (0.1 - ln 1.1) + (0.5 - ln 1.5) + (-0.5 - ln 0.5) + 0
        //   = 0.0046898202 + 0.0945348919 + 0.1931471806 = 0.2923718927, / 5 = 0.0584743785294912
        assertEquals(0.0584743785294912, r.stats().approxKl(), 1e-12);
        assertEquals(1.0, r.stats().tokenFraction(), 0.0);
        assertTrue(Double.isNaN(r.stats().refKl()));
    }

    @Test
    void seqMeanTokenMean() {
        // completion means: -3.38 / 3 = -1.1266667, 0.9 / 2 = 0.45; loss = (-1.1266667 + 0.45) / 2 = -0.3383333
        // weights: 1 / (3 * 2) = 1/6 on completion 0, 1 / (2 * 2) = 1/4 on completion 1
        LossResult r = standard(cfg().lossAgg(LossAgg.SEQ_MEAN_TOKEN_MEAN).build());
        assertEquals((-3.38 / 3 + 0.45) / 2, r.loss(), TOL);
        assertArrayEquals(new double[] {-1.0 / 6, -1.1 / 6, 0, 0, 0.5 / 4}, r.dLogp(), TOL);
    }

    @Test
    void seqMeanTokenSumNormWithConstant() {
        // Dr. GRPO, C = 4: weight 1 / (4 * 2) = 1/8; loss = -2.48 / 8 = -0.31; d/dlogp = [-1, -1.1, 0, 0, 0.5] / 8
        LossResult r = standard(cfg().lossAgg(LossAgg.SEQ_MEAN_TOKEN_SUM_NORM).lossAggConstant(4.0).build());
        assertEquals(-0.31, r.loss(), TOL);
        assertArrayEquals(new double[] {-0.125, -0.1375, 0, 0, 0.0625}, r.dLogp(), TOL);
        // C = 10: -2.48 / 20 = -0.124
        assertEquals(-0.124, standard(cfg().lossAgg(LossAgg.SEQ_MEAN_TOKEN_SUM_NORM).lossAggConstant(10.0).build()).loss(), TOL);
    }

    @Test
    void drGrpoConstantDefaultsToMaxNewTokens() {
        // no constant given, max_new_tokens = 4 -> C = 4 -> same -0.31 as above
        GrpoLossConfig c = GrpoLossConfig.builder(4).epsilonLow(0.2).epsilonHigh(0.28).lossAgg(LossAgg.SEQ_MEAN_TOKEN_SUM_NORM).build();
        assertEquals(4.0, c.lossAggConstant(), 0.0);
        assertEquals(-0.31, standard(c).loss(), TOL);
    }

    @Test
    void clipBandSidesAndTheirGradients() {
        // one token per completion, token-mean over 4 tokens (weight 1/4):
        //   A=+1, rho=1.5 : clipped high -> pg = -1.28, grad 0
        //   A=+1, rho=0.5 : below band, but the unclipped branch wins: max(-0.5, -0.8) = -0.5, grad -A rho = -0.5
        //   A=-1, rho=0.5 : clipped low  -> pg = max(0.5, 0.8) = 0.8, grad 0
        //   A=-1, rho=1.5 : above band, unclipped wins: max(1.5, 1.28) = 1.5, grad -A rho = 1.5
        SequenceBatch b = batch(new int[] {1, 1, 1, 1}, new double[] {-1, -1, -1, -1}, new double[] {1.5, 0.5, 0.5, 1.5},
                new double[] {1, 1, -1, -1}, null, null, null);
        GrpoLossConfig c = cfg().build();
        LossResult r = new GrpoLoss(c).compute(b, Normaliser.forStep(c, new int[] {1, 1, 1, 1}));
        assertEquals((-1.28 - 0.5 + 0.8 + 1.5) / 4, r.loss(), TOL);
        assertArrayEquals(new double[] {0, -0.5 / 4, 0, 1.5 / 4}, r.dLogp(), TOL);
        assertEquals(1, r.stats().clipHigh());
        assertEquals(1, r.stats().clipLow());
        // exactly on a band edge the clamp passes the gradient (torch clamp backward is inclusive). rho - 1 and
        // 1 - rho are exact for rho in [0.5, 2] (Sterbenz), so the edge 1 + (rho - 1) is rho itself.
        double up = Math.exp(0.1), down = Math.exp(-0.1);
        GrpoLoss.Surrogate hi = GrpoLoss.surrogate(0.1, 0.0, 1.0, 0.2, up - 1, null);
        assertEquals(up, 1 + (up - 1), 0.0);
        assertEquals(-up, hi.grad(), 0.0);
        assertTrue(!hi.clipHigh());
        GrpoLoss.Surrogate lo = GrpoLoss.surrogate(-0.1, 0.0, -1.0, 1 - down, 0.28, null);
        assertEquals(down, lo.grad(), 0.0);
        assertTrue(!lo.clipLow());
    }

    @Test
    void dualClipCapsNegativeAdvantageTokens() {
        // A = -1, c = 3, ratios 4, 2, 0.9; token-mean over 3:
        //   rho=4  : max(4, 1.28) = 4, min(3, 4) = 3 -> dual clipped, grad 0
        //   rho=2  : max(2, 1.28) = 2, min(3, 2) = 2 -> grad -A rho = 2
        //   rho=0.9: in band -> 0.9, grad 0.9
        SequenceBatch b = batch(new int[] {3}, new double[] {-1, -1, -1}, new double[] {4, 2, 0.9}, new double[] {-1}, null, null, null);
        GrpoLossConfig dual = cfg().clipRatioC(3.0).build();
        LossResult r = new GrpoLoss(dual).compute(b, Normaliser.forStep(dual, new int[] {3}));
        assertEquals((3 + 2 + 0.9) / 3, r.loss(), TOL);
        assertArrayEquals(new double[] {0, 2.0 / 3, 0.3}, r.dLogp(), TOL);
        assertEquals(1, r.stats().clipDual());
        // without the dual clip: (4 + 2 + 0.9) / 3 = 2.3, grads 4/3, 2/3, 0.3
        GrpoLossConfig plain = cfg().build();
        LossResult p = new GrpoLoss(plain).compute(b, Normaliser.forStep(plain, new int[] {3}));
        assertEquals(2.3, p.loss(), TOL);
        assertArrayEquals(new double[] {4.0 / 3, 2.0 / 3, 0.3}, p.dLogp(), TOL);
        // the dual clip never touches positive advantages: A=+1, rho=4 -> -1.28, grad 0, not counted as dual
        GrpoLoss.Surrogate pos = GrpoLoss.surrogate(Math.log(4), 0.0, 1.0, 0.2, 0.28, 3.0);
        assertEquals(-1.28, pos.value(), TOL);
        assertEquals(0.0, pos.grad(), 0.0);
        assertTrue(!pos.clipDual() && pos.clipHigh());
    }

    @Test
    void logRatioClampStopsTheGradient() {
        // logp - old = 25 > 20: rho = e^20, no gradient through the clamp (A < 0 so pg1 wins)
        GrpoLoss.Surrogate s = GrpoLoss.surrogate(0.0, -25.0, -1.0, 0.2, 0.28, null);
        assertEquals(Math.exp(20), s.value(), 1e-3);
        assertEquals(0.0, s.grad(), 0.0);
    }

    @Test
    void klInTheLossEachEstimator() {
        // A = 0 so only the KL term is left; beta 0.1, token-mean over 2 tokens, d = logp - ref = 0.5, -1.0
        // k3: values 0.1065306597, 0.7182818285 -> loss = 0.1 * (0.1065306597 + 0.7182818285) / 2 = 0.04124062440858394
        //     grads 0.1 * (1 - e^-0.5) / 2 = 0.01967346701436833, 0.1 * (1 - e) / 2 = -0.08591409142295225
        // k2: values 0.125, 0.5 -> loss 0.1 * 0.625 / 2 = 0.03125; grads 0.1 * 0.5 / 2 = 0.025, 0.1 * -1 / 2 = -0.05
        double[] old = {-1.0, -2.0}, ref = {-1.5, -1.0};
        SequenceBatch b = batch(new int[] {2}, old, new double[] {1, 1}, new double[] {0}, ref, null, null);
        GrpoLossConfig k3 = cfg().beta(0.1).klEstimator(KlEstimator.K3).build();
        LossResult r3 = new GrpoLoss(k3).compute(b, Normaliser.forStep(k3, new int[] {2}));
        assertEquals(0.04124062440858394, r3.loss(), TOL);
        assertEquals(0.04124062440858394, r3.stats().klLoss(), TOL);
        assertArrayEquals(new double[] {0.01967346701436833, -0.08591409142295225}, r3.dLogp(), TOL);
        assertEquals((0.10653065971263342 + 0.7182818284590451) / 2, r3.stats().refKl(), TOL);

        GrpoLossConfig k2 = cfg().beta(0.1).klEstimator(KlEstimator.K2).build();
        LossResult r2 = new GrpoLoss(k2).compute(b, Normaliser.forStep(k2, new int[] {2}));
        assertEquals(0.03125, r2.loss(), TOL);
        assertArrayEquals(new double[] {0.025, -0.05}, r2.dLogp(), TOL);

        // kl_in: reward: nothing in the loss (it went into the rewards), the metric is still reported
        GrpoLossConfig inReward = cfg().beta(0.1).klEstimator(KlEstimator.K1).klIn(KlIn.REWARD).build();
        LossResult rr = new GrpoLoss(inReward).compute(b, Normaliser.forStep(inReward, new int[] {2}));
        assertEquals(0.0, rr.loss(), 0.0);
        assertArrayEquals(new double[] {0, 0}, rr.dLogp(), 0.0);
        assertEquals((0.5 - 1.0) / 2, rr.stats().refKl(), TOL);

        // beta > 0 with kl_in: loss and no reference is a wiring error
        SequenceBatch noRef = batch(new int[] {2}, old, new double[] {1, 1}, new double[] {0}, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> new GrpoLoss(k3).compute(noRef, Normaliser.forStep(k3, new int[] {2})));
    }

    @Test
    void entropyBonus() {
        // A = 0, entropy 2.0, 1.0, 0.5, coef 0.01, token-mean over 3:
        //   loss = -0.01 * (2 + 1 + 0.5) / 3 = -0.011666...; d loss / d entropy = -0.01 / 3 per token
        SequenceBatch b = batch(new int[] {3}, new double[] {-1, -1, -1}, new double[] {1, 1, 1}, new double[] {0}, null,
                new double[] {2.0, 1.0, 0.5}, null);
        GrpoLossConfig c = cfg().entropyCoef(0.01).build();
        LossResult r = new GrpoLoss(c).compute(b, Normaliser.forStep(c, new int[] {3}));
        assertEquals(-0.035 / 3, r.loss(), TOL);
        assertEquals(-0.035 / 3, r.stats().entropyLoss(), TOL);
        assertArrayEquals(new double[] {-0.01 / 3, -0.01 / 3, -0.01 / 3}, r.dEntropy(), TOL);
        assertArrayEquals(new double[] {0, 0, 0}, r.dLogp(), 0.0);
        assertEquals(3.5 / 3, r.stats().entropyMean(), TOL);
        // seq-mean-token-sum-norm, C = 5, one completion: weight 1/5 -> d/dH = -0.01/5
        GrpoLossConfig dr = cfg().entropyCoef(0.01).lossAgg(LossAgg.SEQ_MEAN_TOKEN_SUM_NORM).lossAggConstant(5.0).build();
        LossResult rd = new GrpoLoss(dr).compute(b, Normaliser.forStep(dr, new int[] {3}));
        assertArrayEquals(new double[] {-0.002, -0.002, -0.002}, rd.dEntropy(), TOL);
    }

    @Test
    void maskTruncatedCompletions() {
        // completion 0: A = +1, 2 tokens, truncated; completion 1: A = -1, 3 tokens; all ratios 1 so pg = -A
        int[] lengths = {2, 3};
        boolean[] truncated = {true, false};
        int[] start = {0, 2, 5};
        double[] old = {-1, -1, -1, -1, -1};
        // masked: tokens of completion 0 drop out; T = 3; loss = (1 + 1 + 1) / 3 = 1; grads 0, 0, 1/3, 1/3, 1/3
        GrpoLossConfig on = cfg().maskTruncatedCompletions(true).build();
        boolean[] mask = SequenceBatch.lossMask(start, truncated, true);
        assertArrayEquals(new boolean[] {false, false, true, true, true}, mask);
        SequenceBatch b = new SequenceBatch(start, old.clone(), old, null, null, mask, new double[] {1, -1});
        LossResult r = new GrpoLoss(on).compute(b, Normaliser.forStep(on, lengths, truncated));
        assertEquals(1.0, r.loss(), TOL);
        assertArrayEquals(new double[] {0, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3}, r.dLogp(), TOL);
        assertEquals(0.6, r.stats().tokenFraction(), TOL);
        // off: T = 5; loss = (-1 - 1 + 1 + 1 + 1) / 5 = 0.2; grads -0.2, -0.2, 0.2, 0.2, 0.2
        GrpoLossConfig off = cfg().build();
        SequenceBatch all = new SequenceBatch(start, old.clone(), old, null, null, SequenceBatch.lossMask(start, truncated, false),
                new double[] {1, -1});
        LossResult o = new GrpoLoss(off).compute(all, Normaliser.forStep(off, lengths, truncated));
        assertEquals(0.2, o.loss(), TOL);
        assertArrayEquals(new double[] {-0.2, -0.2, 0.2, 0.2, 0.2}, o.dLogp(), TOL);
        // seq-mean-token-mean with the mask: the masked completion still counts in S = 2 (verl global_batch_size):
        // loss = (0 + 3/3) / 2 = 0.5
        GrpoLossConfig seq = cfg().maskTruncatedCompletions(true).lossAgg(LossAgg.SEQ_MEAN_TOKEN_MEAN).build();
        assertEquals(0.5, new GrpoLoss(seq).compute(b, Normaliser.forStep(seq, lengths, truncated)).loss(), TOL);
    }

    @Test
    void rejectAndOneWeightsGiveTheSftGradientAtRatioOne() {
        // group rewards 1, 0, 0 (completion 0 verified); 2 tokens each; ratio 1 (mu = 1), token-mean over 6 tokens
        boolean[][] correct = {{true, false, false}};
        double[][] rewards = {{1, 0, 0}};
        double[] old = {-1, -2, -0.5, -0.3, -1.1, -0.9};
        int[] lengths = {2, 2, 2};
        GrpoLossConfig c = cfg().weight(GrpoLossConfig.Weight.REJECT).build();
        // reject: w = 1, 0, 0 -> d/dlogp = -w / 6: -1/6 on completion 0's tokens, 0 elsewhere. This is the gradient of
        // rejection-sampled SFT: -(1/6) sum over kept tokens of logp. The loss value is sum -w/6 = -2/6.
        double[] w = Advantages.weights(c.weight(), rewards, correct, ScaleRewards.GROUP)[0];
        LossResult r = new GrpoLoss(c).compute(batch(lengths, old, new double[] {1, 1, 1, 1, 1, 1}, w, null, null, null),
                Normaliser.forStep(c, lengths));
        assertArrayEquals(new double[] {-1.0 / 6, -1.0 / 6, 0, 0, 0, 0}, r.dLogp(), TOL);
        assertEquals(-2.0 / 6, r.loss(), TOL);
        // one: every token -1/6: the token-mean NLL gradient of SFT on all samples
        GrpoLossConfig o = cfg().weight(GrpoLossConfig.Weight.ONE).build();
        double[] w1 = Advantages.weights(o.weight(), rewards, correct, ScaleRewards.GROUP)[0];
        LossResult r1 = new GrpoLoss(o).compute(batch(lengths, old, new double[] {1, 1, 1, 1, 1, 1}, w1, null, null, null),
                Normaliser.forStep(o, lengths));
        for (double g : r1.dLogp()) assertEquals(-1.0 / 6, g, TOL);
    }

    @Test
    void lossIsZeroButTheGradientIsNot() {
        // mu = 1, beta = 0: first pass has old = logp, rho = 1. One group, rewards 1, 0, two tokens each.
        // A = +-0.5 / (0.7071067811865476 + 1e-4) = +-0.7070067953266834; token-mean over 4:
        // loss = (-A - A + A + A) / 4 = 0 exactly; d/dlogp = -A/4 = -0.17675169883167085 (twice), +0.1767... (twice)
        double[] a = Advantages.compute(new double[][] {{1, 0}}, ScaleRewards.GROUP)[0];
        double[] logp = {-0.4, -1.3, -2.2, -0.1};
        GrpoLossConfig c = cfg().build();
        SequenceBatch b = new SequenceBatch(new int[] {0, 2, 4}, logp, logp.clone(), null, null, new boolean[] {true, true, true, true}, a);
        LossResult r = new GrpoLoss(c).compute(b, Normaliser.forStep(c, new int[] {2, 2}));
        assertEquals(0.0, r.loss(), 0.0);
        double g = 0.7070067953266834 / 4;
        assertArrayEquals(new double[] {-g, -g, g, g}, r.dLogp(), TOL);
        assertEquals(0.0, r.stats().approxKl(), 0.0);
        assertEquals(0.0, r.stats().clipFraction(), 0.0);
    }

    @Test
    void gradientMatchesCentralDifferencesOfTheLoss() {
        // every term on at once, no token near a kink: 2 completions, 7 tokens, seq-mean-token-mean, k3, entropy
        double[] old = {-1.2, -0.4, -2.0, -0.9, -1.7, -0.3, -1.1};
        double[] ratio = {0.95, 1.6, 1.1, 0.6, 1.02, 1.2, 2.5};     // mixes in-band, clipped and correct-side tokens
        double[] ref = {-1.0, -0.8, -1.9, -1.2, -1.6, -0.2, -1.9};
        double[] ent = {1.5, 0.7, 2.2, 0.1, 0.9, 1.3, 0.4};
        double[] adv = {0.8, -1.3};
        for (LossAgg agg : LossAgg.values()) {
            GrpoLossConfig c = cfg().lossAgg(agg).beta(0.05).klEstimator(KlEstimator.K3).entropyCoef(0.02).clipRatioC(2.0).build();
            SequenceBatch b = batch(new int[] {3, 4}, old, ratio, adv, ref, ent, null);
            Normaliser n = Normaliser.forStep(c, new int[] {3, 4});
            GrpoLoss loss = new GrpoLoss(c);
            LossResult r = loss.compute(b, n);
            double h = 1e-6;
            assertLogpGradientMatchesCentralDifferences(loss, b, n, agg + " dlogp");
            for (int t = 0; t < old.length; t++) {
                double[] eu = ent.clone(), ed = ent.clone();
                eu[t] += h;
                ed[t] -= h;
                double fdH = (loss.compute(withEntropy(b, eu), n).loss() - loss.compute(withEntropy(b, ed), n).loss()) / (2 * h);
                assertEquals(fdH, r.dEntropy()[t], 1e-8, agg + " dentropy token " + t);
            }
        }
    }

    /** d loss / d logp of every token against central differences (h = 1e-6, tolerance 1e-8). */
    static void assertLogpGradientMatchesCentralDifferences(GrpoLoss loss, SequenceBatch b, Normaliser n, String what) {
        LossResult r = loss.compute(b, n);
        double h = 1e-6;
        for (int t = 0; t < b.logp().length; t++) {
            double[] up = b.logp().clone(), dn = b.logp().clone();
            up[t] += h;
            dn[t] -= h;
            double fd = (loss.compute(withLogp(b, up), n).loss() - loss.compute(withLogp(b, dn), n).loss()) / (2 * h);
            assertEquals(fd, r.dLogp()[t], 1e-8, what + " token " + t);
        }
    }

    static SequenceBatch withLogp(SequenceBatch b, double[] logp) {
        return new SequenceBatch(b.seqStart(), logp, b.oldLogp(), b.refLogp(), b.entropy(), b.mask(), b.advantage(), b.pgMask());
    }

    static SequenceBatch withEntropy(SequenceBatch b, double[] entropy) {
        return new SequenceBatch(b.seqStart(), b.logp(), b.oldLogp(), b.refLogp(), entropy, b.mask(), b.advantage(), b.pgMask());
    }

    @Test
    void normaliserMustCoverTheMicroBatch() {
        // a normaliser built from one micro-batch's 2 tokens cannot serve a micro-batch with 5
        GrpoLossConfig c = cfg().build();
        SequenceBatch b = batch(LEN, OLD, RATIO, ADV, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> new GrpoLoss(c).compute(b, Normaliser.forStep(c, new int[] {2})));
    }
}
