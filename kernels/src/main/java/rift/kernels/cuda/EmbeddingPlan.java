package rift.kernels.cuda;

import java.util.Arrays;

/**
 * Host side of the deterministic embedding backward: token positions grouped by vocabulary row, so
 * one thread column owns each table row and adds its tokens' gradients in token order (the CPU's
 * order) without atomics.
 */
final class EmbeddingPlan {
    private EmbeddingPlan() {}

    /**
     * Packs, for the first N ids: rows [U] (the distinct ids, ascending), start [U + 1] (row u's
     * positions are pos[start[u] .. start[u+1])), pos [N] (positions grouped by row, ascending within a
     * row). One array: rows, then start, then pos.
     */
    static int[] groupByRow(int[] ids, int N) {
        long[] keys = new long[N];
        for (int n = 0; n < N; n++) keys[n] = ((long) ids[n] << 32) | n;
        Arrays.sort(keys);
        int U = 0;
        for (int i = 0; i < N; i++) if (i == 0 || (int) (keys[i] >>> 32) != (int) (keys[i - 1] >>> 32)) U++;
        int[] out = new int[2 * U + 1 + N];
        int u = 0;
        for (int i = 0; i < N; i++) {
            int id = (int) (keys[i] >>> 32);
            if (i == 0 || id != (int) (keys[i - 1] >>> 32)) {
                out[u] = id;          // rows[u]
                out[U + u] = i;       // start[u]
                u++;
            }
            out[2 * U + 1 + i] = (int) keys[i]; // pos[i]: the low 32 bits
        }
        out[U + U] = N;               // start[U]
        return out;
    }

    /** U, the number of distinct rows, of a packed array for N ids. */
    static int uniqueRows(int[] packed, int N) {
        return (packed.length - 1 - N) / 2;
    }
}
