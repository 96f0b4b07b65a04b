package rift.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;
import rift.probe.TokenShift.Aggregate;
import rift.probe.TokenShift.Options;
import rift.probe.TokenShiftResult.ShiftedToken;

class TokenShiftTest {

    static double[] filled(int n, double v) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, v);
        return x;
    }

    static int[] ones(int n) {
        int[] r = new int[n];
        java.util.Arrays.fill(r, 1);
        return r;
    }

    /** log(p + 1e-10) for p = exp(lp), the paper code's per-token term. */
    static double smoothedLog(double lp) {
        return Math.log(Math.exp(lp) + 1e-10);
    }

    @Test
    void identicalModelsHaveNoShift() {
        int[] ids = {5, 6, 7, 8};
        double[] lp = {-0.1, -2.5, -0.7, -4};
        int[] ranks = {1, 3, 2, 9};
        ScoredResponse r = new ScoredResponse(ids, lp, ranks, lp.clone(), ranks.clone());
        TokenShiftResult t = TokenShift.analyze("same", List.of(r, r), Options.defaults());
        assertEquals(0, t.kl(), 0);
        assertEquals(0, t.avgRankShift(), 0);
        assertEquals(0, t.avgRankShiftPerToken(), 0);
        assertEquals(0, t.shiftedTokens());
        assertEquals(0, t.shiftedFraction(), 0);
        assertTrue(t.shiftedTokenList().isEmpty());
        assertEquals(List.of(0, 0), t.shiftedPerResponse());
        for (double v : t.rankShiftByPosition()) assertEquals(0, v, 0);
        assertEquals(8, t.tokens());
    }

    /**
     * The tuned model puts its greedy tokens (rank 1, p = e^−0.1) where the base ranked them 1, 2, 5, 1, 4
     * with p = e^−2: positive KL, rank shift 8/5, buckets 2/5 unshifted, 1/5 marginal, 2/5 shifted.
     */
    @Test
    void tunedMovingAwayFromBaseTopTokens() {
        int[] ids = {10, 11, 12, 10, 13};
        ScoredResponse r = new ScoredResponse(ids, filled(5, -0.1), ones(5), filled(5, -2), new int[] {1, 2, 5, 1, 4});
        TokenShiftResult t = TokenShift.analyze("math", List.of(r), Options.defaults());
        double expectedKl = smoothedLog(-0.1) - smoothedLog(-2);
        assertEquals(expectedKl, t.kl(), 1e-15);
        assertEquals(1.9, t.kl(), 1e-8);
        assertTrue(t.klSigned() > 0);
        assertEquals(8 / 5.0, t.avgRankShift(), 1e-15);
        assertEquals(0.4, t.buckets().unshiftedFraction(), 1e-15);
        assertEquals(0.2, t.buckets().marginalFraction(), 1e-15);
        assertEquals(0.4, t.buckets().shiftedFraction(), 1e-15);
        assertEquals(3, t.shiftedTokens());
        assertEquals(0.6, t.shiftedFraction(), 1e-15);
        assertEquals(List.of(3), t.shiftedPerResponse());
        assertEquals(List.of(0.0, 1.0, 4.0, 0.0, 3.0), t.rankShiftByPosition());
        // each shifted id once; equal counts in id order
        assertEquals(List.of(new ShiftedToken(11, 1, 1), new ShiftedToken(12, 1, 4), new ShiftedToken(13, 1, 3)),
                t.shiftedTokenList());
    }

    /** A tuned model less sure than its base: the signed estimate is negative, the reported KL its absolute value. */
    @Test
    void klIsAbsoluteValueOfTheMean() {
        ScoredResponse a = new ScoredResponse(new int[] {1, 2}, filled(2, -3), ones(2), filled(2, -1), ones(2));
        ScoredResponse b = new ScoredResponse(new int[] {1}, filled(1, -1), ones(1), filled(1, -1.5), ones(1));
        TokenShiftResult t = TokenShift.analyze("t", List.of(a, b), Options.defaults());
        double kla = smoothedLog(-3) - smoothedLog(-1), klb = smoothedLog(-1) - smoothedLog(-1.5);
        assertEquals((kla + klb) / 2, t.klSigned(), 1e-15);
        assertTrue(t.klSigned() < 0);
        assertEquals(-t.klSigned(), t.kl(), 0);
    }

    /** Zero base probability (−∞ log-prob): the 1e-10 smoothing keeps the term finite. */
    @Test
    void zeroProbabilityIsSmoothed() {
        ScoredResponse r = new ScoredResponse(new int[] {4}, new double[] {0}, ones(1),
                new double[] {Double.NEGATIVE_INFINITY}, new int[] {50000});
        TokenShiftResult t = TokenShift.analyze("t", List.of(r), Options.defaults());
        assertEquals(Math.log(1 + 1e-10) - Math.log(1e-10), t.kl(), 1e-12);
        assertEquals(49999, t.avgRankShift(), 0);
    }

    /** Per-response mean (headline) versus pooled per-token mean. */
    @Test
    void responseMeanVersusTokenMean() {
        ScoredResponse shortShifted = new ScoredResponse(new int[] {9}, filled(1, -1), ones(1), filled(1, -1), new int[] {11});
        ScoredResponse longSame = new ScoredResponse(new int[] {1, 2, 3}, filled(3, -1), ones(3), filled(3, -1), ones(3));
        TokenShiftResult t = TokenShift.analyze("t", List.of(shortShifted, longSame), Options.defaults());
        assertEquals((10 + 0) / 2.0, t.avgRankShift(), 0);
        assertEquals(10 / 4.0, t.avgRankShiftPerToken(), 0);
        assertEquals(List.of(5.0, 0.0, 0.0), t.rankShiftByPosition()); // position 0: (10 + 0)/2
        assertEquals(List.of(2, 1, 1), t.responsesAtPosition());
    }

    /** Only the common length of the two models' scores counts. */
    @Test
    void commonLengthOnly() {
        ScoredResponse r = new ScoredResponse(new int[] {1, 2, 3}, filled(3, -0.5), ones(3),
                new double[] {-0.5, -0.5}, new int[] {1, 1});
        TokenShiftResult t = TokenShift.analyze("t", List.of(r), Options.defaults());
        assertEquals(2, t.tokens());
        assertEquals(0, t.kl(), 0);
    }

    /** The paper code never scores the first response token; the flag reproduces that. */
    @Test
    void paperCodeOffByOne() {
        // only the first token differs between the models
        ScoredResponse r = new ScoredResponse(new int[] {7, 8, 9}, new double[] {-0.01, -1, -1}, ones(3),
                new double[] {-5, -1, -1}, new int[] {30, 1, 1});
        TokenShiftResult all = TokenShift.analyze("t", List.of(r), Options.defaults());
        TokenShiftResult paper = TokenShift.analyze("t", List.of(r), Options.paperCode());
        assertEquals((smoothedLog(-0.01) - smoothedLog(-5)) / 3, all.kl(), 1e-15);
        assertEquals(29 / 3.0, all.avgRankShift(), 1e-15);
        assertEquals(3, all.tokens());
        assertFalse(all.skippedFirstToken());
        assertEquals(0, paper.kl(), 0);
        assertEquals(0, paper.avgRankShift(), 0);
        assertEquals(2, paper.tokens());
        assertTrue(paper.skippedFirstToken());
        assertEquals(List.of(0.0, 0.0), paper.rankShiftByPosition());
        // a one-token response has nothing left after the skip and is left out
        ScoredResponse single = new ScoredResponse(new int[] {7}, new double[] {-0.01}, ones(1), new double[] {-5}, new int[] {30});
        TokenShiftResult mixed = TokenShift.analyze("t", List.of(single, r), Options.paperCode());
        assertEquals(2, mixed.sequences());
        assertEquals(1, mixed.sequencesUsed());
        RiftException e = assertThrows(RiftException.class,
                () -> TokenShift.analyze("t", List.of(single), Options.paperCode()));
        assertTrue(e.getMessage().contains("after skipping the first"), e.getMessage());
    }

    @Test
    void shiftedTokenFrequenciesAndWordCloudFilter() {
        // token 5 shifted three times (by 2 each), token 3 twice (by 9), token 8 once (by −1: tuned ranks it lower)
        ScoredResponse a = new ScoredResponse(new int[] {5, 3, 5, 8}, filled(4, -1), new int[] {1, 1, 1, 2},
                filled(4, -1), new int[] {3, 10, 3, 1});
        ScoredResponse b = new ScoredResponse(new int[] {5, 3, 4}, filled(3, -1), ones(3), filled(3, -1), new int[] {3, 10, 1});
        TokenShiftResult t = TokenShift.analyze("t", List.of(a, b), Options.defaults());
        assertEquals(List.of(new ShiftedToken(5, 3, 6), new ShiftedToken(3, 2, 18), new ShiftedToken(8, 1, -1)),
                t.shiftedTokenList());
        assertEquals(List.of(4, 2), t.shiftedPerResponse());
        assertEquals(6 / 7.0, t.shiftedFraction(), 1e-15);
        assertEquals(List.of(new ShiftedToken(5, 3, 6), new ShiftedToken(3, 2, 18)), t.frequentShiftedTokens(2, 0));
        assertEquals(List.of(new ShiftedToken(3, 2, 18)), t.frequentShiftedTokens(1, 5));
        assertEquals(9.0, t.shiftedTokenList().get(1).meanRankShift(), 0);
    }

    @Test
    void aggregateOverTasks() {
        ScoredResponse a = new ScoredResponse(new int[] {1, 2}, filled(2, -0.1), ones(2), filled(2, -1), new int[] {2, 5});
        ScoredResponse b = new ScoredResponse(new int[] {1}, filled(1, -0.2), ones(1), filled(1, -0.2), ones(1));
        TokenShiftResult ta = TokenShift.analyze("a", List.of(a), Options.defaults());
        TokenShiftResult tb = TokenShift.analyze("b", List.of(b), Options.defaults());
        Aggregate agg = TokenShift.aggregate(List.of(ta, tb));
        assertEquals((ta.kl() + tb.kl()) / 2, agg.meanKl(), 0);
        assertEquals((2.5 + 0) / 2, agg.meanRankShift(), 0);
        assertEquals(3, agg.tokens());
        assertEquals(2 / 3.0, agg.shiftedFraction(), 1e-15);
        assertEquals(1, agg.buckets().unshifted());
        assertEquals(1, agg.buckets().marginal());
        assertEquals(1, agg.buckets().shifted());
        assertEquals(2, agg.shiftedTokenList().size());
        assertEquals(new ShiftedToken(1, 1, 1), agg.shiftedTokenList().get(0));
        TokenShiftResult tc = TokenShift.analyze("c", List.of(a), Options.defaults());
        Aggregate twice = TokenShift.aggregate(List.of(ta, tc));
        assertEquals(new ShiftedToken(1, 2, 2), twice.shiftedTokenList().get(0));
        assertEquals(new ShiftedToken(2, 2, 8), twice.shiftedTokenList().get(1));
    }

    @Test
    void badInputNamesTheField() {
        int[] ids = {1, 2};
        assertThrows(RiftException.class, () -> TokenShift.analyze("t",
                List.of(new ScoredResponse(ids, filled(1, -1), ones(2), filled(2, -1), ones(2))), Options.defaults()));
        assertThrows(RiftException.class, () -> TokenShift.analyze("t",
                List.of(new ScoredResponse(ids, filled(2, -1), ones(2), filled(2, -1), ones(1))), Options.defaults()));
        RiftException rank = assertThrows(RiftException.class, () -> TokenShift.analyze("t",
                List.of(new ScoredResponse(ids, filled(2, -1), new int[] {1, 0}, filled(2, -1), ones(2))), Options.defaults()));
        assertTrue(rank.getMessage().contains("tuned rank of token 1"), rank.getMessage());
        RiftException loss = assertThrows(RiftException.class, () -> TokenShift.analyze("t",
                List.of(new ScoredResponse(ids, filled(2, -1), ones(2), filled(2, 2.3), ones(2))), Options.defaults()));
        assertTrue(loss.getMessage().contains("base log-prob"), loss.getMessage());
        assertThrows(RiftException.class, () -> TokenShift.analyze("t",
                List.of(new ScoredResponse(ids, filled(2, Double.NaN), ones(2), filled(2, -1), ones(2))), Options.defaults()));
        assertThrows(RiftException.class, () -> TokenShift.analyze("t", List.of(), Options.defaults()));
    }
}
