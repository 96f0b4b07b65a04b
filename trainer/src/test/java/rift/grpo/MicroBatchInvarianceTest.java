package rift.grpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import rift.grpo.GrpoLossConfig.KlEstimator;
import rift.grpo.GrpoLossConfig.LossAgg;
import rift.grpo.GrpoLossConfig.ScaleRewards;

/**
 * One optimizer step of a toy softmax policy (logits z = W x per token, V = 5 tokens, F = 3 features) over
 * 4 prompts x 2 completions of 1-4 tokens, with every term on (clip, dual clip c = 1.5, k3 KL, entropy, a truncated
 * completion masked). Splitting the step into 1, 2 or 4 micro-batches must give the same summed dL/dW, for
 * every loss_agg; the chain rule through the toy model is checked against central differences of the step loss.
 */
class MicroBatchInvarianceTest {
    static final int V = 5, F = 3, COMPLETIONS = 8;
    static final int[] LENGTHS = {3, 1, 4, 2, 2, 4, 1, 3};
    static final boolean[] TRUNCATED = {false, false, true, false, false, false, false, false};

    /** The sampled step: token features, targets, old and ref policies, advantages. */
    static final class Step {
        final int[] start = new int[COMPLETIONS + 1];
        final double[][] x;
        final int[] y;
        final double[][] wOld = new double[V][F], wRef = new double[V][F], w = new double[V][F];
        final double[] adv;

        Step(long seed) {
            Random rnd = new Random(seed);
            for (int i = 0; i < COMPLETIONS; i++) start[i + 1] = start[i] + LENGTHS[i];
            int n = start[COMPLETIONS];
            x = new double[n][F];
            y = new int[n];
            for (int t = 0; t < n; t++) {
                for (int f = 0; f < F; f++) x[t][f] = rnd.nextGaussian();
                y[t] = rnd.nextInt(V);
            }
            for (int v = 0; v < V; v++) {
                for (int f = 0; f < F; f++) {
                    wOld[v][f] = rnd.nextGaussian();
                    wRef[v][f] = wOld[v][f] + 0.3 * rnd.nextGaussian();
                    // far enough from the rollout policy that some ratios leave the clip band
                    w[v][f] = wOld[v][f] + 0.4 * rnd.nextGaussian();
                }
            }
            double[][] rewards = {{1, 0}, {0, 1}, {1, 0}, {0, 1}};
            double[][] a = Advantages.compute(rewards, ScaleRewards.GROUP);
            adv = new double[COMPLETIONS];
            for (int i = 0; i < COMPLETIONS; i++) adv[i] = a[i / 2][i % 2];
        }
    }

    /** log-softmax of W x_t at target y_t, and the entropy, for tokens [from, to). */
    static double[][] forward(double[][] w, Step s, int from, int to) {
        double[] logp = new double[to - from], ent = new double[to - from];
        for (int t = from; t < to; t++) {
            double[] lp = logSoftmax(w, s.x[t]);
            logp[t - from] = lp[s.y[t]];
            double h = 0;
            for (double l : lp) h -= Math.exp(l) * l;
            ent[t - from] = h;
        }
        return new double[][] {logp, ent};
    }

    static double[] logSoftmax(double[][] w, double[] x) {
        double[] z = new double[V];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < V; v++) {
            for (int f = 0; f < F; f++) z[v] += w[v][f] * x[f];
            max = Math.max(max, z[v]);
        }
        double sum = 0;
        for (double zv : z) sum += Math.exp(zv - max);
        double lse = max + Math.log(sum);
        for (int v = 0; v < V; v++) z[v] -= lse;
        return z;
    }

    /** The micro-batch of completions [c0, c1) under weights w. */
    static SequenceBatch microBatch(GrpoLossConfig c, Step s, double[][] w, int c0, int c1) {
        int from = s.start[c0], to = s.start[c1];
        int[] start = new int[c1 - c0 + 1];
        boolean[] trunc = new boolean[c1 - c0];
        for (int i = c0; i < c1; i++) {
            start[i - c0 + 1] = s.start[i + 1] - from;
            trunc[i - c0] = TRUNCATED[i];
        }
        double[][] cur = forward(w, s, from, to);
        return new SequenceBatch(start, cur[0], forward(s.wOld, s, from, to)[0], forward(s.wRef, s, from, to)[0], cur[1],
                SequenceBatch.lossMask(start, trunc, c.maskTruncatedCompletions()), java.util.Arrays.copyOfRange(s.adv, c0, c1));
    }

    /** Step loss and dL/dW with the step split into {@code parts} micro-batches; each micro-batch's dW is summed into the total. */
    static double[] step(GrpoLossConfig c, Step s, double[][] w, int parts, Normaliser norm, double[] dLogpOut) {
        return step(c, s, w, parts, norm, dLogpOut, new LossStats[] {LossStats.ZERO});
    }

    static double[] step(GrpoLossConfig c, Step s, double[][] w, int parts, Normaliser norm, double[] dLogpOut, LossStats[] stats) {
        double[] gradW = new double[V * F];
        double loss = 0;
        int per = COMPLETIONS / parts;
        for (int p = 0; p < parts; p++) {
            SequenceBatch mb = microBatch(c, s, w, p * per, (p + 1) * per);
            Normaliser n = norm != null ? norm : Normaliser.forStep(c, masked(c, p * per, (p + 1) * per));
            LossResult r = new GrpoLoss(c).compute(mb, n);
            stats[0] = stats[0].plus(r.stats());
            loss += norm != null ? r.loss() : r.loss() / parts;
            double scale = norm != null ? 1.0 : 1.0 / parts;     // the per-micro-batch "bug" variant averages
            double[] local = new double[V * F];
            int base = s.start[p * per];
            for (int t = 0; t < mb.tokens(); t++) {
                if (dLogpOut != null) dLogpOut[base + t] = r.dLogp()[t];
                double[] x = s.x[base + t];
                double[] lp = logSoftmax(w, x);
                double h = mb.entropy()[t];
                for (int v = 0; v < V; v++) {
                    double pv = Math.exp(lp[v]);
                    // d logp_y / d z_v = [v = y] - p_v ;  d H / d z_v = -p_v (log p_v + H)
                    double dz = r.dLogp()[t] * ((v == s.y[base + t] ? 1 : 0) - pv) + r.dEntropy()[t] * (-pv * (lp[v] + h));
                    for (int f = 0; f < F; f++) local[v * F + f] += scale * dz * x[f];
                }
            }
            for (int i = 0; i < local.length; i++) gradW[i] += local[i];
        }
        double[] out = new double[V * F + 1];
        System.arraycopy(gradW, 0, out, 0, V * F);
        out[V * F] = loss;
        return out;
    }

    static int[] masked(GrpoLossConfig c, int c0, int c1) {
        int[] m = new int[c1 - c0];
        for (int i = c0; i < c1; i++) m[i - c0] = c.maskTruncatedCompletions() && TRUNCATED[i] ? 0 : LENGTHS[i];
        return m;
    }

    static GrpoLossConfig config(LossAgg agg) {
        return GrpoLossConfig.builder(4).epsilonLow(0.2).epsilonHigh(0.28).clipRatioC(1.5).lossAgg(agg).beta(0.04)
                .klEstimator(KlEstimator.K3).entropyCoef(0.01).maskTruncatedCompletions(true).numGenerations(2).build();
    }

    @Test
    void oneTwoAndFourMicroBatchesGiveTheSameGradient() {
        Step s = new Step(42);
        for (LossAgg agg : LossAgg.values()) {
            GrpoLossConfig c = config(agg);
            Normaliser norm = Normaliser.forStep(c, LENGTHS, TRUNCATED);
            double[] d1 = new double[s.start[COMPLETIONS]], d2 = d1.clone(), d4 = d1.clone();
            LossStats[] st1 = {LossStats.ZERO}, st4 = {LossStats.ZERO};
            double[] one = step(c, s, s.w, 1, norm, d1, st1), two = step(c, s, s.w, 2, norm, d2), four = step(c, s, s.w, 4, norm, d4, st4);
            // the toy step reaches every branch: both clips, the dual clip, a masked completion
            assertTrue(st1[0].clipLow() > 0 && st1[0].clipHigh() > 0 && st1[0].clipDual() > 0, st1[0].toString());
            assertEquals(16, st1[0].tokens());
            assertEquals(20, st1[0].allTokens());
            // metric sums add up the same way
            assertEquals(st1[0].clipFraction(), st4[0].clipFraction(), 0.0);
            assertEquals(st1[0].approxKl(), st4[0].approxKl(), 1e-15);
            // per-token gradients do not depend on the split at all: same bits
            assertArrayEquals(d1, d2, 0.0, agg.key());
            assertArrayEquals(d1, d4, 0.0, agg.key());
            // summed dW and loss: equal up to the order of the additions
            for (int i = 0; i <= V * F; i++) {
                assertEquals(one[i], two[i], 1e-14 * Math.max(1, Math.abs(one[i])), agg.key() + " entry " + i);
                assertEquals(one[i], four[i], 1e-14 * Math.max(1, Math.abs(one[i])), agg.key() + " entry " + i);
            }
            assertTrue(maxAbs(one, V * F) > 1e-3, "the gradient is not trivially zero");
        }
    }

    @Test
    void aPerMicroBatchNormaliserWouldChangeTheGradient() {
        // what §0 of trainers.md warns about: normalising each micro-batch by its own tokens (then averaging the
        // micro-batches) gives another gradient when lengths differ, which the test above would catch
        Step s = new Step(42);
        GrpoLossConfig c = config(LossAgg.TOKEN_MEAN);
        double[] right = step(c, s, s.w, 4, Normaliser.forStep(c, LENGTHS, TRUNCATED), null);
        double[] local = step(c, s, s.w, 4, null, null);
        double diff = 0;
        for (int i = 0; i < V * F; i++) diff = Math.max(diff, Math.abs(right[i] - local[i]));
        assertTrue(diff > 1e-3, "per-micro-batch normalisation should differ, max diff " + diff);
    }

    @Test
    void chainRuleMatchesCentralDifferencesOfTheStepLoss() {
        Step s = new Step(7);
        for (LossAgg agg : LossAgg.values()) {
            GrpoLossConfig c = config(agg);
            Normaliser norm = Normaliser.forStep(c, LENGTHS, TRUNCATED);
            double[] g = step(c, s, s.w, 2, norm, null);
            double h = 1e-6;
            for (int v = 0; v < V; v++) {
                for (int f = 0; f < F; f++) {
                    double keep = s.w[v][f];
                    s.w[v][f] = keep + h;
                    double up = step(c, s, s.w, 2, norm, null)[V * F];
                    s.w[v][f] = keep - h;
                    double dn = step(c, s, s.w, 2, norm, null)[V * F];
                    s.w[v][f] = keep;
                    assertEquals((up - dn) / (2 * h), g[v * F + f], 1e-7, agg.key() + " W[" + v + "][" + f + "]");
                }
            }
        }
    }

    static double maxAbs(double[] a, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i]));
        return m;
    }
}
