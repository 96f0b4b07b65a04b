package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pure-Java sgemm with the Vector API: packed, cache-blocked, with a register-tiled micro-kernel.
 *
 * <p>The loops follow the usual packed-GEMM structure: for each NC-wide column block and KC-deep slice
 * of K, op(B) is packed into NR-wide column slivers; for each MC-tall row block op(A) is packed into
 * MR-tall row slivers; then the micro-kernel computes one MR x NR tile of C from one A sliver and one B
 * sliver. Packing makes all four transpose cases read memory the same way, and pads edge slivers with
 * zeros so the micro-kernel only ever runs on full tiles (a partial tile is computed into a temporary
 * tile and copied out).
 *
 * <p>The micro-kernel keeps its MR x 2 accumulator vectors in local variables: C2 keeps those in
 * registers, whereas vectors kept in arrays, fields or passed to helpers that do not inline get boxed
 * (an earlier kernel that did so ran at 2.4 GFLOP/s; this one does 80+ on one AVX-512 core).
 *
 * <p>Problems with few rows (M <= {@link SkinnyGemm#MAX_M}, the decode shape) use each B element only
 * a few times, so packing B does not pay: with B transposed {@link SkinnyGemm} takes them, otherwise the
 * micro-kernel reads full-width B slivers in place.
 *
 * <p>Work is split over column slivers (or row slivers when M is the larger side) with
 * {@link Parallel#forRange}; every C element is summed in the same order (K in KC slices, each slice in
 * index order) whatever the split, so results are bitwise identical for any thread count.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Rows of C per micro-tile (one broadcast of A per row and k). */
    static final int MR = 6;
    /** Columns of C per micro-tile: two vectors. */
    static final int NR = 2 * VL;
    /**
     * Depth of a K slice: one B sliver (KC x NR, 32 KB with 16-float vectors) is reused by every row
     * sliver of the packed A block (MC x KC, 96 KB, in L2).
     */
    static final int KC = 256;
    /** Rows per packed A block (a multiple of MR), sized for L2 together with the B block. */
    static final int MC = 96;
    /** Columns per packed B block (a multiple of NR). */
    static final int NC = 1024;
    /** Below this many multiply-adds a call runs on the calling thread. */
    private static final long PARALLEL_MIN_FMAS = 1L << 18;

    private VectorGemm() {}

    /** Per-thread packing buffers, grown on demand and reused across calls. */
    private static final class Scratch {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** "java (Vector API, 16 floats per vector, 6x32 tiles)" for reports. */
    static String description() {
        return "java (Vector API, " + VL + " floats per vector, " + MR + "x" + NR + " tiles)";
    }

    /** Same contract as {@link Gemm#sgemm}; arguments are already validated, M, N, K > 0. */
    static void sgemm(boolean transA, boolean transB, int M, int N, int K, float alpha,
                      float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                      float beta, float[] C, int cOff, int ldc) {
        if (M <= SkinnyGemm.MAX_M && transB) {
            SkinnyGemm.sgemm(transA, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
            return;
        }
        // With only a few row slivers each B sliver is used a few times: packing B would cost more than
        // it saves, so the micro-kernel reads B rows in place.
        boolean directB = !transB && M <= SkinnyGemm.MAX_M;
        int colSlivers = (N + NR - 1) / NR;
        int rowSlivers = (M + MR - 1) / MR;
        if (!parallel(M, N, K)) {
            block(transA, transB, directB, 0, M, 0, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        } else if (colSlivers >= rowSlivers) {
            // Each chunk owns whole column slivers, so only the last chunk has a ragged edge.
            Parallel.forRange(colSlivers, (chunk, s0, s1) -> block(transA, transB, directB, 0, M,
                    s0 * NR, Math.min(N, s1 * NR), K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc));
        } else {
            Parallel.forRange(rowSlivers, (chunk, s0, s1) -> block(transA, transB, directB, s0 * MR,
                    Math.min(M, s1 * MR), 0, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc));
        }
    }

    /** Whether a problem is big enough to be worth handing to the worker threads. */
    static boolean parallel(int M, int N, int K) {
        return Parallel.threads() > 1 && (long) M * N * K >= PARALLEL_MIN_FMAS;
    }

    /**
     * Computes C[i0..i1, j0..j1) on the calling thread. With directB (only when B is not transposed)
     * full-width B slivers are read straight from B, row stride ldb, instead of from a packed copy.
     */
    private static void block(boolean transA, boolean transB, boolean directB, int i0, int i1, int j0, int j1,
                              int K, float alpha, float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                              float beta, float[] C, int cOff, int ldc) {
        Scratch scratch = SCRATCH.get();
        int ncMax = directB ? NR : Math.min(NC, roundUp(j1 - j0, NR));
        int kcMax = Math.min(KC, K);
        int mcMax = Math.min(MC, roundUp(i1 - i0, MR));
        if (scratch.packedB.length < ncMax * kcMax) scratch.packedB = new float[ncMax * kcMax];
        if (scratch.packedA.length < mcMax * kcMax) scratch.packedA = new float[mcMax * kcMax];
        float[] pa = scratch.packedA;
        float[] pb = scratch.packedB;
        float[] tile = scratch.tile;

        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < K; pc += KC) {
                int kc = Math.min(KC, K - pc);
                // The first K slice applies beta (or overwrites C when beta is 0); later ones accumulate.
                boolean overwrite = pc == 0 && beta == 0f;
                float sliceBeta = pc == 0 ? beta : 1f;
                if (!directB) packB(transB, B, bOff, ldb, pc, kc, jc, nc, pb);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(transA, A, aOff, lda, ic, mc, pc, kc, pa);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        float[] b = pb;
                        int bSliver = jr * kc;
                        int bStride = NR;
                        if (directB && nr == NR) {
                            b = B;
                            bSliver = bOff + pc * ldb + jc + jr;
                            bStride = ldb;
                        } else if (directB) { // ragged last sliver: pack it so reads stay inside B
                            packB(false, B, bOff, ldb, pc, kc, jc + jr, nr, pb);
                            bSliver = 0;
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int aSliver = ir * kc;
                            int c = cOff + (ic + ir) * ldc + jc + jr;
                            if (mr == MR && nr == NR) {
                                kernel(pa, aSliver, b, bSliver, bStride, kc, C, c, ldc, alpha, sliceBeta, overwrite);
                            } else {
                                kernel(pa, aSliver, b, bSliver, bStride, kc, tile, 0, NR, 1f, 0f, true);
                                mergeTile(tile, mr, nr, C, c, ldc, alpha, sliceBeta, overwrite);
                            }
                        }
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * Packs op(A)[ic..ic+mc, pc..pc+kc) into MR-row slivers: sliver s holds, for each k, the MR values
     * of rows s*MR.. at that k (rows past mc are zero).
     */
    private static void packA(boolean transA, float[] A, int aOff, int lda, int ic, int mc, int pc, int kc,
                              float[] pa) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = ir * kc;
            if (!transA) { // A[i, p] at aOff + i*lda + p: walk MR rows side by side
                int row = aOff + (ic + ir) * lda + pc;
                for (int r = 0; r < mr; r++) {
                    int src = row + r * lda;
                    for (int p = 0; p < kc; p++) pa[dst + p * MR + r] = A[src + p];
                }
            } else { // A stored [K, M]: A[i, p] at aOff + p*lda + i, MR contiguous values per k
                int col = aOff + pc * lda + ic + ir;
                for (int p = 0; p < kc; p++) {
                    int src = col + p * lda;
                    int d = dst + p * MR;
                    for (int r = 0; r < mr; r++) pa[d + r] = A[src + r];
                }
            }
            if (mr < MR) {
                for (int p = 0; p < kc; p++) {
                    for (int r = mr; r < MR; r++) pa[dst + p * MR + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs op(B)[pc..pc+kc, jc..jc+nc) into NR-column slivers: sliver s holds, for each k, the NR values
     * of columns s*NR.. at that k (columns past nc are zero).
     */
    private static void packB(boolean transB, float[] B, int bOff, int ldb, int pc, int kc, int jc, int nc,
                              float[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = jr * kc;
            if (!transB) { // B[p, j] at bOff + p*ldb + j: NR contiguous values per k
                int row = bOff + pc * ldb + jc + jr;
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(B, row + p * ldb, pb, dst + p * NR, nr);
                }
            } else { // B stored [N, K]: B[p, j] at bOff + j*ldb + p, walk NR rows of B side by side
                int col = bOff + (jc + jr) * ldb + pc;
                for (int c = 0; c < nr; c++) {
                    int src = col + c * ldb;
                    for (int p = 0; p < kc; p++) pb[dst + p * NR + c] = B[src + p];
                }
            }
            if (nr < NR) {
                for (int p = 0; p < kc; p++) {
                    java.util.Arrays.fill(pb, dst + p * NR + nr, dst + (p + 1) * NR, 0f);
                }
            }
        }
    }

    /**
     * Copies the valid mr x nr corner of a computed tile into C with the same float operations the
     * full-tile write-back uses, so edge elements round exactly like interior ones.
     */
    private static void mergeTile(float[] tile, int mr, int nr, float[] C, int c, int ldc,
                                  float alpha, float beta, boolean overwrite) {
        for (int r = 0; r < mr; r++) {
            int row = c + r * ldc;
            for (int j = 0; j < nr; j++) {
                float t = tile[r * NR + j];
                C[row + j] = overwrite ? alpha * t : alpha * t + beta * C[row + j];
            }
        }
    }

    /**
     * The MR x NR micro-kernel: acc = A sliver x B sliver over kc steps (B rows bStride apart), then
     * C = alpha*acc (overwrite) or C = alpha*acc + beta*C. All twelve accumulators are locals.
     */
    private static void kernel(float[] a, int ai, float[] b, int bi, int bStride, int kc, float[] c, int ci, int ldc,
                               float alpha, float beta, boolean overwrite) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + VL);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            ai += MR;
            bi += bStride;
        }
        if (overwrite) {
            c00.mul(alpha).intoArray(c, ci);
            c01.mul(alpha).intoArray(c, ci + VL);
            ci += ldc;
            c10.mul(alpha).intoArray(c, ci);
            c11.mul(alpha).intoArray(c, ci + VL);
            ci += ldc;
            c20.mul(alpha).intoArray(c, ci);
            c21.mul(alpha).intoArray(c, ci + VL);
            ci += ldc;
            c30.mul(alpha).intoArray(c, ci);
            c31.mul(alpha).intoArray(c, ci + VL);
            ci += ldc;
            c40.mul(alpha).intoArray(c, ci);
            c41.mul(alpha).intoArray(c, ci + VL);
            ci += ldc;
            c50.mul(alpha).intoArray(c, ci);
            c51.mul(alpha).intoArray(c, ci + VL);
        } else {
            c00.mul(alpha).add(FloatVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
            c01.mul(alpha).add(FloatVector.fromArray(S, c, ci + VL).mul(beta)).intoArray(c, ci + VL);
            ci += ldc;
            c10.mul(alpha).add(FloatVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
            c11.mul(alpha).add(FloatVector.fromArray(S, c, ci + VL).mul(beta)).intoArray(c, ci + VL);
            ci += ldc;
            c20.mul(alpha).add(FloatVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
            c21.mul(alpha).add(FloatVector.fromArray(S, c, ci + VL).mul(beta)).intoArray(c, ci + VL);
            ci += ldc;
            c30.mul(alpha).add(FloatVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
            c31.mul(alpha).add(FloatVector.fromArray(S, c, ci + VL).mul(beta)).intoArray(c, ci + VL);
            ci += ldc;
            c40.mul(alpha).add(FloatVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
            c41.mul(alpha).add(FloatVector.fromArray(S, c, ci + VL).mul(beta)).intoArray(c, ci + VL);
            ci += ldc;
            c50.mul(alpha).add(FloatVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
            c51.mul(alpha).add(FloatVector.fromArray(S, c, ci + VL).mul(beta)).intoArray(c, ci + VL);
        }
    }
}
