package rift.kernels.cpu;

/**
 * Causal grouped-query attention over variable-length (packed) sequences, in a tiled online-softmax
 * form: no T x T score matrix per head is ever held whole.
 *
 * <p>Layout: q is [N, Hq, hd], k and v are [N, Hkv, hd], out is [N, Hq, hd] (all row-major, N = total
 * tokens of the batch). {@code seqStart} has S+1 entries: sequence s owns rows seqStart[s] ..
 * seqStart[s+1]-1, and row i attends to rows seqStart[s] .. i only (causal, never across a sequence
 * boundary). Query head h reads kv head h / (Hq / Hkv). {@code lse} [N, Hq] receives the natural-log
 * sum-exp of each query row's scaled scores; backward needs it. Backward ops ACCUMULATE (+=) into their
 * gradient outputs; callers zero them first.
 */
public final class Attention {
    private Attention() {}

    /**
     * out = softmax(scale * q k^T, causal within each sequence) v, and lse = the log-sum-exp of each
     * row's scaled scores. Rows outside seqStart[0] .. seqStart[S]-1 are not touched.
     */
    public static void forward(float[] out, float[] lse, float[] q, float[] k, float[] v, int[] seqStart,
                               int Hq, int Hkv, int hd, float scale) {
        int n = checkShapes(seqStart, Hq, Hkv, hd);
        need("q", q, n, Hq, hd);
        need("k", k, n, Hkv, hd);
        need("v", v, n, Hkv, hd);
        need("out", out, n, Hq, hd);
        need("lse", lse, n, Hq, 1);
        AttentionForward.run(out, lse, q, k, v, seqStart, Hq, Hkv, hd, scale);
    }

    /**
     * Adds the gradients of a loss with respect to q, k and v to dq, dk and dv, given dout (its
     * gradient with respect to out) and the out and lse of {@link #forward}.
     */
    public static void backward(float[] dq, float[] dk, float[] dv, float[] dout, float[] out, float[] lse,
                                float[] q, float[] k, float[] v, int[] seqStart, int Hq, int Hkv, int hd, float scale) {
        int n = checkShapes(seqStart, Hq, Hkv, hd);
        need("q", q, n, Hq, hd);
        need("k", k, n, Hkv, hd);
        need("v", v, n, Hkv, hd);
        need("out", out, n, Hq, hd);
        need("dout", dout, n, Hq, hd);
        need("lse", lse, n, Hq, 1);
        need("dq", dq, n, Hq, hd);
        need("dk", dk, n, Hkv, hd);
        need("dv", dv, n, Hkv, hd);
        AttentionBackward.run(dq, dk, dv, dout, out, lse, q, k, v, seqStart, Hq, Hkv, hd, scale);
    }

    /**
     * One decode step with a KV cache. q and out are [B, Hq, hd] (one new token per slot). kCache and
     * vCache are [B, maxT, Hkv, hd]; slot b attends to its first {@code lengths[b]} cache rows (the new
     * token's k/v already written at row lengths[b]-1). Slots with lengths[b] == 0 are skipped.
     */
    public static void decode(float[] out, float[] q, float[] kCache, float[] vCache, int[] lengths, int maxT,
                              int Hq, int Hkv, int hd, float scale) {
        checkHeads(Hq, Hkv, hd);
        int B = lengths.length;
        for (int b = 0; b < B; b++) {
            if (lengths[b] < 0 || lengths[b] > maxT) {
                throw new IllegalArgumentException("lengths[" + b + "] = " + lengths[b] + " must be in [0, maxT = " + maxT + "]");
            }
        }
        need("q", q, B, Hq, hd);
        need("out", out, B, Hq, hd);
        need("kCache", kCache, (long) B * maxT, Hkv, hd);
        need("vCache", vCache, (long) B * maxT, Hkv, hd);
        AttentionDecode.run(out, q, kCache, vCache, lengths, maxT, Hq, Hkv, hd, scale);
    }

    private static void checkHeads(int Hq, int Hkv, int hd) {
        if (Hq < 1 || Hkv < 1 || hd < 1) {
            throw new IllegalArgumentException("Hq, Hkv and hd must be >= 1, got Hq=" + Hq + " Hkv=" + Hkv + " hd=" + hd);
        }
        if (Hq % Hkv != 0) {
            throw new IllegalArgumentException("Hq (" + Hq + ") must be a multiple of Hkv (" + Hkv + ")");
        }
    }

    /** Checks heads and seqStart; returns the row count N = seqStart[S]. */
    private static int checkShapes(int[] seqStart, int Hq, int Hkv, int hd) {
        checkHeads(Hq, Hkv, hd);
        if (seqStart == null || seqStart.length < 1 || seqStart[0] < 0) {
            throw new IllegalArgumentException("seqStart needs S+1 >= 1 entries starting at a row >= 0");
        }
        for (int s = 0; s + 1 < seqStart.length; s++) {
            if (seqStart[s + 1] < seqStart[s]) {
                throw new IllegalArgumentException("seqStart must not decrease: seqStart[" + s + "] = " + seqStart[s]
                        + " > seqStart[" + (s + 1) + "] = " + seqStart[s + 1]);
            }
        }
        return seqStart[seqStart.length - 1];
    }

    private static void need(String name, float[] a, long rows, int heads, int hd) {
        long size = rows * heads * hd;
        if (a == null || a.length < size) {
            throw new IllegalArgumentException(name + " needs at least " + size + " floats (" + rows + " x " + heads
                    + " x " + hd + "), has " + (a == null ? "null" : a.length));
        }
    }
}
