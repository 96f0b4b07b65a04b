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
    /**
     * Query rows per tile (a multiple of 4, the row blocking of {@link TileMath#rows4}); the default
     * keeps a tile's scratch within L1/L2 for hd up to 128. -Drift.attention.bq overrides it (timing).
     */
    static final int BQ = TileMath.roundUp(Math.max(4, Integer.getInteger("rift.attention.bq", 64)), 4);
    /**
     * Keys per tile (a multiple of 4 and of the vector length); 128 amortises the per-row softmax
     * work (two reductions, the rescale) over more keys than 64, about 5% faster. -Drift.attention.bk
     * overrides it (timing).
     */
    static final int BK = TileMath.roundUp(Math.max(4, Integer.getInteger("rift.attention.bk", 128)), Math.max(4, L));

    private AttentionForward() {}

    /** Per-part scratch: the query tile and the running softmax state. */
    private static final class Scratch {
        final int hdPad;
        final float[] qs;   // [BQ, hdPad] query rows of the tile
        final float[] p;    // [BQ, BK] scores, then probabilities
        final float[] acc;  // [BQ, hdPad] unnormalised output
        final float[] m = new float[BQ];
        final float[] l = new float[BQ];

        Scratch(int hd) {
            hdPad = AttentionOperands.paddedWidth(hd);
            qs = new float[BQ * hdPad];
            p = new float[BQ * BK];
            acc = new float[BQ * hdPad];
        }
    }

    /** The operands shared by all items: keys transposed [Hkv, hd, ktStride], values padded [N, Hkv, hdPad]. */
    private record Keys(float[] kt, int ktStride, float[] vp) {}

    static void run(float[] out, float[] lse, float[] q, float[] k, float[] v, int[] seqStart,
                    int Hq, int Hkv, int hd, float scale) {
        int S = seqStart.length - 1;
        int n = seqStart[S];
        int tiles = 0;
        for (int s = 0; s < S; s++) tiles += (seqStart[s + 1] - seqStart[s] + BQ - 1) / BQ;
        int items = tiles * Hq;
        if (items == 0) return;
        int[] itemSeq = new int[items], itemHead = new int[items], itemRow = new int[items];
        long[] cost = new long[items];
        int item = 0;
        for (int s = 0; s < S; s++) {
            for (int h = 0; h < Hq; h++) {
                for (int i0 = seqStart[s]; i0 < seqStart[s + 1]; i0 += BQ) {
                    int rows = Math.min(BQ, seqStart[s + 1] - i0);
                    itemSeq[item] = s;
                    itemHead[item] = h;
                    itemRow[item] = i0;
                    cost[item] = (long) rows * (i0 + rows - seqStart[s]) + BQ; // score count, plus a fixed overhead
                    item++;
                }
            }
        }
        Keys keys = new Keys(AttentionOperands.transpose(k, n, Hkv, hd), AttentionOperands.transposedStride(n),
                AttentionOperands.padded(v, n, Hkv, hd));
        int group = Hq / Hkv;
        WorkSplit.run(cost, () -> new Scratch(hd), (it, sc) -> {
            int s = itemSeq[it], h = itemHead[it];
            tile(sc, keys, out, lse, q, seqStart[s], seqStart[s + 1], itemRow[it], h, h / group, Hq, Hkv, hd, scale);
        });
    }

    private static void tile(Scratch sc, Keys keys, float[] out, float[] lse, float[] q,
                             int s0, int s1, int i0, int h, int g, int Hq, int Hkv, int hd, float scale) {
        int hdPad = sc.hdPad, hdVecs = hdPad / L, vStride = Hkv * hdPad, kts = keys.ktStride();
        int rows = Math.min(BQ, s1 - i0);
        float[] qs = sc.qs, p = sc.p, acc = sc.acc, m = sc.m, l = sc.l;
        for (int r = 0; r < rows; r++) System.arraycopy(q, ((i0 + r) * Hq + h) * hd, qs, r * hdPad, hd);
        java.util.Arrays.fill(m, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(l, 0f);
        java.util.Arrays.fill(acc, 0, TileMath.roundUp(rows, 4) * hdPad, 0f);
        int lastKey = i0 + rows - 1; // no row of this tile sees a key beyond its own last row
        for (int j0 = s0; j0 <= lastKey; j0 += BK) {
            int tileKeys = Math.min(BK, lastKey - j0 + 1);
            for (int rb = 0; rb < rows; rb += 4) {
                // keys (relative to j0) that any row of this 4-row block may see: up to its last row's diagonal
                int blockKeys = Math.min(tileKeys, i0 + rb + 4 - j0);
                if (blockKeys <= 0) continue;
                // the score vectors may run past blockKeys into later keys; those lanes are masked below
                int wVecs = (blockKeys + L - 1) / L;
                TileMath.rows4(qs, rb * hdPad, hdPad, 1, keys.kt(), g * hd * kts + j0, kts, p, rb * BK, BK, 0, hd, wVecs, false);
                for (int r = rb; r < rb + 4; r++) {
                    if (r < rows) softmaxRow(p, r, Math.min(i0 + r - j0 + 1, blockKeys), wVecs, scale, m, l, acc, hdPad);
                    else java.util.Arrays.fill(p, r * BK, r * BK + wVecs * L, 0f);
                }
                TileMath.rows4(p, rb * BK, BK, 1, keys.vp(), (j0 * Hkv + g) * hdPad, vStride,
                        acc, rb * hdPad, hdPad, 0, blockKeys, hdVecs, true);
            }
        }
        for (int r = 0; r < rows; r++) {
            float inv = 1f / l[r];
            int o = ((i0 + r) * Hq + h) * hd;
            for (int d = 0; d < hd; d++) out[o + d] = acc[r * hdPad + d] * inv;
            lse[(i0 + r) * Hq + h] = m[r] + (float) Math.log(l[r]);
        }
    }

    /**
     * Online-softmax update of row r with its first {@code valid} scores (the rest of the computed
     * {@code wVecs} vectors are masked to probability 0): rescales the row's accumulator by
     * exp(m_old - m_new), leaves exp(score - m_new) in p and adds their sum to l.
     */
    private static void softmaxRow(float[] p, int r, int valid, int wVecs, float scale,
                                   float[] m, float[] l, float[] acc, int hdPad) {
        int base = r * BK;
        if (valid <= 0) { // the row lies before the key tile (its 4-row block straddles the tile start)
            java.util.Arrays.fill(p, base, base + wVecs * L, 0f);
            return;
        }
        int full = valid / L; // vectors whose lanes are all valid keys
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int w = 0; w < full; w++) vmax = vmax.max(FloatVector.fromArray(F, p, base + w * L).mul(scale));
        for (int w = full; w < wVecs; w++) {
            VectorMask<Float> in = F.indexInRange(w * L, valid);
            vmax = vmax.max(FloatVector.fromArray(F, p, base + w * L).mul(scale).blend(Float.NEGATIVE_INFINITY, in.not()));
        }
        float mOld = m[r];
        float mNew = Math.max(mOld, vmax.reduceLanes(VectorOperators.MAX));
        FloatVector vs = FloatVector.broadcast(F, scale), vm = FloatVector.broadcast(F, -mNew);
        FloatVector vsum = FloatVector.zero(F);
        for (int w = 0; w < full; w++) {
            int o = base + w * L;
            FloatVector e = TileMath.exp(FloatVector.fromArray(F, p, o).fma(vs, vm));
            e.intoArray(p, o);
            vsum = vsum.add(e);
        }
        for (int w = full; w < wVecs; w++) {
            int o = base + w * L;
            VectorMask<Float> in = F.indexInRange(w * L, valid);
            FloatVector e = TileMath.exp(FloatVector.fromArray(F, p, o).fma(vs, vm)).blend(0f, in.not());
            e.intoArray(p, o);
            vsum = vsum.add(e);
        }
        // the running max rarely moves after the first tiles; exp(0) = 1 needs no call
        float corr = mOld == mNew ? 1f : (float) Math.exp(mOld - mNew); // 0 on the first tile (mOld = -inf)
        l[r] = l[r] * corr + VecMath.sumLanes(vsum); // fixed lane order (not reduceLanes): same bits compiled or interpreted
        m[r] = mNew;
        if (corr != 1f) TileMath.scaleRow(acc, r * hdPad, hdPad, corr);
    }
}
