package rift.kernels.cpu;

import static rift.kernels.cpu.TileMath.F;
import static rift.kernels.cpu.TileMath.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The backward pass of {@link Attention}, FlashAttention-2 style: probabilities are recomputed tile by
 * tile from the saved log-sum-exp, P = exp(scale * q.k - lse), and with D_i = rowsum(dO_i * O_i):
 * dV += P^T dO, dP = dO V^T, dS = scale * P * (dP - D), dQ += dS K, dK += dS^T Q.
 *
 * <p>One work item is (sequence, kv head): it owns the dk/dv rows of that head and the dq rows of all
 * query heads that read it, so items never write the same element. Inside an item, key tiles are the
 * outer loop (their dK, dV stay in scratch until the tile is done), then query heads, then query tiles,
 * always in the same order, so the sums are the same bits whatever the thread count.
 */
final class AttentionBackward {
    static final int BQ = AttentionForward.BQ;
    static final int BK = AttentionForward.BK;

    private AttentionBackward() {}

    private static final class Scratch {
        final int hdPad;
        final float[] qs, dos;  // [BQ, hdPad] query rows and output-gradient rows
        final float[] kt, vt;   // [hd, BK] key and value tiles, transposed (scores vectorise over keys)
        final float[] ks;       // [BK, hdPad] key tile (dQ vectorises over hd)
        final float[] p, ds;    // [BQ, BK] probabilities, then dP and dS
        final float[] dqt;      // [BQ, hdPad] dQ contribution of one (query tile, key tile) pair
        final float[] dka, dva; // [BK, hdPad] dK, dV of the key tile, summed over heads and query tiles
        final float[] rowLse = new float[BQ], rowD = new float[BQ];

        Scratch(int hd) {
            hdPad = TileMath.roundUp(hd, L);
            qs = new float[BQ * hdPad];
            dos = new float[BQ * hdPad];
            kt = new float[hd * BK];
            vt = new float[hd * BK];
            ks = new float[BK * hdPad];
            p = new float[BQ * BK];
            ds = new float[BQ * BK];
            dqt = new float[BQ * hdPad];
            dka = new float[BK * hdPad];
            dva = new float[BK * hdPad];
        }
    }

    static void run(float[] dq, float[] dk, float[] dv, float[] dout, float[] out, float[] lse,
                    float[] q, float[] k, float[] v, int[] seqStart, int Hq, int Hkv, int hd, float scale) {
        int S = seqStart.length - 1;
        int N = seqStart[S];
        float[] dRow = rowDots(dout, out, seqStart[0], N, Hq, hd);
        int items = S * Hkv;
        long[] cost = new long[items];
        for (int s = 0; s < S; s++) {
            long t = seqStart[s + 1] - seqStart[s];
            for (int g = 0; g < Hkv; g++) cost[s * Hkv + g] = t * (t + BQ) + 1;
        }
        int group = Hq / Hkv;
        WorkSplit.run(cost, () -> new Scratch(hd), (item, sc) -> {
            int s = item / Hkv, g = item % Hkv;
            int s0 = seqStart[s], s1 = seqStart[s + 1];
            for (int j0 = s0; j0 < s1; j0 += BK) {
                keyTile(sc, dq, dk, dv, dout, lse, dRow, q, k, v, s0, s1, j0, g, group, Hq, Hkv, hd, scale);
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

    private static void keyTile(Scratch sc, float[] dq, float[] dk, float[] dv, float[] dout, float[] lse,
                                float[] dRow, float[] q, float[] k, float[] v, int s0, int s1, int j0, int g,
                                int group, int Hq, int Hkv, int hd, float scale) {
        int hdPad = sc.hdPad;
        int keys = Math.min(BK, s1 - j0);
        int keyBlocks = TileMath.roundUp(keys, 4);
        loadKeyTile(sc, k, v, j0, keys, g, Hkv, hd);
        java.util.Arrays.fill(sc.dka, 0, keyBlocks * hdPad, 0f);
        java.util.Arrays.fill(sc.dva, 0, keyBlocks * hdPad, 0f);
        int firstTile = s0 + (j0 - s0) / BQ * BQ; // the query tile holding row j0; earlier rows never see these keys
        for (int h = g * group; h < (g + 1) * group; h++) {
            for (int i0 = firstTile; i0 < s1; i0 += BQ) {
                pair(sc, dq, dout, lse, dRow, q, i0, Math.min(BQ, s1 - i0), j0, keys, h, Hq, hd, scale);
            }
        }
        for (int j = 0; j < keys; j++) {
            int dst = ((j0 + j) * Hkv + g) * hd;
            for (int d = 0; d < hd; d++) {
                dk[dst + d] += sc.dka[j * hdPad + d];
                dv[dst + d] += sc.dva[j * hdPad + d];
            }
        }
    }

    private static void loadKeyTile(Scratch sc, float[] k, float[] v, int j0, int keys, int g, int Hkv, int hd) {
        int hdPad = sc.hdPad, padded = TileMath.roundUp(keys, L);
        for (int j = 0; j < keys; j++) {
            int src = ((j0 + j) * Hkv + g) * hd;
            for (int d = 0; d < hd; d++) {
                sc.kt[d * BK + j] = k[src + d];
                sc.vt[d * BK + j] = v[src + d];
            }
            System.arraycopy(k, src, sc.ks, j * hdPad, hd);
        }
        for (int d = 0; d < hd; d++) {
            java.util.Arrays.fill(sc.kt, d * BK + keys, d * BK + padded, 0f);
            java.util.Arrays.fill(sc.vt, d * BK + keys, d * BK + padded, 0f);
        }
    }

    /** One (query tile of head h, key tile) pair: adds to dq rows directly and to the tile's dK, dV scratch. */
    private static void pair(Scratch sc, float[] dq, float[] dout, float[] lse, float[] dRow, float[] q,
                             int i0, int rows, int j0, int keys, int h, int Hq, int hd, float scale) {
        int hdPad = sc.hdPad, hdVecs = hdPad / L;
        float[] qs = sc.qs, dos = sc.dos, p = sc.p, ds = sc.ds, dqt = sc.dqt;
        for (int r = 0; r < rows; r++) {
            int src = ((i0 + r) * Hq + h) * hd;
            System.arraycopy(q, src, qs, r * hdPad, hd);
            System.arraycopy(dout, src, dos, r * hdPad, hd);
            sc.rowLse[r] = lse[(i0 + r) * Hq + h];
            sc.rowD[r] = dRow[(i0 + r) * Hq + h];
        }
        for (int rb = 0; rb < rows; rb += 4) {
            int blockKeys = Math.min(keys, i0 + rb + 4 - j0);
            if (blockKeys <= 0) { // the whole block is above the diagonal
                java.util.Arrays.fill(p, rb * BK, (rb + 4) * BK, 0f);
                java.util.Arrays.fill(ds, rb * BK, (rb + 4) * BK, 0f);
                continue;
            }
            int wVecs = (blockKeys + L - 1) / L;
            TileMath.rows4(qs, rb * hdPad, hdPad, 1, sc.kt, 0, BK, p, rb * BK, BK, 0, hd, wVecs, false);
            TileMath.rows4(dos, rb * hdPad, hdPad, 1, sc.vt, 0, BK, ds, rb * BK, BK, 0, hd, wVecs, false);
            for (int r = rb; r < rb + 4; r++) {
                int valid = r < rows ? Math.min(i0 + r - j0 + 1, blockKeys) : 0;
                gradRow(p, ds, r, valid, wVecs, scale, sc.rowLse[r], sc.rowD[r]);
            }
            // dQ rows of this block: dS K over the keys the block can see
            TileMath.rows4(ds, rb * BK, BK, 1, sc.ks, 0, hdPad, dqt, rb * hdPad, hdPad, 0, blockKeys, hdVecs, false);
            for (int r = rb; r < Math.min(rb + 4, rows); r++) {
                int dst = ((i0 + r) * Hq + h) * hd;
                for (int d = 0; d < hd; d++) dq[dst + d] += dqt[r * hdPad + d];
            }
        }
        for (int jb = 0; jb < keys; jb += 4) {
            int first = Math.max(0, j0 + jb - i0); // query rows before the key block's first key see none of it
            if (first >= rows) continue;
            TileMath.rows4(p, jb, 1, BK, dos, 0, hdPad, sc.dva, jb * hdPad, hdPad, first, rows, hdVecs, true);
            TileMath.rows4(ds, jb, 1, BK, qs, 0, hdPad, sc.dka, jb * hdPad, hdPad, first, rows, hdVecs, true);
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
            FloatVector vl = FloatVector.broadcast(F, lse), vd = FloatVector.broadcast(F, dRow);
            for (; w < wVecs; w++) {
                int o = base + w * L;
                VectorMask<Float> in = F.indexInRange(w * L, valid);
                FloatVector e = FloatVector.fromArray(F, p, o).mul(scale).sub(vl).lanewise(VectorOperators.EXP)
                        .blend(0f, in.not());
                e.intoArray(p, o);
                e.mul(FloatVector.fromArray(F, ds, o).sub(vd)).mul(scale).intoArray(ds, o);
            }
        }
        java.util.Arrays.fill(p, base + w * L, base + BK, 0f);
        java.util.Arrays.fill(ds, base + w * L, base + BK, 0f);
    }
}
