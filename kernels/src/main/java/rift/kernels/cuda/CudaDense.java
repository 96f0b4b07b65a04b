package rift.kernels.cuda;

import rift.kernels.Tensor;
import rift.kernels.Write;

/**
 * The CUDA backend's dense ops: linear and its backward through cuBLAS ({@link CudaBackend#gemm}), and the
 * deterministic column sums (elementwise.cuh) that give a bias's or an RMSNorm weight's gradient. CudaBackend's
 * methods of the same names enter the backend and call these.
 */
final class CudaDense {
    private CudaDense() {}

    /** Most chunks a column sum splits its rows into, and most partials in all (8 bytes each: 32 MiB). */
    static final int MAX_COLSUM_CHUNKS = 4096, MAX_COLSUM_PARTIALS = 1 << 22;

    /** Rows per chunk of a column sum over rows x cols (a function of the shape alone: the result's bits depend on it). */
    static int colsumRowsPerChunk(int rows, int cols) {
        int maxChunks = Math.max(1, Math.min(MAX_COLSUM_CHUNKS, MAX_COLSUM_PARTIALS / Math.max(1, cols)));
        return Math.max(32, (rows + maxChunks - 1) / maxChunks);
    }

    static void linear(CudaBackend be, Tensor y, Tensor x, Tensor w, Tensor bias) {
        CudaTensor Y = be.of(y), X = be.of(x), W = be.of(w);
        int n = X.rowCount(), in = X.rowLength(), out = W.dim(0);
        CudaBackend.require(W.rowLength() == in && Y.rowCount() == n && Y.rowLength() == out, "linear", y, x, w);
        be.gemm(false, true, n, out, in, 1f, CudaBackend.mat(X, 0, in), CudaBackend.mat(W, 0, in), 0f, CudaBackend.mat(Y, 0, out));
        if (bias != null) {
            CudaTensor B = be.of(bias);
            CudaBackend.require(B.numel() == out, "linear bias", bias, w);
            be.launch(Kernels.ADD_BIAS, Math.min(n, 1 << 16), 1, 0, Y.address(), Y.dtype().flag(), B.address(), B.dtype().flag(), n, out);
        }
        be.done("linear", 2.0 * n * in * out, 0);
    }

    /** dx = or += dy W (as dxWrite says), dw += dy^T x, dBias += the column sums of dy. */
    static void linearBackward(CudaBackend be, Write dxWrite, Tensor dx, Tensor dw, Tensor dBias, Tensor dy, Tensor x, Tensor w) {
        CudaTensor X = be.of(x), W = be.of(w), DY = be.of(dy);
        int n = X.rowCount(), in = X.rowLength(), out = W.dim(0);
        CudaBackend.require(W.rowLength() == in && DY.rowCount() == n && DY.rowLength() == out, "linearBackward", dy, x, w);
        if (dx != null && dxWrite == Write.SET && out == 0) be.zero(dx); // an empty sum; a K = 0 GEMM would scale what dx held
        float dxBeta = dxWrite == Write.SET ? 0f : 1f; // beta 0: cuBLAS does not read C
        if (dx != null) {
            be.gemm(false, false, n, in, out, 1f, CudaBackend.mat(DY, 0, out), CudaBackend.mat(W, 0, in), dxBeta,
                    CudaBackend.mat(be.of(dx), 0, in));
        }
        if (dw != null) {
            be.gemm(true, false, out, in, n, 1f, CudaBackend.mat(DY, 0, out), CudaBackend.mat(X, 0, in), 1f,
                    CudaBackend.mat(be.of(dw), 0, in));
        }
        if (dBias != null) columnSums(be, be.of(dBias), DY, null, null, n, out);
        be.done("linearBackward", 2.0 * n * in * out * ((dx != null ? 1 : 0) + (dw != null ? 1 : 0)), 0);
    }

    /**
     * out[col] += sum over rows of x[row, col] (or of x * y * s[row] when y is given), in double over
     * fixed row chunks, then the chunks in a fixed tree: deterministic, no atomics. The chunking depends on
     * the shape alone: 32 rows a chunk, more when that would exceed MAX_COLSUM_CHUNKS chunks or MAX_COLSUM_PARTIALS
     * partials (wide rows: a 4096-column norm gets at most 1024 chunks).
     */
    static void columnSums(CudaBackend be, CudaTensor out, CudaTensor x, CudaTensor y, CudaTensor s, int rows, int cols) {
        if (rows == 0 || cols == 0) return;
        int rowsPerChunk = colsumRowsPerChunk(rows, cols);
        int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        Gpu.Memory partial = be.scratch("colsum.partial", (long) chunks * cols * 8);
        be.launch(Kernels.COLSUM_PARTIAL, CudaBackend.grid((long) chunks * cols), 1, 0, partial.address, x.address(), x.dtype().flag(),
                y == null ? null : y.address(), y == null ? 0 : y.dtype().flag(),
                s == null ? null : s.address(), s == null ? 0 : s.dtype().flag(), rows, cols, rowsPerChunk, chunks);
        be.launch(Kernels.COLSUM_FINISH, cols, 1, 0, out.address(), out.dtype().flag(), partial.address, chunks);
    }
}
