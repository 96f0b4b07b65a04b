package rift.bench;

import java.util.Arrays;

/** Median-of-N wall-clock timing after warm-up, the same protocol as the peer script. */
public final class Timing {
    private Timing() {}

    public record Stats(double median, double min, double max, int n) {}

    public static Stats time(Runnable body, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) body.run();
        double[] s = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            body.run();
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        double med = runs % 2 == 1 ? sorted[runs / 2] : 0.5 * (sorted[runs / 2 - 1] + sorted[runs / 2]);
        return new Stats(med, sorted[0], sorted[runs - 1], runs);
    }
}
