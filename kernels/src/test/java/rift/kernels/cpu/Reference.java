package rift.kernels.cpu;

import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Plain double-precision references for the CPU ops, and the small tools the op tests share
 * (random arrays, central finite differences, tolerance checks, thread-count switching).
 */
final class Reference {
    private Reference() {}

    // ---- references ----------------------------------------------------------------------------

    /** out = x / sqrt(mean(x^2) + eps) * w per row, all in double. */
    static double[] rmsNorm(double[] x, double[] w, int N, int D, double eps) {
        double[] out = new double[N * D];
        for (int n = 0; n < N; n++) {
            double ss = 0;
            for (int d = 0; d < D; d++) ss += x[n * D + d] * x[n * D + d];
            double r = 1 / Math.sqrt(ss / D + eps);
            for (int d = 0; d < D; d++) out[n * D + d] = x[n * D + d] * r * w[d];
        }
        return out;
    }

    static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    /** What the fused LM head computes, with the full [N, V] logits held in double. */
    record LmHeadOut(double[] logp, double[] entropy, int[] rank, double[][] logits) {}

    static LmHeadOut lmHead(double[] h, int N, int D, double[] normW, double eps, double[] W, int V, int[] targets) {
        double[] xn = rmsNorm(h, normW, N, D, eps);
        double[] logp = new double[N], entropy = new double[N];
        int[] rank = new int[N];
        double[][] logits = new double[N][V];
        for (int n = 0; n < N; n++) {
            double[] l = logits[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < V; j++) {
                double acc = 0;
                for (int d = 0; d < D; d++) acc += xn[n * D + d] * W[j * D + d];
                l[j] = acc;
                max = Math.max(max, acc);
            }
            double z = 0;
            for (int j = 0; j < V; j++) z += Math.exp(l[j] - max);
            double lse = max + Math.log(z);
            double h2 = 0;
            for (int j = 0; j < V; j++) {
                double lp = l[j] - lse;
                h2 -= Math.exp(lp) * lp;
            }
            entropy[n] = h2;
            int t = targets[n];
            if (t >= 0) {
                logp[n] = l[t] - lse;
                int above = 0;
                for (int j = 0; j < V; j++) if (l[j] > l[t]) above++;
                rank[n] = 1 + above;
            }
        }
        return new LmHeadOut(logp, entropy, rank, logits);
    }

    /** sum_n a[n] logp[n] (rows with a target) + b[n] entropy[n]: the loss whose gradient LmHead.backward gives. */
    static double lmHeadLoss(double[] h, int N, int D, double[] normW, double eps, double[] W, int V, int[] targets,
                             double[] a, double[] b) {
        LmHeadOut o = lmHead(h, N, D, normW, eps, W, V, targets);
        double loss = 0;
        for (int n = 0; n < N; n++) {
            if (targets[n] >= 0 && a != null) loss += a[n] * o.logp()[n];
            if (b != null) loss += b[n] * o.entropy()[n];
        }
        return loss;
    }

    // ---- tools ---------------------------------------------------------------------------------

    static float[] randn(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /**
     * Central finite differences of f with respect to every element of x (changed in place and
     * restored): grad[i] = (f(x + h e_i) - f(x - h e_i)) / 2h.
     */
    static double[] numericGrad(double[] x, DoubleSupplier f, double h) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = f.getAsDouble();
            x[i] = keep - h;
            double down = f.getAsDouble();
            x[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** |actual[i] - expected[i]| <= rel * max|expected| + abs for every i, with a message naming i. */
    static void assertClose(String what, double[] expected, float[] actual, double rel, double abs) {
        if (expected.length != actual.length) throw new AssertionError(what + ": length " + actual.length + " != " + expected.length);
        double tol = rel * maxAbs(expected) + abs;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= tol)) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + " got " + actual[i]
                        + " (|err| " + err + " > tol " + tol + ")");
            }
        }
    }

    /** actual - before, element-wise in double (what an accumulating backward added). */
    static float[] minus(float[] actual, float[] before) {
        float[] d = new float[actual.length];
        for (int i = 0; i < d.length; i++) d[i] = actual[i] - before[i];
        return d;
    }

    /** Runs body with the given thread count, restoring the previous count afterwards. */
    static <T> T withThreads(int threads, java.util.function.Supplier<T> body) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            return body.get();
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
