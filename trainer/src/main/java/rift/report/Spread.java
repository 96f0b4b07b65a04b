package rift.report;

import java.util.Collection;

/**
 * Mean and spread of one number over seeds. The standard deviation is the sample one (divides by n − 1), the
 * usual estimate of seed-to-seed noise; with one value it is 0 and the report prints the value alone.
 *
 * @param n    how many finite values went in (NaN values are skipped: a seed without that measurement)
 * @param mean their mean; NaN when n = 0
 * @param sd   their sample standard deviation; 0 when n = 1, NaN when n = 0
 * @param min  the smallest value; NaN when n = 0
 * @param max  the largest value; NaN when n = 0
 */
public record Spread(int n, double mean, double sd, double min, double max) {
    public static final Spread EMPTY = new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public static Spread of(Collection<Double> values) {
        int n = 0;
        double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isNaN(v)) continue;
            n++;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (n == 0) return EMPTY;
        double mean = sum / n;
        double ss = 0;
        // two passes: the textbook one-pass formula loses digits when the spread is small against the mean
        for (double v : values) if (!Double.isNaN(v)) ss += (v - mean) * (v - mean);
        double sd = n == 1 ? 0 : Math.sqrt(ss / (n - 1));
        return new Spread(n, mean, sd, min, max);
    }

    public boolean isEmpty() {
        return n == 0;
    }
}
