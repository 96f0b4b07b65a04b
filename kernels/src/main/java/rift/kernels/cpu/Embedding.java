package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;

/** Token embedding: a gather forward, a deterministic scatter-add backward. */
public final class Embedding {
    /** Columns per backward chunk at least (each chunk re-reads all ids). */
    private static final int COLUMN_GRAIN = 64;
    private static final int ROW_GRAIN = 64;

    private Embedding() {}

    /** out [N, D] = table[ids[n], :]. Ids outside [0, V) are a caller bug (IllegalArgumentException). */
    public static void forward(float[] out, int[] ids, int N, float[] table, int V, int D) {
        checkIds(ids, N, V);
        Vec.checkLength("out", out, 0, N * D);
        Vec.checkLength("table", table, 0, V * D);
        Parallel.forRange(N, ROW_GRAIN, (c, s, e) -> {
            for (int n = s; n < e; n++) System.arraycopy(table, ids[n] * D, out, n * D, D);
        });
    }

    /**
     * dTable[ids[n], :] += dout[n, :], summed in token order for every row, whatever the thread count.
     * The work is split over the D columns: each chunk walks all tokens in order for its own columns,
     * so no two threads touch the same element and the order of additions never changes.
     */
    public static void backward(float[] dTable, int[] ids, int N, float[] dout, int V, int D) {
        checkIds(ids, N, V);
        Vec.checkLength("dout", dout, 0, N * D);
        Vec.checkLength("dTable", dTable, 0, V * D);
        Parallel.forRange(D, COLUMN_GRAIN, (c, d0, d1) -> {
            int width = d1 - d0;
            int vecEnd = d0 + VecMath.FS.loopBound(width);
            for (int n = 0; n < N; n++) {
                int src = n * D, dst = ids[n] * D;
                int d = d0;
                for (; d < vecEnd; d += VecMath.FL) {
                    FloatVector.fromArray(VecMath.FS, dTable, dst + d)
                            .add(FloatVector.fromArray(VecMath.FS, dout, src + d))
                            .intoArray(dTable, dst + d);
                }
                for (; d < d1; d++) dTable[dst + d] += dout[src + d];
            }
        });
    }

    private static void checkIds(int[] ids, int N, int V) {
        if (N > ids.length) throw new IllegalArgumentException("N = " + N + " > ids.length = " + ids.length);
        for (int n = 0; n < N; n++) {
            if (ids[n] < 0 || ids[n] >= V) {
                throw new IllegalArgumentException("token id " + ids[n] + " at position " + n + " is outside the vocabulary [0, " + V + ")");
            }
        }
    }
}
