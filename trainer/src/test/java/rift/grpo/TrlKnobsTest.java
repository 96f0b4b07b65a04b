package rift.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.grpo.GrpoLossTest.batch;

import org.junit.jupiter.api.Test;
import rift.grpo.GrpoLossConfig.ImportanceSamplingLevel;
import rift.grpo.GrpoLossConfig.KlEstimator;
import rift.grpo.GrpoLossConfig.LossAgg;

/**
 * The knobs that carry TRL / verl names (docs/trainer-knobs.md) against independent references: verl's
 * seq-mean-token-sum, TRL's importance_sampling_level: sequence (GSPO), and TRL's delta written as TRL
 * writes it, compared with rift's clip_ratio_c. Uses GrpoLossTest's standard batch (band [0.8, 1.28]):
 * completion 0: A = +1, ratios 1.0, 1.1, 1.5; completion 1: A = -0.5, ratios 0.5, 1.0.
 */
class TrlKnobsTest {
    static final double TOL = 1e-12;

    static GrpoLossConfig.Builder cfg() {
        return GrpoLossTest.cfg();
    }

    static LossResult standard(GrpoLossConfig c) {
        return GrpoLossTest.standard(c);
    }

    @Test
    void seqMeanTokenSumIsTheMeanOverCompletionsOfTokenSums() {
        // token sums of pg: c0 = -1 - 1.1 - 1.28 = -3.38, c1 = 0.4 + 0.5 = 0.9; mean over 2 completions = -1.24
        // every token weighs 1/2: d/dlogp = [-1, -1.1, 0, 0, 0.5] / 2
        LossResult r = standard(cfg().lossAgg(LossAgg.SEQ_MEAN_TOKEN_SUM).build());
        assertEquals((-3.38 + 0.9) / 2, r.loss(), TOL);
        assertArrayEquals(new double[] {-0.5, -0.55, 0, 0, 0.25}, r.dLogp(), TOL);
    }

    @Test
    void sequenceLevelRatioIsTheGeometricMeanOfTokenRatios() {
        // GSPO: s0 = (1.0 * 1.1 * 1.5)^(1/3) = cbrt(1.65) = 1.18...: in band, A = +1 -> pg = -s0 on each of 3 tokens,
        //   gradient -A s0 per token (d s0 / d logp_t = s0 / 3, times the 3 tokens' identical losses);
        // s1 = (0.5 * 1.0)^(1/2) = 0.7071 < 0.8, A = -0.5 -> clipped low: pg = 0.5 * 0.8 = 0.4 on 2 tokens, gradient 0.
        // token-mean over 5 tokens.
        double s0 = Math.cbrt(1.65);
        LossResult r = standard(cfg().importanceSamplingLevel(ImportanceSamplingLevel.SEQUENCE).build());
        assertEquals((3 * -s0 + 2 * 0.4) / 5, r.loss(), TOL);
        assertArrayEquals(new double[] {-s0 / 5, -s0 / 5, -s0 / 5, 0, 0}, r.dLogp(), TOL);
        // the clip decision is the completion's: both tokens of completion 1 count as clipped low, none high
        assertEquals(2, r.stats().clipLow());
        assertEquals(0, r.stats().clipHigh());
        // token level clips c0 t2 (1.5) high and c1 t0 (0.5) low instead
        LossResult tok = standard(cfg().build());
        assertEquals(1, tok.stats().clipLow());
        assertEquals(1, tok.stats().clipHigh());
        // approx_kl stays per token, so it does not depend on the level
        assertEquals(tok.stats().approxKl(), r.stats().approxKl(), 0.0);
    }

    @Test
    void sequenceLevelGradientMatchesCentralDifferences() {
        double[] old = {-1.2, -0.4, -2.0, -0.9, -1.7, -0.3, -1.1};
        double[] ratio = {0.95, 1.3, 1.1, 0.6, 1.02, 1.2, 1.4}; // s0 = 1.11 (in band), s1 = 0.98 (in band)
        double[] ref = {-1.0, -0.8, -1.9, -1.2, -1.6, -0.2, -1.9};
        double[] ent = {1.5, 0.7, 2.2, 0.1, 0.9, 1.3, 0.4};
        double[] adv = {0.8, -1.3};
        for (LossAgg agg : LossAgg.values()) {
            for (double epsHigh : new double[] {0.28, 0.05}) { // 0.05 puts s0 = 1.11 above the band (clipped, gradient 0)
                GrpoLossConfig c = cfg().lossAgg(agg).epsilonHigh(epsHigh).importanceSamplingLevel(ImportanceSamplingLevel.SEQUENCE)
                        .beta(0.05).klEstimator(KlEstimator.K3).entropyCoef(0.02).build();
                SequenceBatch b = batch(new int[] {3, 4}, old, ratio, adv, ref, ent, null);
                Normaliser n = Normaliser.forStep(c, new int[] {3, 4});
                GrpoLossTest.assertLogpGradientMatchesCentralDifferences(new GrpoLoss(c), b, n, agg + " eps_high " + epsHigh);
            }
        }
    }

    @Test
    void onPolicyBothLevelsGiveTheSameGradient() {
        // logp = old_logp (mu = 1, first pass): every ratio is 1, so GSPO changes nothing (TRL's docs say the same)
        double[] old = {-1.2, -0.4, -2.0, -0.9, -1.7};
        for (LossAgg agg : LossAgg.values()) {
            GrpoLossConfig tok = cfg().lossAgg(agg).build();
            GrpoLossConfig seq = cfg().lossAgg(agg).importanceSamplingLevel(ImportanceSamplingLevel.SEQUENCE).build();
            SequenceBatch b = batch(new int[] {2, 3}, old, new double[] {1, 1, 1, 1, 1}, new double[] {0.7, -1.1}, null, null, null);
            LossResult a = new GrpoLoss(tok).compute(b, Normaliser.forStep(tok, new int[] {2, 3}));
            LossResult s = new GrpoLoss(seq).compute(b, Normaliser.forStep(seq, new int[] {2, 3}));
            assertArrayEquals(a.dLogp(), s.dLogp(), TOL, agg.key());
            assertEquals(a.loss(), s.loss(), TOL, agg.key());
        }
    }

    @Test
    void sequenceLevelIgnoresMaskedTokensAndFullyMaskedCompletions() {
        // completion 0 truncated and masked: no loss; completion 1 alone: s1 = sqrt(0.5), clipped low -> pg 0.4 x 2 tokens
        GrpoLossConfig c = cfg().importanceSamplingLevel(ImportanceSamplingLevel.SEQUENCE).maskTruncatedCompletions(true).build();
        boolean[] mask = SequenceBatch.lossMask(new int[] {0, 3, 5}, new boolean[] {true, false}, true);
        SequenceBatch b = batch(GrpoLossTest.LEN, GrpoLossTest.OLD, GrpoLossTest.RATIO, GrpoLossTest.ADV, null, null, mask);
        LossResult r = new GrpoLoss(c).compute(b, Normaliser.forStep(c, new int[] {3, 2}, new boolean[] {true, false}));
        assertEquals(2 * 0.4 / 2, r.loss(), TOL);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0}, r.dLogp(), 0.0);
    }

    @Test
    void biasCorrectedKlIsTheTokensKlTimesItsRatio() {
        // one completion, A = 0 (no policy-gradient term), beta 0.1, k3, token-mean over 2 tokens:
        // t0: d = logp - ref = 0.5, rho = 1.1; t1: d = -1, rho = 0.9
        double[] old = {-1.0, -2.0}, ratio = {1.1, 0.9};
        double[] logp = {-1.0 + Math.log(1.1), -2.0 + Math.log(0.9)};
        double[] ref = {logp[0] - 0.5, logp[1] + 1.0};
        GrpoLossConfig c = cfg().beta(0.1).klEstimator(KlEstimator.K3).klBiasCorrection(true).build();
        SequenceBatch b = batch(new int[] {2}, old, ratio, new double[] {0.0}, ref, null, null);
        LossResult r = new GrpoLoss(c).compute(b, Normaliser.forStep(c, new int[] {2}));
        double k0 = Math.exp(-0.5) - 1 + 0.5, k1 = Math.exp(1.0) - 1 - 1.0;
        assertEquals(0.1 * (k0 * 1.1 + k1 * 0.9) / 2, r.loss(), TOL);
        // d/dlogp (k rho) = k' rho + k rho, with k3' = 1 - e^-d
        double g0 = (1 - Math.exp(-0.5)) * 1.1 + k0 * 1.1, g1 = (1 - Math.exp(1.0)) * 0.9 + k1 * 0.9;
        assertArrayEquals(new double[] {0.1 * g0 / 2, 0.1 * g1 / 2}, r.dLogp(), TOL);
    }

    @Test
    void biasCorrectedKlGradientMatchesCentralDifferencesAtBothLevels() {
        double[] old = {-1.2, -0.4, -2.0, -0.9, -1.7, -0.3, -1.1};
        double[] ratio = {0.95, 1.3, 1.1, 0.6, 1.02, 1.2, 1.4};
        double[] ref = {-1.0, -0.8, -1.9, -1.2, -1.6, -0.2, -1.9};
        double[] adv = {0.8, -1.3};
        for (ImportanceSamplingLevel level : ImportanceSamplingLevel.values()) {
            for (KlEstimator e : new KlEstimator[] {KlEstimator.K2, KlEstimator.K3}) {
                GrpoLossConfig c = cfg().importanceSamplingLevel(level).beta(0.2).klEstimator(e).klBiasCorrection(true).build();
                SequenceBatch b = batch(new int[] {3, 4}, old, ratio, adv, ref, null, null);
                Normaliser n = Normaliser.forStep(c, new int[] {3, 4});
                GrpoLoss loss = new GrpoLoss(c);
                // without the correction the loss differs (the test would pass trivially if the flag were ignored)
                GrpoLossConfig plain = cfg().importanceSamplingLevel(level).beta(0.2).klEstimator(e).build();
                double plainLoss = new GrpoLoss(plain).compute(b, Normaliser.forStep(plain, new int[] {3, 4})).loss();
                assertTrue(Math.abs(plainLoss - loss.compute(b, n).loss()) > 1e-4, level + " " + e);
                GrpoLossTest.assertLogpGradientMatchesCentralDifferences(loss, b, n, level + " " + e);
            }
        }
    }

    @Test
    void theEntropyMaskDropsThePolicyGradientTermOfMaskedTokensOnly() {
        // GrpoLossTest's standard batch (token-mean over 5 tokens, pg per token -1, -1.1, -1.28 | 0.4, 0.5), beta 0.1 k2
        // with ref = old: the pg mask keeps tokens 0 and 4; KL and the normaliser still see all 5
        double[] ref = GrpoLossTest.OLD.clone();
        boolean[] keep = {true, false, false, false, true};
        GrpoLossConfig c = cfg().beta(0.1).klEstimator(KlEstimator.K2).build();
        SequenceBatch b = batch(GrpoLossTest.LEN, GrpoLossTest.OLD, GrpoLossTest.RATIO, GrpoLossTest.ADV, ref, null, null);
        SequenceBatch masked = new SequenceBatch(b.seqStart(), b.logp(), b.oldLogp(), b.refLogp(), b.entropy(), b.mask(), b.advantage(), keep);
        Normaliser n = Normaliser.forStep(c, new int[] {3, 2});
        LossResult r = new GrpoLoss(c).compute(masked, n);
        double[] d = new double[5];
        double kl = 0;
        for (int t = 0; t < 5; t++) {
            d[t] = b.logp()[t] - ref[t]; // ln(ratio)
            kl += 0.5 * d[t] * d[t];
        }
        assertEquals((-1.0 + 0.5 + 0.1 * kl) / 5, r.loss(), TOL);
        // pg gradient only at tokens 0 (-A rho = -1) and 4 (0.5 x 1.0 = 0.5); KL gradient beta d everywhere
        double[] want = {(-1.0 + 0.1 * d[0]) / 5, 0.1 * d[1] / 5, 0.1 * d[2] / 5, 0.1 * d[3] / 5, (0.5 + 0.1 * d[4]) / 5};
        assertArrayEquals(want, r.dLogp(), TOL);
    }

    @Test
    void entropyMaskedGradientMatchesCentralDifferencesAtBothLevels() {
        double[] old = {-1.2, -0.4, -2.0, -0.9, -1.7, -0.3, -1.1};
        double[] ratio = {0.95, 1.3, 1.1, 0.6, 1.02, 1.2, 1.4};
        double[] ref = {-1.0, -0.8, -1.9, -1.2, -1.6, -0.2, -1.9};
        boolean[] keep = {true, false, true, false, false, true, true};
        for (ImportanceSamplingLevel level : ImportanceSamplingLevel.values()) {
            GrpoLossConfig c = cfg().importanceSamplingLevel(level).beta(0.05).klEstimator(KlEstimator.K3).build();
            SequenceBatch b = batch(new int[] {3, 4}, old, ratio, new double[] {0.8, -1.3}, ref, null, null);
            SequenceBatch masked = new SequenceBatch(b.seqStart(), b.logp(), b.oldLogp(), b.refLogp(), b.entropy(), b.mask(), b.advantage(), keep);
            GrpoLossTest.assertLogpGradientMatchesCentralDifferences(new GrpoLoss(c), masked, Normaliser.forStep(c, new int[] {3, 4}), level.key());
        }
    }

    @Test
    void cispoWeighsLogPiByTheClippedDetachedRatio() {
        // the standard batch, band [0.8, 1.28]: ratios 1.0, 1.1, 1.5 (A = +1) | 0.5, 1.0 (A = -0.5); weights 1.0, 1.1, 1.28 | 0.8, 1.0
        GrpoLossConfig c = cfg().policyLoss(GrpoLossConfig.PolicyLoss.CISPO).build();
        SequenceBatch b = batch(GrpoLossTest.LEN, GrpoLossTest.OLD, GrpoLossTest.RATIO, GrpoLossTest.ADV, null, null, null);
        LossResult r = new GrpoLoss(c).compute(b, Normaliser.forStep(c, new int[] {3, 2}));
        double[] w = {1.0, 1.1, 1.28, 0.8, 1.0}, a = {1, 1, 1, -0.5, -0.5};
        double loss = 0;
        double[] grad = new double[5];
        for (int t = 0; t < 5; t++) {
            loss += -w[t] * a[t] * b.logp()[t];
            grad[t] = -w[t] * a[t] / 5; // the weight is detached: no d w / d logp term, and the clipped tokens keep theirs
        }
        assertEquals(loss / 5, r.loss(), TOL);
        assertArrayEquals(grad, r.dLogp(), TOL);
        assertEquals(1, r.stats().clipLow());  // 0.5 < 0.8
        assertEquals(1, r.stats().clipHigh()); // 1.5 > 1.28
    }

    @Test
    void cispoRefusesTheSequenceLevelAndTheDualClip() {
        var seq = org.junit.jupiter.api.Assertions.assertThrows(rift.kernels.RiftException.class, () -> cfg()
                .policyLoss(GrpoLossConfig.PolicyLoss.CISPO).importanceSamplingLevel(ImportanceSamplingLevel.SEQUENCE).build());
        assertTrue(seq.getMessage().contains("grpo.policy_loss"), seq.getMessage());
        var dual = org.junit.jupiter.api.Assertions.assertThrows(rift.kernels.RiftException.class, () -> cfg()
                .policyLoss(GrpoLossConfig.PolicyLoss.CISPO).clipRatioC(3.0).build());
        assertTrue(dual.getMessage().contains("grpo.clip_ratio_c"), dual.getMessage());
    }

    /** TRL's per-token loss with delta, written as TRL writes it: coef_1 clamped above at delta before the min. */
    static double trlDeltaLoss(double logRatio, double a, double epsLow, double epsHigh, double delta) {
        double coef1 = Math.exp(logRatio);
        double coef2 = Math.min(Math.max(coef1, 1 - epsLow), 1 + epsHigh);
        coef1 = Math.min(coef1, delta);
        return -Math.min(coef1 * a, coef2 * a);
    }

    @Test
    void trlDeltaEqualsDualClipAboveTheBand() {
        double epsLow = 0.2, epsHigh = 0.28;
        for (double delta : new double[] {1.5, 3.0, 10.0}) { // all > 1 + eps_high, TRL's recommended range
            for (double a : new double[] {-2.0, -0.5, 0.7, 1.5}) {
                for (double rho = 0.05; rho < 12; rho *= 1.0137) {
                    double lr = Math.log(rho);
                    GrpoLoss.Surrogate s = GrpoLoss.surrogate(lr, 0.0, a, epsLow, epsHigh, delta);
                    String at = "delta " + delta + " A " + a + " rho " + rho;
                    assertEquals(trlDeltaLoss(lr, a, epsLow, epsHigh, delta), s.value(), TOL, at);
                    double h = 1e-7;
                    boolean nearKink = Math.abs(rho - (1 - epsLow)) < 1e-4 || Math.abs(rho - (1 + epsHigh)) < 1e-4 || Math.abs(rho - delta) < 1e-4;
                    if (nearKink) continue;
                    double fd = (trlDeltaLoss(lr + h, a, epsLow, epsHigh, delta) - trlDeltaLoss(lr - h, a, epsLow, epsHigh, delta)) / (2 * h);
                    assertEquals(fd, s.grad(), 1e-6 * Math.max(1, Math.abs(fd)), at);
                }
            }
        }
    }
}
