package rift.kernels.cpu;

/** Token embedding: a gather forward, a deterministic scatter-add backward. */
public final class Embedding {
    private Embedding() {}

    /** out [N, D] = table[ids[n], :]. Ids outside [0, V) are a caller bug (IllegalArgumentException). */
    public static void forward(float[] out, int[] ids, int N, float[] table, int V, int D) {
        throw new UnsupportedOperationException("pending: Embedding.forward");
    }

    /** dTable[ids[n], :] += dout[n, :], summed in token order for every row, whatever the thread count. */
    public static void backward(float[] dTable, int[] ids, int N, float[] dout, int V, int D) {
        throw new UnsupportedOperationException("pending: Embedding.backward");
    }
}
