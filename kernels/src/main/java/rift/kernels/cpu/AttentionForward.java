package rift.kernels.cpu;

import static rift.kernels.cpu.TileMath.F;
import static rift.kernels.cpu.TileMath.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The forward pass of {@link Attention}: FlashAttention-2 on the CPU. One work item is (sequence,
 * query head, query tile of {@link #BQ} rows); it walks the key tiles up to the diagonal, keeping per
 * row the running max m, the running sum l of exp(score - m) and the unnormalised output, and writes
 * out = acc / l and lse = m + log(l) at the end. Items share nothing, so the result does not depend on
 * the thread count.
 */
final class AttentionForward {
    /** Query rows per tile (a multiple of 4, the row blocking of {@link TileMath#rows4}). */
    static final int BQ = 64;
    /** Keys per tile (a multiple of 4 and of the vector length). */
    static final int BK = TileMath.roundUp(64, Math.max(4, L));

    private AttentionForward() {}

    /** Per-part scratch: tile copies with zero padding, and the running softmax state. */
    private static final class Scratch {
        final int hdPad;
        final float[] qs;   // [BQ, hdPad] query rows of the tile
        final float[] kt;   // [hd, BK] key tile, transposed so scores vectorise over keys
        final float[] vs;   // [BK, hdPad] value tile
        final float[] p;    // [BQ, BK] scores, then probabilities
        final float[] acc;  // [BQ, hdPad] unnormalised output
        final float[] m = new float[BQ];
        final float[] l = new float[BQ];

        Scratch(int hd) {
            hdPad = TileMath.roundUp(hd, L);
            qs = new float[BQ * hdPad];
            kt = new float[hd * BK];
            vs = new float[BK * hdPad];
            p = new float[BQ * BK];
            acc = new float[BQ * hdPad];
        }
    }

    static void run(float[] out, float[] lse, float[] q, float[] k, float[] v, int[] seqStart,
                    int Hq, int Hkv, int hd, float scale) {
        int S = seqStart.length - 1;
        int tiles = 0;
        for (int s = 0; s < S; s++) tiles += (seqStart[s + 1] - seqStart[s] + BQ - 1) / BQ;
        int items = tiles * Hq;
        int[] itemSeq = new int[items], itemHead = new int[items], itemRow = new int[items];
        long[] cost = new long[items];
        int n = 0;
        for (int s = 0; s < S; s++) {
            for (int h = 0; h < Hq; h++) {
                for (int i0 = seqStart[s]; i0 < seqStart[s + 1]; i0 += BQ) {
                    int rows = Math.min(BQ, seqStart[s + 1] - i0);
                    itemSeq[n] = s;
                    itemHead[n] = h;
                    itemRow[n] = i0;
                    cost[n] = (long) rows * (i0 + rows - seqStart[s]) + BQ; // score count, plus a fixed overhead
                    n++;
                }
            }
        }
        int group = Hq / Hkv;
        WorkSplit.run(cost, () -> new Scratch(hd), (item, sc) -> {
            int s = itemSeq[item], h = itemHead[item];
            tile(sc, out, lse, q, k, v, seqStart[s], seqStart[s + 1], itemRow[item], h, h / group, Hq, Hkv, hd, scale);
        });
    }

    private static void tile(Scratch sc, float[] out, float[] lse, float[] q, float[] k, float[] v,
                             int s0, int s1, int i0, int h, int g, int Hq, int Hkv, int hd, float scale) {
        int hdPad = sc.hdPad, hdVecs = hdPad / L;
        int rows = Math.min(BQ, s1 - i0);
        float[] qs = sc.qs, kt = sc.kt, vs = sc.vs, p = sc.p, acc = sc.acc, m = sc.m, l = sc.l;
        for (int r = 0; r < rows; r++) System.arraycopy(q, ((i0 + r) * Hq + h) * hd, qs, r * hdPad, hd);
        java.util.Arrays.fill(m, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(l, 0f);
        java.util.Arrays.fill(acc, 0, TileMath.roundUp(rows, 4) * hdPad, 0f);
        int lastKey = i0 + rows - 1; // no row of this tile sees a key beyond its own last row
        for (int j0 = s0; j0 <= lastKey; j0 += BK) {
            int keys = Math.min(BK, lastKey - j0 + 1);
            loadKeyTile(sc, k, v, j0, keys, g, Hkv, hd);
            for (int rb = 0; rb < rows; rb += 4) {
                // keys (relative to j0) that any row of this 4-row block may see: up to its last row's diagonal
                int blockKeys = Math.min(keys, i0 + rb + 4 - j0);
                if (blockKeys <= 0) continue;
                int wVecs = (blockKeys + L - 1) / L;
                TileMath.rows4(qs, rb * hdPad, hdPad, 1, kt, 0, BK, p, rb * BK, BK, 0, hd, wVecs, false);
                for (int r = rb; r < rb + 4; r++) {
                    if (r < rows) softmaxRow(p, r, Math.min(i0 + r - j0 + 1, blockKeys), wVecs, scale, m, l, acc, hdPad);
                    else java.util.Arrays.fill(p, r * BK, r * BK + wVecs * L, 0f);
                }
                TileMath.rows4(p, rb * BK, BK, 1, vs, 0, hdPad, acc, rb * hdPad, hdPad, 0, blockKeys, hdVecs, true);
            }
        }
        for (int r = 0; r < rows; r++) {
            float inv = 1f / l[r];
            int o = ((i0 + r) * Hq + h) * hd;
            for (int d = 0; d < hd; d++) out[o + d] = acc[r * hdPad + d] * inv;
            lse[(i0 + r) * Hq + h] = m[r] + (float) Math.log(l[r]);
        }
    }

    /** Copies keys j0 .. j0+keys-1 of kv head g: transposed into kt (zero-padded to whole vectors) and into vs. */
    private static void loadKeyTile(Scratch sc, float[] k, float[] v, int j0, int keys, int g, int Hkv, int hd) {
        int hdPad = sc.hdPad, padded = TileMath.roundUp(keys, L);
        float[] kt = sc.kt, vs = sc.vs;
        for (int j = 0; j < keys; j++) {
            int src = ((j0 + j) * Hkv + g) * hd;
            for (int d = 0; d < hd; d++) kt[d * BK + j] = k[src + d];
            System.arraycopy(v, src, vs, j * hdPad, hd);
        }
        for (int d = 0; d < hd; d++) java.util.Arrays.fill(kt, d * BK + keys, d * BK + padded, 0f);
    }

    /**
     * Online-softmax update of row r with its first {@code valid} scores (the rest of the computed
     * {@code wVecs} vectors are masked to probability 0): rescales the row's accumulator by
     * exp(m_old - m_new), leaves exp(score - m_new) in p and adds their sum to l.
     */
    private static void softmaxRow(float[] p, int r, int valid, int wVecs, float scale,
                                   float[] m, float[] l, float[] acc, int hdPad) {
        int base = r * BK;
        if (valid <= 0) { // this row sees no key of the tile (only when tiles are not aligned)
            java.util.Arrays.fill(p, base, base + wVecs * L, 0f);
            return;
        }
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int w = 0; w < wVecs; w++) {
            int o = base + w * L;
            VectorMask<Float> in = F.indexInRange(w * L, valid);
            FloatVector x = FloatVector.fromArray(F, p, o).mul(scale);
            x.intoArray(p, o);
            vmax = vmax.max(x.blend(Float.NEGATIVE_INFINITY, in.not()));
        }
        float mOld = m[r];
        float mNew = Math.max(mOld, vmax.reduceLanes(VectorOperators.MAX));
        FloatVector vm = FloatVector.broadcast(F, mNew);
        FloatVector vsum = FloatVector.zero(F);
        for (int w = 0; w < wVecs; w++) {
            int o = base + w * L;
            VectorMask<Float> in = F.indexInRange(w * L, valid);
            FloatVector e = FloatVector.fromArray(F, p, o).sub(vm).lanewise(VectorOperators.EXP)
                    .blend(0f, in.not());
            e.intoArray(p, o);
            vsum = vsum.add(e);
        }
        float corr = (float) Math.exp(mOld - mNew); // 0 on the first tile (mOld = -inf)
        l[r] = l[r] * corr + vsum.reduceLanes(VectorOperators.ADD);
        m[r] = mNew;
        if (corr != 1f) TileMath.scaleRow(acc, r * hdPad, hdPad, corr);
    }
}
