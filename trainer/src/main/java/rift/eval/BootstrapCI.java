package rift.eval;

import java.util.Arrays;
import rift.util.Rng;

/**
 * Percentile bootstrap confidence interval of a benchmark score, resampling items with replacement.
 * The statistic is a ratio of sums, {@code sum(score) / sum(weight)}, which is the plain mean when
 * every weight is 1 and IFEval's instruction-level accuracy when weights count instructions. Seeded,
 * so the same inputs give the same interval. Quantiles interpolate linearly between order statistics
 * (numpy's default, "type 7").
 */
public final class BootstrapCI {
    private BootstrapCI() {}

    public static final int DEFAULT_RESAMPLES = 1000;

    /** The statistic on the full sample and its interval. */
    public record Interval(double estimate, double low, double high) {}

    /** Mean of {@code x} with a {@code level} (e.g. 0.95) interval. */
    public static Interval mean(double[] x, int resamples, double level, long seed) {
        double[] ones = new double[x.length];
        Arrays.fill(ones, 1);
        return ratio(x, ones, resamples, level, seed);
    }

    /** {@code sum(num) / sum(den)} with a {@code level} interval; NaNs for no items. */
    public static Interval ratio(double[] num, double[] den, int resamples, double level, long seed) {
        if (num.length != den.length) throw new IllegalArgumentException("num and den differ in length");
        if (resamples < 1) throw new IllegalArgumentException("resamples must be >= 1");
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1)");
        int n = num.length;
        if (n == 0) return new Interval(Double.NaN, Double.NaN, Double.NaN);
        double est = sum(num) / sum(den);
        Rng rng = new Rng(seed);
        double[] stats = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double s = 0, w = 0;
            for (int i = 0; i < n; i++) {
                int j = rng.nextInt(n);
                s += num[j];
                w += den[j];
            }
            stats[r] = s / w;
        }
        Arrays.sort(stats);
        double alpha = (1 - level) / 2;
        return new Interval(est, quantile(stats, alpha), quantile(stats, 1 - alpha));
    }

    /** Linear interpolation between the order statistics of a sorted array (numpy "linear"). */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double sum(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s;
    }
}
