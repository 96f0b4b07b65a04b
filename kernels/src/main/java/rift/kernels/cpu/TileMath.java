package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked products of small padded tiles, the inner loops of the attention kernels.
 *
 * <p>Every product is an outer-product update: a scalar of A is broadcast and multiplied into a
 * full vector row of B, so no horizontal (cross-lane) reduction is ever needed. The vector dimension
 * (the columns of B and C) is always padded by the caller to a multiple of {@link #L}, so there is no
 * scalar tail here; each output lane sums its k terms in increasing k order with fused multiply-adds.
 */
final class TileMath {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = F.length();

    private TileMath() {}

    static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /**
     * Four rows of C (+)= A * B, summing k over [k0, k1):
     * {@code c[cOff + r*ldc + w] (+)= sum_k a[aOff + r*ars + k*aks] * b[bOff + k*ldb + w]} for r in 0..3
     * and w in [0, wVecs*L). A may be read transposed (ars = 1, aks = row length). With
     * {@code accumulate == false} the four C rows are overwritten.
     */
    static void rows4(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, int k0, int k1, int wVecs, boolean accumulate) {
        int c0 = cOff, c1 = cOff + ldc, c2 = cOff + 2 * ldc, c3 = cOff + 3 * ldc;
        int a0 = aOff, a1 = aOff + ars, a2 = aOff + 2 * ars, a3 = aOff + 3 * ars;
        int w = 0;
        for (; w + 2 <= wVecs; w += 2) {
            int x = w * L, y = x + L;
            FloatVector s00, s01, s10, s11, s20, s21, s30, s31;
            if (accumulate) {
                s00 = FloatVector.fromArray(F, c, c0 + x); s01 = FloatVector.fromArray(F, c, c0 + y);
                s10 = FloatVector.fromArray(F, c, c1 + x); s11 = FloatVector.fromArray(F, c, c1 + y);
                s20 = FloatVector.fromArray(F, c, c2 + x); s21 = FloatVector.fromArray(F, c, c2 + y);
                s30 = FloatVector.fromArray(F, c, c3 + x); s31 = FloatVector.fromArray(F, c, c3 + y);
            } else {
                s00 = s01 = s10 = s11 = s20 = s21 = s30 = s31 = FloatVector.zero(F);
            }
            for (int k = k0; k < k1; k++) {
                int bk = bOff + k * ldb;
                FloatVector b0 = FloatVector.fromArray(F, b, bk + x);
                FloatVector b1 = FloatVector.fromArray(F, b, bk + y);
                int ak = k * aks;
                FloatVector v0 = FloatVector.broadcast(F, a[a0 + ak]);
                s00 = b0.fma(v0, s00); s01 = b1.fma(v0, s01);
                FloatVector v1 = FloatVector.broadcast(F, a[a1 + ak]);
                s10 = b0.fma(v1, s10); s11 = b1.fma(v1, s11);
                FloatVector v2 = FloatVector.broadcast(F, a[a2 + ak]);
                s20 = b0.fma(v2, s20); s21 = b1.fma(v2, s21);
                FloatVector v3 = FloatVector.broadcast(F, a[a3 + ak]);
                s30 = b0.fma(v3, s30); s31 = b1.fma(v3, s31);
            }
            s00.intoArray(c, c0 + x); s01.intoArray(c, c0 + y);
            s10.intoArray(c, c1 + x); s11.intoArray(c, c1 + y);
            s20.intoArray(c, c2 + x); s21.intoArray(c, c2 + y);
            s30.intoArray(c, c3 + x); s31.intoArray(c, c3 + y);
        }
        if (w < wVecs) { // one vector column left
            int x = w * L;
            FloatVector s0, s1, s2, s3;
            if (accumulate) {
                s0 = FloatVector.fromArray(F, c, c0 + x); s1 = FloatVector.fromArray(F, c, c1 + x);
                s2 = FloatVector.fromArray(F, c, c2 + x); s3 = FloatVector.fromArray(F, c, c3 + x);
            } else {
                s0 = s1 = s2 = s3 = FloatVector.zero(F);
            }
            for (int k = k0; k < k1; k++) {
                FloatVector b0 = FloatVector.fromArray(F, b, bOff + k * ldb + x);
                int ak = k * aks;
                s0 = b0.fma(FloatVector.broadcast(F, a[a0 + ak]), s0);
                s1 = b0.fma(FloatVector.broadcast(F, a[a1 + ak]), s1);
                s2 = b0.fma(FloatVector.broadcast(F, a[a2 + ak]), s2);
                s3 = b0.fma(FloatVector.broadcast(F, a[a3 + ak]), s3);
            }
            s0.intoArray(c, c0 + x); s1.intoArray(c, c1 + x);
            s2.intoArray(c, c2 + x); s3.intoArray(c, c3 + x);
        }
    }

    /** x[off .. off+n) *= s, n a multiple of L. */
    static void scaleRow(float[] x, int off, int n, float s) {
        for (int i = 0; i < n; i += L) FloatVector.fromArray(F, x, off + i).mul(s).intoArray(x, off + i);
    }

    /** Dot product of a[aOff ..] and b[bOff ..] over n elements (vector body, scalar tail). */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (; i + L <= n; i += L) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < n; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
        return s;
    }

    /** y[yOff ..] += alpha * x[xOff ..] over n elements (vector body, scalar tail). */
    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(F, alpha);
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
}
