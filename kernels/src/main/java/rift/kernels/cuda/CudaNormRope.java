package rift.kernels.cuda;

import rift.kernels.Tensor;
import rift.kernels.Write;
import rift.kernels.cpu.Rope;

/**
 * The CUDA backend's embedding, RMSNorm and RoPE ops (norm_embed_rope.cuh), fused ones included: the host side of
 * each (shape checks, index uploads, launch, the profile's work count). CudaBackend's methods of the same names
 * enter the backend and call these.
 */
final class CudaNormRope {
    private CudaNormRope() {}

    static void embedding(CudaBackend be, Tensor out, int[] ids, Tensor table) {
        CudaTensor O = be.of(out), T = be.of(table);
        int N = O.rowCount(), V = T.dim(0), D = T.rowLength();
        CudaBackend.require(O.rowLength() == D, "embedding", out, table);
        CudaBackend.checkIds(ids, N, V);
        Gpu.Memory idBuf = be.ints("embedding.ids", ids, N);
        be.launch(Kernels.EMBEDDING_FWD, N, CudaBackend.blocks(D), 0, O.address(), O.dtype().flag(), idBuf.address, T.address(),
                T.dtype().flag(), N, D);
        be.done("embedding", 0, 2 * O.bytes());
    }

    /**
     * dTable rows += dOut rows, grouped on the host: the unique vocabulary rows, and per row its token
     * positions in order (a sort of (id, position) pairs). One block column owns one table row.
     */
    static void embeddingBackward(CudaBackend be, Tensor dTable, int[] ids, Tensor dOut) {
        CudaTensor T = be.of(dTable), G = be.of(dOut);
        int N = G.rowCount(), V = T.dim(0), D = T.rowLength();
        CudaBackend.require(G.rowLength() == D, "embeddingBackward", dTable, dOut);
        CudaBackend.checkIds(ids, N, V);
        if (N == 0) return;
        int[] packed = EmbeddingPlan.groupByRow(ids, N);
        int U = EmbeddingPlan.uniqueRows(packed, N);
        Gpu.Memory buf = be.ints("embedding.groups", packed, packed.length);
        long rows = buf.address, start = rows + 4L * U, pos = start + 4L * (U + 1);
        be.launch(Kernels.EMBEDDING_BWD, U, CudaBackend.blocks(D), 0, T.address(), T.dtype().flag(), rows, start, pos, G.address(),
                G.dtype().flag(), U, D);
        be.done("embeddingBackward", 0, G.bytes() + 2L * U * D * T.dtype().bytes());
    }

    static void rmsNorm(CudaBackend be, Tensor out, Tensor rstd, Tensor x, Tensor w, float eps) {
        CudaTensor O = be.of(out), X = be.of(x), W = be.of(w), R = rstd == null ? null : be.of(rstd);
        int d = Math.toIntExact(W.numel());
        int n = Math.toIntExact(X.numel() / d);
        CudaBackend.require(X.numel() == (long) n * d && O.numel() >= (long) n * d && (R == null || R.numel() >= n), "rmsNorm", out, x, w);
        rmsNormRows(be, O, R, X, W, n, d, eps);
        be.done("rmsNorm", 0, X.bytes() + (long) n * d * O.dtype().bytes() + W.bytes());
    }

    static void rmsNormRows(CudaBackend be, CudaTensor out, CudaTensor rstd, CudaTensor x, CudaTensor w, int n, int d, float eps) {
        be.launch(Kernels.RMSNORM_FWD, (n + 7) / 8, 1, 0, out.address(), out.dtype().flag(),
                rstd == null ? null : rstd.address(), rstd == null ? 0 : rstd.dtype().flag(),
                x.address(), x.dtype().flag(), w.address(), w.dtype().flag(), n, d, eps);
    }

    /** add then rmsNorm in one launch (rift_add_rmsnorm_fwd), with the bits of the two ops; sum may alias a or b. */
    static void addRmsNorm(CudaBackend be, Tensor sum, Tensor out, Tensor rstd, Tensor a, Tensor b, Tensor w, float eps) {
        CudaTensor S = be.of(sum), O = be.of(out), A = be.of(a), B = be.of(b), W = be.of(w), R = rstd == null ? null : be.of(rstd);
        int d = Math.toIntExact(W.numel());
        long numel = A.numel();
        int n = Math.toIntExact(numel / d);
        CudaBackend.require(numel == (long) n * d && S.numel() == numel && B.numel() >= numel && O.numel() >= numel
                && (R == null || R.numel() >= n), "addRmsNorm", sum, out, a, b, w);
        CudaBackend.disjoint("addRmsNorm", new CudaTensor[] {O, R}, A, B, S, W);
        CudaBackend.sameOrApart("addRmsNorm (sum and a)", S, A);
        CudaBackend.sameOrApart("addRmsNorm (sum and b)", S, B);
        be.launch(Kernels.ADD_RMSNORM_FWD, (n + 7) / 8, 1, 0, S.address(), S.dtype().flag(), O.address(), O.dtype().flag(),
                R == null ? null : R.address(), R == null ? 0 : R.dtype().flag(), A.address(), A.dtype().flag(), B.address(),
                B.dtype().flag(), W.address(), W.dtype().flag(), n, d, eps);
        be.done("addRmsNorm", 0, numel * (A.dtype().bytes() + B.dtype().bytes() + S.dtype().bytes() + O.dtype().bytes()) + W.bytes());
    }

    static void rmsNormBackward(CudaBackend be, Write dxWrite, Tensor dx, Tensor dw, Tensor dOut, Tensor x, Tensor w, Tensor rstd) {
        CudaTensor G = be.of(dOut), X = be.of(x), W = be.of(w), R = be.of(rstd);
        int d = Math.toIntExact(W.numel());
        int n = Math.toIntExact(X.numel() / d);
        CudaBackend.require(X.numel() == (long) n * d && G.numel() >= (long) n * d && R.numel() >= n, "rmsNormBackward", dOut, x, w, rstd);
        CudaTensor DX = dx == null ? null : be.of(dx);
        boolean set = dxWrite == Write.SET;
        rmsNormBackwardRows(be, set, DX, dw == null ? null : be.of(dw), G, X, W, R, n, d);
        // the dx pass reads dOut and x and writes (SET) or updates (ADD) dx; the dw column sums read dOut and x again
        long gx = (long) n * d * (G.dtype().bytes() + X.dtype().bytes());
        be.done("rmsNormBackward", 0, (DX == null ? 0 : gx + (set ? 1L : 2L) * n * d * DX.dtype().bytes()) + (dw == null ? 0 : gx));
    }

    static void rmsNormBackwardRows(CudaBackend be, boolean setDx, CudaTensor dx, CudaTensor dw, CudaTensor g, CudaTensor x, CudaTensor w, CudaTensor rstd,
                                     int n, int d) {
        if (dx != null) {
            be.launch(Kernels.RMSNORM_BWD_DX, (n + 7) / 8, 1, 0, dx.address(), dx.dtype().flag(), g.address(), g.dtype().flag(),
                    x.address(), x.dtype().flag(), w.address(), w.dtype().flag(), rstd.address(), rstd.dtype().flag(), n, d, setDx ? 1 : 0);
        }
        if (dw != null) CudaDense.columnSums(be, dw, g, x, rstd, n, d);
    }

    static void rope(CudaBackend be, Tensor x, int heads, int headDim, int[] positions, Rope.Table table) {
        CudaTensor X = be.of(x);
        rotate(be, X, heads, headDim, positions, table, 1f);
        be.done("rope", 0, 2L * X.rowCount() * heads * headDim * X.dtype().bytes());
    }

    static void ropeBackward(CudaBackend be, Tensor dx, int heads, int headDim, int[] positions, Rope.Table table) {
        CudaTensor X = be.of(dx);
        rotate(be, X, heads, headDim, positions, table, -1f);
        be.done("ropeBackward", 0, 2L * X.rowCount() * heads * headDim * X.dtype().bytes());
    }

    static void rotate(CudaBackend be, CudaTensor x, int heads, int hd, int[] positions, Rope.Table table, float sign) {
        int N = x.rowCount();
        checkRope(x, N, heads, hd, positions, table);
        Gpu.Memory[] cs = be.ropeTable(table);
        Gpu.Memory pos = be.ints("rope.positions", positions, N);
        long work = (long) N * heads * (hd / 2);
        if (work >= 1L << 32) throw new IllegalArgumentException("rope: N * heads * hd / 2 = " + work + " must be below 2^32 (split the batch)");
        int blocks = (hd / 2) % 8 == 0 ? CudaBackend.grid8(work) : CudaBackend.grid(work); // 8 pairs per thread when they allow
        be.launch(Kernels.ROPE, blocks, 1, 0, x.address(), x.dtype().flag(), pos.address, cs[0].address, cs[1].address, N, heads, hd, sign);
    }

    /** The checks of a rope over the N rows of x [N, heads * hd]. */
    static void checkRope(CudaTensor x, int N, int heads, int hd, int[] positions, Rope.Table table) {
        if (hd != table.headDim()) {
            throw new IllegalArgumentException("head dimension " + hd + " does not match the RoPE table's " + table.headDim());
        }
        if (heads < 1 || x.numel() < (long) N * heads * hd) {
            throw new IllegalArgumentException("rope: " + x + " is not [N, " + heads + " x " + hd + "]");
        }
        if (positions.length < N) throw new IllegalArgumentException("positions has " + positions.length + " entries, need " + N);
        for (int n = 0; n < N; n++) {
            if (positions[n] < 0 || positions[n] >= table.maxPositions()) {
                throw new IllegalArgumentException("position " + positions[n] + " of row " + n + " is outside the RoPE table [0, "
                        + table.maxPositions() + ")");
            }
        }
    }

    /**
     * rmsNorm over rows of headDim then rope, in one launch (rift_rmsnorm_rope): one warp per (token, head)
     * row, with the bits of the two ops. The positions go up under rope's scratch name, so q's and k's
     * calls in a layer (and every layer of a step) upload them once.
     */
    static void rmsNormRope(CudaBackend be, Tensor out, Tensor rstd, Tensor x, Tensor w, float eps, int heads, int headDim, int[] positions,
                            Rope.Table table) {
        CudaTensor O = be.of(out), X = be.of(x), W = be.of(w), R = rstd == null ? null : be.of(rstd);
        int N = O.rowCount();
        checkRope(O, N, heads, headDim, positions, table);
        long rows = (long) N * heads;
        CudaBackend.require(W.numel() == headDim && X.numel() == rows * headDim && (R == null || R.numel() >= rows), "rmsNormRope", out, x, w);
        if (rows >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rmsNormRope: " + rows + " (token, head) rows must be below 2^31 (split the batch)");
        }
        CudaBackend.disjoint("rmsNormRope", new CudaTensor[] {O, R}, X, W);
        Gpu.Memory[] cs = be.ropeTable(table);
        Gpu.Memory pos = be.ints("rope.positions", positions, N);
        be.launch(Kernels.RMSNORM_ROPE, (int) ((rows + 7) / 8), 1, 0, O.address(), O.dtype().flag(), R == null ? null : R.address(),
                R == null ? 0 : R.dtype().flag(), X.address(), X.dtype().flag(), W.address(), W.dtype().flag(), pos.address,
                cs[0].address, cs[1].address, N, heads, headDim, eps);
        be.done("rmsNormRope", 0, rows * headDim * (X.dtype().bytes() + O.dtype().bytes()));
    }
}
