package rift.kernels.cpu;

import java.util.Random;

/**
 * Plain attention in double, the oracle for {@link Attention}: per sequence, per query head, the full
 * causal softmax row of each query (no tiling, no online rescaling), kv head h / (Hq / Hkv).
 */
final class AttentionReference {
    private AttentionReference() {}

    record Forward(double[] out, double[] lse) {}

    record Grads(double[] dq, double[] dk, double[] dv) {}

    static Forward forward(double[] q, double[] k, double[] v, int[] seqStart, int Hq, int Hkv, int hd, double scale) {
        int n = seqStart[seqStart.length - 1];
        double[] out = new double[n * Hq * hd], lse = new double[n * Hq];
        int group = Hq / Hkv;
        for (int s = 0; s + 1 < seqStart.length; s++) {
            int s0 = seqStart[s];
            for (int i = s0; i < seqStart[s + 1]; i++) {
                for (int h = 0; h < Hq; h++) {
                    double[] p = probabilities(q, k, s0, i, h, h / group, Hq, Hkv, hd, scale, lse);
                    for (int j = s0; j <= i; j++) {
                        for (int d = 0; d < hd; d++) out[(i * Hq + h) * hd + d] += p[j - s0] * v[(j * Hkv + h / group) * hd + d];
                    }
                }
            }
        }
        return new Forward(out, lse);
    }

    /** Softmax over keys s0..i of query row i, head h; stores the row's log-sum-exp into lse. */
    private static double[] probabilities(double[] q, double[] k, int s0, int i, int h, int g, int Hq, int Hkv, int hd,
                                          double scale, double[] lse) {
        double[] p = new double[i - s0 + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = s0; j <= i; j++) {
            double dot = 0;
            for (int d = 0; d < hd; d++) dot += q[(i * Hq + h) * hd + d] * k[(j * Hkv + g) * hd + d];
            p[j - s0] = scale * dot;
            max = Math.max(max, p[j - s0]);
        }
        double sum = 0;
        for (int j = 0; j < p.length; j++) sum += Math.exp(p[j] - max);
        for (int j = 0; j < p.length; j++) p[j] = Math.exp(p[j] - max) / sum;
        lse[i * Hq + h] = max + Math.log(sum);
        return p;
    }

    /** Analytic gradients of sum(out * dout) with respect to q, k and v. */
    static Grads backward(double[] dout, double[] q, double[] k, double[] v, int[] seqStart, int Hq, int Hkv, int hd,
                          double scale) {
        int n = seqStart[seqStart.length - 1];
        double[] dq = new double[n * Hq * hd], dk = new double[n * Hkv * hd], dv = new double[n * Hkv * hd];
        double[] lse = new double[n * Hq];
        int group = Hq / Hkv;
        for (int s = 0; s + 1 < seqStart.length; s++) {
            int s0 = seqStart[s];
            for (int i = s0; i < seqStart[s + 1]; i++) {
                for (int h = 0; h < Hq; h++) {
                    int g = h / group, qi = (i * Hq + h) * hd;
                    double[] p = probabilities(q, k, s0, i, h, g, Hq, Hkv, hd, scale, lse);
                    double[] dp = new double[p.length];
                    double dsum = 0;
                    for (int j = s0; j <= i; j++) {
                        for (int d = 0; d < hd; d++) dp[j - s0] += dout[qi + d] * v[(j * Hkv + g) * hd + d];
                        dsum += p[j - s0] * dp[j - s0];
                    }
                    for (int j = s0; j <= i; j++) {
                        int kj = (j * Hkv + g) * hd;
                        double dscore = p[j - s0] * (dp[j - s0] - dsum) * scale;
                        for (int d = 0; d < hd; d++) {
                            dv[kj + d] += p[j - s0] * dout[qi + d];
                            dq[qi + d] += dscore * k[kj + d];
                            dk[kj + d] += dscore * q[qi + d];
                        }
                    }
                }
            }
        }
        return new Grads(dq, dk, dv);
    }

    // ---- shared test helpers ----

    static int[] seqStart(int... lengths) {
        int[] s = new int[lengths.length + 1];
        for (int i = 0; i < lengths.length; i++) s[i + 1] = s[i] + lengths[i];
        return s;
    }

    static float[] randomFloats(Random rnd, int n, double amplitude) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((rnd.nextDouble() * 2 - 1) * amplitude);
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

    /** Largest |actual - expected| over the first expected.length entries. */
    static double maxAbsDiff(float[] actual, double[] expected) {
        double m = 0;
        for (int i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(actual[i] - expected[i]));
        return m;
    }
}
