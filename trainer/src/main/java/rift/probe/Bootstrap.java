package rift.probe;

import java.util.Arrays;
import rift.kernels.RiftException;
import rift.util.Rng;

/**
 * Percentile bootstrap confidence interval of a mean (Efron): draw B resamples of the n scores with
 * replacement, take each resample's mean, and report the (1 − level)/2 and (1 + level)/2 quantiles of those
 * B means. Quantiles interpolate linearly between order statistics at position q·(B − 1), as
 * {@code numpy.percentile}'s default. Resampling uses {@link Rng} with the given seed, so a seed gives
 * the same interval on every machine.
 */
public final class Bootstrap {
    private Bootstrap() {}

    public static final int DEFAULT_RESAMPLES = 1000;
    public static final double DEFAULT_LEVEL = 0.95;

    /**
     * @param mean      the sample mean of the scores
     * @param lower     lower percentile bound
     * @param upper     upper percentile bound
     * @param level     the confidence level, e.g. 0.95
     * @param resamples B
     * @param n         number of scores
     */
    public record Interval(double mean, double lower, double upper, double level, int resamples, int n) {
        public double width() {
            return upper - lower;
        }
    }

    /** 95 % interval from 1000 resamples. */
    public static Interval meanInterval(double[] scores, long seed, String label) {
        return meanInterval(scores, DEFAULT_RESAMPLES, DEFAULT_LEVEL, seed, label);
    }

    /** label names the scores in error messages (e.g. "MATH500 accuracy of run X"). */
    public static Interval meanInterval(double[] scores, int resamples, double level, long seed, String label) {
        int n = scores.length;
        if (n == 0) throw new RiftException(label + ": no scores to bootstrap; evaluate at least one item");
        if (resamples < 1) throw new IllegalArgumentException("resamples must be ≥ 1, got " + resamples);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new RiftException(label + ": score " + i + " is " + scores[i] + "; every item needs a finite score");
            }
        }
        Rng rng = new Rng(seed);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += scores[rng.nextInt(n)];
            means[b] = s / n;
        }
        Arrays.sort(means);
        double alpha = 1 - level;
        return new Interval(mean(scores), quantile(means, alpha / 2), quantile(means, 1 - alpha / 2), level,
                resamples, n);
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** Linear-interpolation quantile of sorted values (numpy "linear" method). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }
}
