package rift.kernels.cpu;

import static rift.kernels.cpu.TileMath.F;
import static rift.kernels.cpu.TileMath.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * One decode step of {@link Attention}: a single query per slot against that slot's cache prefix,
 * with the same online softmax as the forward pass (chunks of {@link #CHUNK} keys: running max, sum
 * and output). Work items are (slot, query head); they share nothing.
 */
final class AttentionDecode {
    /** Keys scored per online-softmax step (a multiple of the vector length). */
    static final int CHUNK = TileMath.roundUp(64, L);

    private AttentionDecode() {}

    private static final class Scratch {
        final float[] scores = new float[CHUNK];
        final float[] acc;

        Scratch(int hd) {
            acc = new float[hd];
        }
    }

    static void run(float[] out, float[] q, float[] kCache, float[] vCache, int[] lengths, int maxT,
                    int Hq, int Hkv, int hd, float scale) {
        int B = lengths.length;
        long[] cost = new long[B * Hq];
        for (int i = 0; i < cost.length; i++) cost[i] = lengths[i / Hq] + 1L;
        int group = Hq / Hkv;
        WorkSplit.run(cost, () -> new Scratch(hd), (item, sc) -> {
            int b = item / Hq, h = item % Hq;
            if (lengths[b] > 0) one(sc, out, q, kCache, vCache, b, h, h / group, lengths[b], maxT, Hq, Hkv, hd, scale);
        });
    }

    private static void one(Scratch sc, float[] out, float[] q, float[] kCache, float[] vCache, int b, int h, int g,
                            int len, int maxT, int Hq, int Hkv, int hd, float scale) {
        float[] scores = sc.scores, acc = sc.acc;
        java.util.Arrays.fill(acc, 0f);
        int qOff = (b * Hq + h) * hd;
        float m = Float.NEGATIVE_INFINITY, l = 0f;
        for (int t0 = 0; t0 < len; t0 += CHUNK) {
            int n = Math.min(CHUNK, len - t0);
            float mx = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float s = TileMath.dot(q, qOff, kCache, cacheRow(b, t0 + j, g, maxT, Hkv, hd), hd) * scale;
                scores[j] = s;
                mx = Math.max(mx, s);
            }
            float mNew = Math.max(m, mx);
            float corr = (float) Math.exp(m - mNew); // 0 on the first chunk
            FloatVector vm = FloatVector.broadcast(F, mNew), vsum = FloatVector.zero(F);
            for (int w = 0; w < n; w += L) {
                VectorMask<Float> in = F.indexInRange(w, n);
                FloatVector e = TileMath.exp(FloatVector.fromArray(F, scores, w).sub(vm)).blend(0f, in.not());
                e.intoArray(scores, w);
                vsum = vsum.add(e);
            }
            l = l * corr + VecMath.sumLanes(vsum); // fixed lane order (not reduceLanes): same bits compiled or interpreted
            m = mNew;
            if (corr != 1f) for (int d = 0; d < hd; d++) acc[d] *= corr;
            for (int j = 0; j < n; j++) TileMath.axpy(scores[j], vCache, cacheRow(b, t0 + j, g, maxT, Hkv, hd), acc, 0, hd);
        }
        float inv = 1f / l;
        for (int d = 0; d < hd; d++) out[qOff + d] = acc[d] * inv;
    }

    private static int cacheRow(int b, int t, int g, int maxT, int Hkv, int hd) {
        return ((b * maxT + t) * Hkv + g) * hd;
    }
}
