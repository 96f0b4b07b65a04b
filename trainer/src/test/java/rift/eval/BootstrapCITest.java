package rift.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rift.util.Rng;

class BootstrapCITest {
    @Test
    void intervalContainsTheMeanAndIsSeeded() {
        Rng r = new Rng(3);
        double[] x = new double[200];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble() < 0.3 ? 1 : 0;
        BootstrapCI.Interval ci = BootstrapCI.mean(x, 2000, 0.95, 42);
        double mean = 0;
        for (double v : x) mean += v;
        mean /= x.length;
        assertEquals(mean, ci.estimate(), 1e-15);
        assertTrue(ci.low() < mean && mean < ci.high(), ci.toString());
        // binomial standard error sqrt(p(1-p)/n) ~ 0.032: the 95% interval is about +-1.96 of it
        double se = Math.sqrt(mean * (1 - mean) / x.length);
        assertEquals(2 * 1.96 * se, ci.high() - ci.low(), 0.25 * 2 * 1.96 * se);
        assertEquals(ci, BootstrapCI.mean(x, 2000, 0.95, 42));
        // continuous scores (e.g. token F1): another seed gives other resamples, so other bounds
        double[] f = new double[50];
        for (int i = 0; i < f.length; i++) f[i] = r.nextDouble();
        assertEquals(BootstrapCI.mean(f, 500, 0.95, 42), BootstrapCI.mean(f, 500, 0.95, 42));
        assertNotEquals(BootstrapCI.mean(f, 500, 0.95, 42), BootstrapCI.mean(f, 500, 0.95, 43));
    }

    @Test
    void ratioOfSumsWeightsItems() {
        // IFEval-like: item 0 follows 3 of 3 instructions, item 1 follows 0 of 1: 3/4, not the mean 1/2 of the fractions
        BootstrapCI.Interval ci = BootstrapCI.ratio(new double[] {3, 0}, new double[] {3, 1}, 500, 0.95, 1);
        assertEquals(0.75, ci.estimate(), 1e-15);
        assertTrue(ci.low() >= 0 && ci.high() <= 1 && ci.low() <= 0.75 && 0.75 <= ci.high(), ci.toString());
    }

    @Test
    void constantScoresGiveAPointInterval() {
        BootstrapCI.Interval ci = BootstrapCI.mean(new double[] {1, 1, 1, 1}, 100, 0.95, 7);
        assertEquals(new BootstrapCI.Interval(1, 1, 1), ci);
        assertTrue(Double.isNaN(BootstrapCI.mean(new double[0], 100, 0.95, 7).estimate()));
    }

    @Test
    void quantilesInterpolateLinearlyAsNumpy() {
        double[] s = {0, 10, 20, 30, 40};
        assertEquals(0, BootstrapCI.quantile(s, 0));
        assertEquals(40, BootstrapCI.quantile(s, 1));
        assertEquals(1, BootstrapCI.quantile(s, 0.025), 1e-12);    // h = 0.1
        assertEquals(39, BootstrapCI.quantile(s, 0.975), 1e-12);   // h = 3.9
        assertEquals(20, BootstrapCI.quantile(s, 0.5), 1e-12);
    }
}
