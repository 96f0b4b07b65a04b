package rift.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;
import rift.probe.Bootstrap.Interval;
import rift.util.Rng;

class BootstrapTest {

    static double[] bernoulli(int n, double p, long seed) {
        Rng rng = new Rng(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextDouble() < p ? 100 : 0; // accuracy in percent
        return x;
    }

    @Test
    void intervalContainsTheMean() {
        for (long seed = 0; seed < 5; seed++) {
            double[] scores = bernoulli(50, 0.6, seed);
            Interval ci = Bootstrap.meanInterval(scores, seed, "test");
            assertEquals(Bootstrap.mean(scores), ci.mean(), 0);
            assertTrue(ci.lower() < ci.mean() && ci.mean() < ci.upper(), ci.toString());
            assertEquals(1000, ci.resamples());
            assertEquals(0.95, ci.level());
        }
    }

    @Test
    void shrinksWithN() {
        Interval small = Bootstrap.meanInterval(bernoulli(25, 0.5, 1), 11, "small");
        Interval large = Bootstrap.meanInterval(bernoulli(400, 0.5, 2), 11, "large");
        assertTrue(large.width() < small.width() / 2, small + " vs " + large);
        // close to the normal-theory width 2·1.96·σ/√n for σ = 50 percentage points
        double normal = 2 * 1.96 * 50 / Math.sqrt(400);
        assertEquals(normal, large.width(), 0.15 * normal);
    }

    @Test
    void higherLevelIsWider() {
        double[] scores = bernoulli(100, 0.3, 3);
        Interval ci90 = Bootstrap.meanInterval(scores, 2000, 0.90, 5, "s");
        Interval ci99 = Bootstrap.meanInterval(scores, 2000, 0.99, 5, "s");
        assertTrue(ci99.lower() <= ci90.lower() && ci90.upper() <= ci99.upper());
        assertTrue(ci99.width() > ci90.width());
    }

    @Test
    void deterministicForASeed() {
        Rng rng = new Rng(4); // continuous scores, so that different resamples give different bounds
        double[] scores = new double[60];
        for (int i = 0; i < scores.length; i++) scores[i] = rng.nextGaussian();
        Interval a = Bootstrap.meanInterval(scores, 42, "s"), b = Bootstrap.meanInterval(scores, 42, "s");
        assertEquals(a, b);
        Interval c = Bootstrap.meanInterval(scores, 43, "s");
        assertNotEquals(a, c);
    }

    @Test
    void constantScoresGiveAPointInterval() {
        Interval ci = Bootstrap.meanInterval(new double[] {7, 7, 7, 7}, 1, "const");
        assertEquals(7, ci.lower(), 0);
        assertEquals(7, ci.upper(), 0);
    }

    @Test
    void linearQuantile() {
        double[] sorted = {1, 2, 3, 4};
        assertEquals(2.5, Bootstrap.quantile(sorted, 0.5), 0);
        assertEquals(1.075, Bootstrap.quantile(sorted, 0.025), 1e-15);
        assertEquals(4, Bootstrap.quantile(sorted, 1), 0);
        assertEquals(1, Bootstrap.quantile(sorted, 0), 0);
    }

    @Test
    void badInput() {
        assertThrows(RiftException.class, () -> Bootstrap.meanInterval(new double[0], 1, "empty"));
        assertThrows(RiftException.class, () -> Bootstrap.meanInterval(new double[] {1, Double.NaN}, 1, "nan"));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.meanInterval(new double[] {1}, 0, 0.95, 1, "b"));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.meanInterval(new double[] {1}, 10, 1.0, 1, "b"));
    }
}
