package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RmsNormTest {
    @Test
    void forwardMatchesDoubleReference() {
        Random r = new Random(20);
        int N = 33, D = 67; // D not a multiple of the vector width
        float[] x = Reference.randn(r, N * D, 2), w = Reference.randn(r, D, 1);
        float[] out = new float[N * D], rstd = new float[N];
        RmsNorm.forward(out, rstd, x, w, N, D, 1e-6f);
        double[] ref = Reference.rmsNorm(Reference.toDouble(x), Reference.toDouble(w), N, D, 1e-6);
        Reference.assertClose("out", ref, out, 1e-6, 0);
        for (int n = 0; n < N; n++) {
            double ss = 0;
            for (int d = 0; d < D; d++) ss += (double) x[n * D + d] * x[n * D + d];
            assertEquals(1 / Math.sqrt(ss / D + 1e-6), rstd[n], 1e-6 / Math.sqrt(ss / D), "rstd " + n);
        }
    }

    /** transformers in float32: var = float(mean(x^2)); rstd = rsqrt(var + eps); out = w * float(x * rstd). */
    @Test
    void forwardRoundsLikeTransformersFloat32() {
        Random r = new Random(21);
        int N = 8, D = 128;
        float[] x = Reference.randn(r, N * D, 1), w = Reference.randn(r, D, 1);
        float eps = 1e-6f;
        float[] out = new float[N * D], rstd = new float[N];
        RmsNorm.forward(out, rstd, x, w, N, D, eps);
        for (int n = 0; n < N; n++) {
            java.math.BigDecimal ss = java.math.BigDecimal.ZERO; // the exact sum of squares
            for (int d = 0; d < D; d++) {
                java.math.BigDecimal v = new java.math.BigDecimal(x[n * D + d]);
                ss = ss.add(v.multiply(v));
            }
            float variance = ss.divide(java.math.BigDecimal.valueOf(D), java.math.MathContext.DECIMAL128).floatValue();
            float want = (float) (1 / Math.sqrt(variance + eps));
            assertEquals(want, rstd[n], "rstd " + n);
            for (int d = 0; d < D; d++) assertEquals(w[d] * (x[n * D + d] * want), out[n * D + d], "out " + n + "," + d);
        }
    }

    @Test
    void backwardMatchesFiniteDifferencesAndAccumulates() {
        Random r = new Random(22);
        int N = 5, D = 19;
        double eps = 1e-5;
        float[] x = Reference.randn(r, N * D, 1), w = Reference.randn(r, D, 1), dout = Reference.randn(r, N * D, 1);
        double[] xd = Reference.toDouble(x), wd = Reference.toDouble(w);
        java.util.function.DoubleSupplier loss = () -> {
            double[] o = Reference.rmsNorm(xd, wd, N, D, eps);
            double l = 0;
            for (int i = 0; i < o.length; i++) l += dout[i] * o[i];
            return l;
        };
        double[] dxNum = Reference.numericGrad(xd, loss, 1e-5);
        double[] dwNum = Reference.numericGrad(wd, loss, 1e-5);

        float[] out = new float[N * D], rstd = new float[N];
        RmsNorm.forward(out, rstd, x, w, N, D, (float) eps);
        float[] dx0 = Reference.randn(r, N * D, 0.5), dw0 = Reference.randn(r, D, 0.5);
        float[] dx = dx0.clone(), dw = dw0.clone();
        RmsNorm.backward(dx, dw, dout, x, w, rstd, N, D);
        Reference.assertClose("dx", dxNum, Reference.minus(dx, dx0), 2e-5, 1e-6);
        Reference.assertClose("dw", dwNum, Reference.minus(dw, dw0), 2e-5, 1e-6);
    }

    @Test
    void deterministicOnRepeatFor1And2Threads() {
        Random r = new Random(23);
        int N = 700, D = 96; // enough rows for two chunks
        float[] x = Reference.randn(r, N * D, 1), w = Reference.randn(r, D, 1), dout = Reference.randn(r, N * D, 1);
        for (int threads : new int[] {1, 2}) {
            float[][] a = Reference.withThreads(threads, () -> run(x, w, dout, N, D));
            float[][] b = Reference.withThreads(threads, () -> run(x, w, dout, N, D));
            for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], "output " + i + ", threads=" + threads);
        }
        assertEquals(2, Reference.withThreads(2, () -> Parallel.parts(N, RmsNorm.rowGrain(D))), "the test must split the rows");
    }

    private static float[][] run(float[] x, float[] w, float[] dout, int N, int D) {
        float[] out = new float[N * D], rstd = new float[N], dx = new float[N * D], dw = new float[D];
        RmsNorm.forward(out, rstd, x, w, N, D, 1e-6f);
        RmsNorm.backward(dx, dw, dout, x, w, rstd, N, D);
        return new float[][] {out, rstd, dx, dw};
    }
}
