package rift.kernels.cpu;

import static rift.kernels.cpu.TileMath.L;

/**
 * Whole-call rearrangements of the [N, H, hd] attention operands, made once per call so that the
 * tile loops read them with plain vector loads and never copy or transpose a tile themselves (a
 * per-tile scalar transpose cost as much as the tile's products).
 */
final class AttentionOperands {
    private AttentionOperands() {}

    /** Row length of a {@link #transpose}d operand: any vector load starting at a column < N fits. */
    static int transposedStride(int n) {
        return n + L;
    }

    /**
     * x [N, H, hd] transposed to [H, hd, stride]: element (n, h, d) at (h * hd + d) * stride + n, so the
     * scores of one query against consecutive keys vectorise over keys. Columns N .. stride-1 are zero.
     */
    static float[] transpose(float[] x, int n, int heads, int hd) {
        int stride = transposedStride(n);
        float[] t = new float[heads * hd * stride];
        int block = 16;
        int blocks = (n + block - 1) / block;
        Parallel.forRange(heads * blocks, 16, (chunk, a, b) -> {
            for (int item = a; item < b; item++) {
                int h = item / blocks, n0 = (item % blocks) * block, n1 = Math.min(n, n0 + block);
                for (int d = 0; d < hd; d++) {
                    int dst = (h * hd + d) * stride;
                    for (int i = n0; i < n1; i++) t[dst + i] = x[(i * heads + h) * hd + d];
                }
            }
        });
        return t;
    }

    /** Width of a row of a {@link #padded} operand: hd rounded up to whole vectors. */
    static int paddedWidth(int hd) {
        return TileMath.roundUp(hd, L);
    }

    /**
     * x [N, H, hd] as [N, H, paddedWidth(hd)] with zero padding: x itself when hd is already a whole
     * number of vectors, else a copy. Row (n, h) starts at (n * H + h) * paddedWidth(hd).
     */
    static float[] padded(float[] x, int n, int heads, int hd) {
        int w = paddedWidth(hd);
        if (w == hd) return x;
        float[] p = new float[n * heads * w];
        Parallel.forRange(n * heads, 256, (chunk, a, b) -> {
            for (int r = a; r < b; r++) System.arraycopy(x, r * hd, p, r * w, hd);
        });
        return p;
    }
}
