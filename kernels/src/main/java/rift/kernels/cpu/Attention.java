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

    public static void forward(float[] out, float[] lse, float[] q, float[] k, float[] v, int[] seqStart,
                               int Hq, int Hkv, int hd, float scale) {
        throw new UnsupportedOperationException("pending: Attention.forward");
    }

    public static void backward(float[] dq, float[] dk, float[] dv, float[] dout, float[] out, float[] lse,
                                float[] q, float[] k, float[] v, int[] seqStart, int Hq, int Hkv, int hd, float scale) {
        throw new UnsupportedOperationException("pending: Attention.backward");
    }

    /**
     * One decode step with a KV cache. q and out are [B, Hq, hd] (one new token per slot). kCache and
     * vCache are [B, maxT, Hkv, hd]; slot b attends to its first {@code lengths[b]} cache rows (the new
     * token's k/v already written at row lengths[b]-1). Slots with lengths[b] == 0 are skipped.
     */
    public static void decode(float[] out, float[] q, float[] kCache, float[] vCache, int[] lengths, int maxT,
                              int Hq, int Hkv, int hd, float scale) {
        throw new UnsupportedOperationException("pending: Attention.decode");
    }
}
