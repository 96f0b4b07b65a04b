package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * RMSNorm as in Llama/Qwen: out = x / sqrt(mean(x^2) + eps) * w, statistics in float (accumulated in
 * double where it matters for exactness). Also used per head for Qwen3's q_norm/k_norm with
 * N = tokens * heads and D = head_dim. Backward ops accumulate (+=).
 *
 * <p>The rounding follows transformers' Qwen3RMSNorm/LlamaRMSNorm in float32: variance = mean(x^2)
 * rounded to float (summed here in double, so it is the correctly rounded mean up to one double
 * rounding), rstd = rsqrt(variance + eps) with the float add, then out = w * float(x * rstd).
 */
public final class RmsNorm {
    private static final int FL = VecMath.FL;

    private RmsNorm() {}

    /** Rows per parallel chunk at least, scaled so that a chunk holds some 16k elements. */
    static int rowGrain(int D) {
        return Math.max(1, (1 << 14) / Math.max(1, D));
    }

    /** x, out [N, D]; w [D]; rstd [N] receives 1/sqrt(mean(x^2)+eps) for backward. out must not alias x. */
    public static void forward(float[] out, float[] rstd, float[] x, float[] w, int N, int D, float eps) {
        check(x, w, N, D);
        Vec.checkLength("out", out, 0, N * D);
        Vec.checkLength("rstd", rstd, 0, N);
        int vecEnd = VecMath.FS.loopBound(D);
        Parallel.forRange(N, rowGrain(D), (c, s, e) -> {
            for (int n = s; n < e; n++) {
                int o = n * D;
                float r = rstd(x, o, D, eps);
                rstd[n] = r;
                int d = 0;
                for (; d < vecEnd; d += FL) {
                    FloatVector.fromArray(VecMath.FS, x, o + d).mul(r)
                            .mul(FloatVector.fromArray(VecMath.FS, w, d)).intoArray(out, o + d);
                }
                for (; d < D; d++) out[o + d] = (x[o + d] * r) * w[d];
            }
        });
    }

    /** 1 / sqrt(float(mean(x^2)) + eps) for one row, rounded as transformers does in float32. */
    static float rstd(float[] x, int off, int D, float eps) {
        float variance = (float) (VecMath.sumSquares(x, off, D) / D);
        return (float) (1.0 / Math.sqrt(variance + eps));
    }

    /**
     * dx [N, D] += d/dx; dw [D] += d/dw (per-chunk partials added in chunk order: deterministic).
     * dx = rstd * (w*dout - x * rstd^2 * mean(w*dout*x)); dw += sum_n dout * x * rstd.
     */
    public static void backward(float[] dx, float[] dw, float[] dout, float[] x, float[] w, float[] rstd, int N, int D) {
        check(x, w, N, D);
        Vec.checkLength("dx", dx, 0, N * D);
        Vec.checkLength("dw", dw, 0, D);
        Vec.checkLength("dout", dout, 0, N * D);
        Vec.checkLength("rstd", rstd, 0, N);
        int grain = rowGrain(D);
        int parts = Parallel.parts(N, grain);
        float[][] dwPartial = new float[parts][D];
        int vecEnd = VecMath.FS.loopBound(D);
        Parallel.forRange(N, grain, (c, s, e) -> {
            float[] dwp = dwPartial[c];
            for (int n = s; n < e; n++) {
                int o = n * D;
                float r = rstd[n];
                FloatVector rV = FloatVector.broadcast(VecMath.FS, r);
                // mean over the row of w * dout * x, and the dw partial sum_n dout * x * r
                FloatVector acc = FloatVector.zero(VecMath.FS);
                int d = 0;
                for (; d < vecEnd; d += FL) {
                    FloatVector g = FloatVector.fromArray(VecMath.FS, dout, o + d);
                    FloatVector xv = FloatVector.fromArray(VecMath.FS, x, o + d);
                    FloatVector gx = g.mul(xv);
                    acc = gx.fma(FloatVector.fromArray(VecMath.FS, w, d), acc);
                    gx.fma(rV, FloatVector.fromArray(VecMath.FS, dwp, d)).intoArray(dwp, d);
                }
                float dot = VecMath.sumLanes(acc);
                for (; d < D; d++) {
                    float gx = dout[o + d] * x[o + d];
                    dot = Math.fma(gx, w[d], dot);
                    dwp[d] = Math.fma(gx, r, dwp[d]);
                }
                float coef = r * r * (dot / D); // rstd^2 * mean(w * dout * x)
                d = 0;
                for (; d < vecEnd; d += FL) {
                    FloatVector wg = FloatVector.fromArray(VecMath.FS, w, d).mul(FloatVector.fromArray(VecMath.FS, dout, o + d));
                    FloatVector t = FloatVector.fromArray(VecMath.FS, x, o + d).mul(-coef).add(wg);
                    t.fma(rV, FloatVector.fromArray(VecMath.FS, dx, o + d)).intoArray(dx, o + d);
                }
                for (; d < D; d++) {
                    float t = x[o + d] * -coef + w[d] * dout[o + d];
                    dx[o + d] = Math.fma(t, r, dx[o + d]);
                }
            }
        });
        for (float[] dwp : dwPartial) {
            int d = 0;
            for (; d < vecEnd; d += FL) {
                FloatVector.fromArray(VecMath.FS, dw, d).add(FloatVector.fromArray(VecMath.FS, dwp, d)).intoArray(dw, d);
            }
            for (; d < D; d++) dw[d] += dwp[d];
        }
    }

    private static void check(float[] x, float[] w, int N, int D) {
        if (N < 0 || D <= 0) throw new IllegalArgumentException("bad shape N=" + N + " D=" + D);
        Vec.checkLength("x", x, 0, N * D);
        Vec.checkLength("w", w, 0, D);
    }
}
