package rift.kernels.cpu;

import static rift.kernels.cpu.TileMath.F;
import static rift.kernels.cpu.TileMath.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The backward pass of {@link Attention}, FlashAttention-2 style: probabilities are recomputed tile by
 * tile from the saved log-sum-exp, P = exp(scale * q.k - lse), and with D_i = rowsum(dO_i * O_i):
 * dV += P^T dO, dP = dO V^T, dS = scale * P * (dP - D), dQ += dS K, dK += dS^T Q.
 *
 * <p>One work item is (sequence, kv head): it owns the dk/dv rows of that head and the dq rows of all
 * query heads that read it, so items never write the same element. Inside an item the loops run over
 * query heads, then query tiles, then key tiles up to the diagonal, always in the same order: a query
 * tile's dQ is summed in scratch over its key tiles, the sequence's dK and dV in a per-item [T, hd]
 * scratch over all heads and query tiles, and each is added to the caller's array once at the end.
 * So the bits do not depend on the thread count.
 */
final class AttentionBackward {
    /** Query rows per tile (a multiple of 4). */
    static final int BQ = TileMath.roundUp(Math.max(4, Integer.getInteger("rift.attention.bq", 64)), 4);
    /** Keys per tile: 64 keeps the two [BQ, BK] score tiles (P and dS) within a 32 KiB L1 together. */
    static final int BK = TileMath.roundUp(Math.max(4, Integer.getInteger("rift.attention.bwd.bk", 64)), Math.max(4, L));

    private AttentionBackward() {}

    private static final class Scratch {
        final float[] qs, dos;  // [BQ, hdPad] query rows and output-gradient rows of the tile
        final float[] p, ds;    // [BQ, BK] probabilities; dP, then dS
        final float[] dqa;      // [BQ, hdPad] dQ of the query tile, summed over key tiles
        final float[] dka, dva; // [maxT, hdPad] dK, dV of the sequence, summed over heads and query tiles
        final float[] rowLse = new float[BQ], rowD = new float[BQ];

        Scratch(int hdPad, int maxT) {
            qs = new float[BQ * hdPad];
            dos = new float[BQ * hdPad];
            p = new float[BQ * BK];
            ds = new float[BQ * BK];
            dqa = new float[BQ * hdPad];
            dka = new float[maxT * hdPad];
            dva = new float[maxT * hdPad];
        }
    }

    /**
     * Operands shared by all items: keys and values transposed [Hkv, hd, tStride] (for scores and dP),
     * keys padded [N, Hkv, hdPad] (for dQ), and D [N, Hq].
     */
    private record Shared(float[] kt, float[] vt, int tStride, float[] kp, float[] dRow, int hd, int hdPad,
                          int Hq, int Hkv, float scale) {}

    static void run(float[] dq, float[] dk, float[] dv, float[] dout, float[] out, float[] lse,
                    float[] q, float[] k, float[] v, int[] seqStart, int Hq, int Hkv, int hd, float scale) {
        int S = seqStart.length - 1;
        int n = seqStart[S];
        int items = S * Hkv;
        long[] cost = new long[items];
        int maxT = 0;
        for (int s = 0; s < S; s++) {
            long t = seqStart[s + 1] - seqStart[s];
            maxT = Math.max(maxT, (int) t);
            for (int g = 0; g < Hkv; g++) cost[s * Hkv + g] = t * (t + BQ) + 1;
        }
        if (maxT == 0) return;
        int hdPad = AttentionOperands.paddedWidth(hd);
        Shared sh = new Shared(AttentionOperands.transpose(k, n, Hkv, hd), AttentionOperands.transpose(v, n, Hkv, hd),
                AttentionOperands.transposedStride(n), AttentionOperands.padded(k, n, Hkv, hd),
                rowDots(dout, out, seqStart[0], n, Hq, hd), hd, hdPad, Hq, Hkv, scale);
        int group = Hq / Hkv, scratchT = TileMath.roundUp(maxT, 4);
        WorkSplit.run(cost, () -> new Scratch(hdPad, scratchT), (item, sc) -> {
            int s = item / Hkv, g = item % Hkv;
            int s0 = seqStart[s], s1 = seqStart[s + 1];
            if (s1 == s0) return;
            java.util.Arrays.fill(sc.dka, 0, TileMath.roundUp(s1 - s0, 4) * hdPad, 0f);
            java.util.Arrays.fill(sc.dva, 0, TileMath.roundUp(s1 - s0, 4) * hdPad, 0f);
            for (int h = g * group; h < (g + 1) * group; h++) {
                for (int i0 = s0; i0 < s1; i0 += BQ) queryTile(sc, sh, dq, dout, lse, q, s0, i0, Math.min(BQ, s1 - i0), h, g);
            }
            for (int j = s0; j < s1; j++) {
                int dst = (j * Hkv + g) * hd, src = (j - s0) * hdPad;
                for (int d = 0; d < hd; d++) {
                    dk[dst + d] += sc.dka[src + d];
                    dv[dst + d] += sc.dva[src + d];
                }
            }
        });
    }

    /** D[n, h] = sum_d dout[n, h, d] * out[n, h, d] (double sum), for rows [n0, n1). */
    private static float[] rowDots(float[] dout, float[] out, int n0, int n1, int Hq, int hd) {
        float[] d = new float[n1 * Hq];
        Parallel.forRange((n1 - n0) * Hq, 256, (chunk, a, b) -> {
            for (int i = n0 * Hq + a; i < n0 * Hq + b; i++) {
                double s = 0;
                for (int e = 0; e < hd; e++) s += (double) dout[i * hd + e] * out[i * hd + e];
                d[i] = (float) s;
            }
        });
        return d;
    }

    /** Query rows i0 .. i0+rows-1 of head h against all key tiles up to their diagonal. */
    private static void queryTile(Scratch sc, Shared sh, float[] dq, float[] dout, float[] lse, float[] q,
                                  int s0, int i0, int rows, int h, int g) {
        int hd = sh.hd(), hdPad = sh.hdPad(), hdVecs = hdPad / L, Hq = sh.Hq(), ts = sh.tStride();
        int kpStride = sh.Hkv() * hdPad;
        float[] qs = sc.qs, dos = sc.dos, p = sc.p, ds = sc.ds, dqa = sc.dqa;
        for (int r = 0; r < rows; r++) {
            int src = ((i0 + r) * Hq + h) * hd;
            System.arraycopy(q, src, qs, r * hdPad, hd);
            System.arraycopy(dout, src, dos, r * hdPad, hd);
            sc.rowLse[r] = lse[(i0 + r) * Hq + h];
            sc.rowD[r] = sh.dRow()[(i0 + r) * Hq + h];
        }
        java.util.Arrays.fill(dqa, 0, TileMath.roundUp(rows, 4) * hdPad, 0f);
        int lastKey = i0 + rows - 1;
        int ktOff = g * hd * ts, kpOff = g * hdPad;
        for (int j0 = s0; j0 <= lastKey; j0 += BK) {
            int tileKeys = Math.min(BK, lastKey - j0 + 1);
            for (int rb = 0; rb < rows; rb += 4) {
                int blockKeys = Math.min(tileKeys, i0 + rb + 4 - j0);
                if (blockKeys <= 0) { // the whole block is above the diagonal
                    java.util.Arrays.fill(p, rb * BK, (rb + 4) * BK, 0f);
                    java.util.Arrays.fill(ds, rb * BK, (rb + 4) * BK, 0f);
                    continue;
                }
                int wVecs = (blockKeys + L - 1) / L; // may run past blockKeys; gradRow masks those lanes
                TileMath.rows4(qs, rb * hdPad, hdPad, 1, sh.kt(), ktOff + j0, ts, p, rb * BK, BK, 0, hd, wVecs, false);
                TileMath.rows4(dos, rb * hdPad, hdPad, 1, sh.vt(), ktOff + j0, ts, ds, rb * BK, BK, 0, hd, wVecs, false);
                for (int r = rb; r < rb + 4; r++) {
                    int valid = r < rows ? Math.min(i0 + r - j0 + 1, blockKeys) : 0;
                    gradRow(p, ds, r, valid, wVecs, sh.scale(), sc.rowLse[r], sc.rowD[r]);
                }
                TileMath.rows4(ds, rb * BK, BK, 1, sh.kp(), j0 * kpStride + kpOff, kpStride,
                        dqa, rb * hdPad, hdPad, 0, blockKeys, hdVecs, true);
            }
            for (int jb = 0; jb < tileKeys; jb += 4) {
                int first = Math.max(0, j0 + jb - i0); // query rows before the key block's first key see none of it
                int dst = (j0 - s0 + jb) * hdPad;
                TileMath.rows4(p, jb, 1, BK, dos, 0, hdPad, sc.dva, dst, hdPad, first, rows, hdVecs, true);
                TileMath.rows4(ds, jb, 1, BK, qs, 0, hdPad, sc.dka, dst, hdPad, first, rows, hdVecs, true);
            }
        }
        for (int r = 0; r < rows; r++) {
            int dst = ((i0 + r) * Hq + h) * hd;
            for (int d = 0; d < hd; d++) dq[dst + d] += dqa[r * hdPad + d];
        }
    }

    /**
     * Row r: p = exp(scale * score - lse) over its first {@code valid} keys, 0 elsewhere in the whole
     * BK-wide row (later steps read the row transposed); ds = scale * p * (dP - D).
     */
    private static void gradRow(float[] p, float[] ds, int r, int valid, int wVecs, float scale, float lse, float dRow) {
        int base = r * BK;
        int w = 0;
        if (valid > 0) {
            FloatVector vs = FloatVector.broadcast(F, scale), vl = FloatVector.broadcast(F, -lse);
            FloatVector vd = FloatVector.broadcast(F, dRow);
            for (; w < wVecs; w++) {
                int o = base + w * L;
                FloatVector e = TileMath.exp(FloatVector.fromArray(F, p, o).fma(vs, vl));
                if ((w + 1) * L > valid) e = e.blend(0f, F.indexInRange(w * L, valid).not());
                e.intoArray(p, o);
                e.mul(FloatVector.fromArray(F, ds, o).sub(vd)).mul(vs).intoArray(ds, o);
            }
        }
        java.util.Arrays.fill(p, base + w * L, base + BK, 0f);
        java.util.Arrays.fill(ds, base + w * L, base + BK, 0f);
    }
}
