package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
    /**
     * Whether to use 4 x 4-vector register blocks: 512-bit vectors mean AVX-512 (32 vector registers);
     * with 16 registers (AVX2, NEON-sized) 16 accumulators would spill, so 4 x 2 blocks are used.
     * -Drift.attention.wide=false forces the narrow blocks (for comparisons).
     */
    static final boolean WIDE_BLOCKS = F.vectorBitSize() >= 512
            && !"false".equals(System.getProperty("rift.attention.wide"));

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
        if (WIDE_BLOCKS) {
            for (; w + 4 <= wVecs; w += 4) rows4x4(a, a0, a1, a2, a3, aks, b, bOff, ldb, c, c0, c1, c2, c3, k0, k1, w * L, accumulate);
        }
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

    /** 4 rows x 4 vectors of C: 16 accumulators, which only fit the 32 registers of AVX-512. */
    private static void rows4x4(float[] a, int a0, int a1, int a2, int a3, int aks, float[] b, int bOff, int ldb,
                                float[] c, int c0, int c1, int c2, int c3, int k0, int k1, int x, boolean accumulate) {
        int x1 = x + L, x2 = x + 2 * L, x3 = x + 3 * L;
        FloatVector s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33;
        if (accumulate) {
            s00 = FloatVector.fromArray(F, c, c0 + x); s01 = FloatVector.fromArray(F, c, c0 + x1);
            s02 = FloatVector.fromArray(F, c, c0 + x2); s03 = FloatVector.fromArray(F, c, c0 + x3);
            s10 = FloatVector.fromArray(F, c, c1 + x); s11 = FloatVector.fromArray(F, c, c1 + x1);
            s12 = FloatVector.fromArray(F, c, c1 + x2); s13 = FloatVector.fromArray(F, c, c1 + x3);
            s20 = FloatVector.fromArray(F, c, c2 + x); s21 = FloatVector.fromArray(F, c, c2 + x1);
            s22 = FloatVector.fromArray(F, c, c2 + x2); s23 = FloatVector.fromArray(F, c, c2 + x3);
            s30 = FloatVector.fromArray(F, c, c3 + x); s31 = FloatVector.fromArray(F, c, c3 + x1);
            s32 = FloatVector.fromArray(F, c, c3 + x2); s33 = FloatVector.fromArray(F, c, c3 + x3);
        } else {
            s00 = s01 = s02 = s03 = s10 = s11 = s12 = s13 = FloatVector.zero(F);
            s20 = s21 = s22 = s23 = s30 = s31 = s32 = s33 = FloatVector.zero(F);
        }
        for (int k = k0; k < k1; k++) {
            int bk = bOff + k * ldb;
            FloatVector b0 = FloatVector.fromArray(F, b, bk + x), b1 = FloatVector.fromArray(F, b, bk + x1);
            FloatVector b2 = FloatVector.fromArray(F, b, bk + x2), b3 = FloatVector.fromArray(F, b, bk + x3);
            int ak = k * aks;
            FloatVector v = FloatVector.broadcast(F, a[a0 + ak]);
            s00 = b0.fma(v, s00); s01 = b1.fma(v, s01); s02 = b2.fma(v, s02); s03 = b3.fma(v, s03);
            v = FloatVector.broadcast(F, a[a1 + ak]);
            s10 = b0.fma(v, s10); s11 = b1.fma(v, s11); s12 = b2.fma(v, s12); s13 = b3.fma(v, s13);
            v = FloatVector.broadcast(F, a[a2 + ak]);
            s20 = b0.fma(v, s20); s21 = b1.fma(v, s21); s22 = b2.fma(v, s22); s23 = b3.fma(v, s23);
            v = FloatVector.broadcast(F, a[a3 + ak]);
            s30 = b0.fma(v, s30); s31 = b1.fma(v, s31); s32 = b2.fma(v, s32); s33 = b3.fma(v, s33);
        }
        s00.intoArray(c, c0 + x); s01.intoArray(c, c0 + x1); s02.intoArray(c, c0 + x2); s03.intoArray(c, c0 + x3);
        s10.intoArray(c, c1 + x); s11.intoArray(c, c1 + x1); s12.intoArray(c, c1 + x2); s13.intoArray(c, c1 + x3);
        s20.intoArray(c, c2 + x); s21.intoArray(c, c2 + x1); s22.intoArray(c, c2 + x2); s23.intoArray(c, c2 + x3);
        s30.intoArray(c, c3 + x); s31.intoArray(c, c3 + x1); s32.intoArray(c, c3 + x2); s33.intoArray(c, c3 + x3);
    }

    private static final float EXP_LO = -87.33654f;  // below: exp underflows to (sub)normal; 0 is returned
    private static final float EXP_HI = 88.0f;       // above: the power of two would overflow; clamped
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;      // ln 2 split so that n * LN2_HI is exact
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND_MAGIC = 12582912f;    // 1.5 * 2^23: adding it rounds to an integer
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);

    /**
     * e^x lane by lane in plain float arithmetic (Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, the
     * Cephes polynomial for e^r, then scaling by 2^n through the exponent bits); within a few ulp (see
     * TileMathTest) for x in [-87.3, 88], 0 below and e^88 above. It replaces {@code lanewise(EXP)}, which is 3x slower here and needs a native math library
     * that not every platform has; being plain arithmetic it also gives the same bits on every machine.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.min(EXP_HI).max(EXP_LO);
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);       // n + 1.5 * 2^23 with n = round(x / ln 2)
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), xc); // x - n ln2, in two steps
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(EXP_C0, EXP_C1);
        p = p.fma(r, FloatVector.broadcast(F, EXP_C2));
        p = p.fma(r, FloatVector.broadcast(F, EXP_C3));
        p = p.fma(r, FloatVector.broadcast(F, EXP_C4));
        p = p.fma(r, FloatVector.broadcast(F, EXP_C5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);        // e^r = 1 + r + r^2 p(r)
        // 2^n: the low bits of t hold n; move n + 127 into the exponent field
        FloatVector pow2 = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return y.mul(pow2).blend(0f, x.lt(EXP_LO));
    }

    // Cephes expf polynomial coefficients for e^r - 1 - r = r^2 (C0 r^5 + ... + C5)
    private static final float EXP_C0 = 1.9875691500E-4f;
    private static final float EXP_C1 = 1.3981999507E-3f;
    private static final float EXP_C2 = 8.3334519073E-3f;
    private static final float EXP_C3 = 4.1665795894E-2f;
    private static final float EXP_C4 = 1.6666665459E-1f;
    private static final float EXP_C5 = 5.0000001201E-1f;

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
        float s = VecMath.sumLanes(acc); // fixed lane order: reduceLanes(ADD) may round differently in C2 and the interpreter
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
