package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * sgemm for few rows of C with B transposed ({@code C = alpha * op(A) * B^T + beta * C}, M small): the
 * decode-time shape of a linear layer, x[M, in] times W[out, in]^T.
 *
 * <p>Here every element of B is used only M times, so the packed path would spend more time gathering
 * B into slivers than multiplying. Instead each C element is a dot product of two contiguous rows (a row
 * of A, packed once when A is transposed, and a row of B read in place), computed 2 rows of A x 4 rows
 * of B at a time so each loaded vector feeds several multiply-adds.
 *
 * <p>Every element is summed the same way whichever tile computes it: lane-wise fused multiply-adds over
 * the whole vectors of K, the lanes added in lane order, then the leftover K values in order. (No
 * {@code reduceLanes}: its order is unspecified and may differ between the interpreter and C2.) The
 * work split over groups of 4 B rows is fixed, so results do not depend on the thread count.
 */
final class SkinnyGemm {
    /** Largest M this path takes. */
    static final int MAX_M = 16;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** B rows per tile. */
    private static final int NB = 4;

    private SkinnyGemm() {}

    /** Per-thread buffers: the 8 accumulators' lanes, and A's rows when A is stored transposed. */
    private static final class Scratch {
        final float[] lanes = new float[2 * NB * VL];
        float[] rowsA = new float[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Same contract as {@link Gemm#sgemm} with transB; arguments validated, 0 < M <= MAX_M, N, K > 0. */
    static void sgemm(boolean transA, int M, int N, int K, float alpha, float[] A, int aOff, int lda,
                      float[] B, int bOff, int ldb, float beta, float[] C, int cOff, int ldc) {
        float[] rows = A;
        int rowsOff = aOff;
        int rowsLd = lda;
        if (transA) { // A is [K, M]: gather its M columns into contiguous rows once
            Scratch scratch = SCRATCH.get();
            if (scratch.rowsA.length < M * K) scratch.rowsA = new float[M * K];
            rows = scratch.rowsA;
            for (int p = 0; p < K; p++) {
                int src = aOff + p * lda;
                for (int i = 0; i < M; i++) rows[i * K + p] = A[src + i];
            }
            rowsOff = 0;
            rowsLd = K;
        }
        float[] a = rows;
        int ao = rowsOff;
        int ald = rowsLd;
        int groups = (N + NB - 1) / NB;
        if (VectorGemm.parallel(M, N, K)) {
            Parallel.forRange(groups, (chunk, g0, g1) -> columns(g0 * NB, Math.min(N, g1 * NB), M, K, alpha,
                    a, ao, ald, B, bOff, ldb, beta, C, cOff, ldc));
        } else {
            columns(0, N, M, K, alpha, a, ao, ald, B, bOff, ldb, beta, C, cOff, ldc);
        }
    }

    /** Computes columns [j0, j1) of C on the calling thread; A's rows are contiguous, ald apart. */
    private static void columns(int j0, int j1, int M, int K, float alpha, float[] a, int aOff, int ald,
                                float[] B, int bOff, int ldb, float beta, float[] C, int cOff, int ldc) {
        float[] lanes = SCRATCH.get().lanes;
        for (int j = j0; j < j1; j += NB) {
            int nb = Math.min(NB, j1 - j);
            // A ragged group repeats its last row of B; the extra results are dropped.
            int b0 = bOff + j * ldb;
            int b1 = bOff + (j + Math.min(1, nb - 1)) * ldb;
            int b2 = bOff + (j + Math.min(2, nb - 1)) * ldb;
            int b3 = bOff + (j + Math.min(3, nb - 1)) * ldb;
            for (int i = 0; i < M; i += 2) {
                int mb = Math.min(2, M - i);
                int a0 = aOff + i * ald;
                int a1 = aOff + (i + mb - 1) * ald;
                dot2x4(a, a0, a1, B, b0, b1, b2, b3, K, lanes);
                for (int r = 0; r < mb; r++) {
                    int ar = r == 0 ? a0 : a1;
                    for (int c = 0; c < nb; c++) {
                        int bc = c == 0 ? b0 : c == 1 ? b1 : c == 2 ? b2 : b3;
                        float sum = finish(lanes, (r * NB + c) * VL, a, ar, B, bc, K);
                        int ci = cOff + (i + r) * ldc + j + c;
                        C[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * C[ci];
                    }
                }
            }
        }
    }

    /** Adds an accumulator's lanes in lane order, then the K values past the last whole vector. */
    private static float finish(float[] lanes, int at, float[] a, int ar, float[] b, int bc, int K) {
        float sum = 0f;
        for (int l = 0; l < VL; l++) sum += lanes[at + l];
        for (int p = K - K % VL; p < K; p++) sum = Math.fma(a[ar + p], b[bc + p], sum);
        return sum;
    }

    /**
     * Lane-wise dot products of A rows a0, a1 with B rows b0..b3 over the whole vectors of K; the eight
     * accumulators (locals, so C2 keeps them in registers) are stored to lanes[(r*4 + c) * VL ..].
     */
    private static void dot2x4(float[] a, int a0, int a1, float[] b, int b0, int b1, int b2, int b3, int K,
                               float[] lanes) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S);
        FloatVector s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        int kv = K - K % VL;
        for (int p = 0; p < kv; p += VL) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector y = FloatVector.fromArray(S, b, b0 + p);
            s00 = x0.fma(y, s00);
            s10 = x1.fma(y, s10);
            y = FloatVector.fromArray(S, b, b1 + p);
            s01 = x0.fma(y, s01);
            s11 = x1.fma(y, s11);
            y = FloatVector.fromArray(S, b, b2 + p);
            s02 = x0.fma(y, s02);
            s12 = x1.fma(y, s12);
            y = FloatVector.fromArray(S, b, b3 + p);
            s03 = x0.fma(y, s03);
            s13 = x1.fma(y, s13);
        }
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, VL);
        s02.intoArray(lanes, 2 * VL);
        s03.intoArray(lanes, 3 * VL);
        s10.intoArray(lanes, 4 * VL);
        s11.intoArray(lanes, 5 * VL);
        s12.intoArray(lanes, 6 * VL);
        s13.intoArray(lanes, 7 * VL);
    }
}
