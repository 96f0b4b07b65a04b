package rift.kernels.cuda;

import rift.kernels.Backend;

/**
 * The fused final RMSNorm + LM head + log-softmax on the GPU (the GRPO/SFT hot path), the same
 * algorithm as rift.kernels.cpu.LmHead: xn = RmsNorm(h) is kept; for each tile of rows and chunk of
 * the vocabulary, cuBLAS writes the fp32 logits block xn_tile W_chunk^T and rift_lm_fold folds it
 * into per-row running statistics, so the [N, V] logits never need to exist whole. When a backward may
 * follow (lmHead, not lmHeadNoGrad) and they fit the backend's budget (headKeepLogitsBytes), the forward
 * writes every block into one kept scratch buffer instead of a reused block, and the backward that
 * follows reads them there; otherwise (or after another forward) it recomputes each block: the same
 * GEMM, so the same bits. A no-grad forward reuses one block, which stays in L2 when it is small enough. The backward turns each block
 * into d loss / d logits (rift_lm_dlogits) and runs two GEMMs per block:
 * dxn += dlogits W_chunk and dW_chunk += dlogits^T xn_tile (tiles in order: deterministic); then the
 * RMSNorm backward takes dxn to dh and dNormW.
 *
 * <p>In bf16 storage xn has W's type (the GEMM inputs must match) and the dlogits block is written
 * as bf16 for the two backward GEMMs; the logits blocks, statistics, lse and entropy stay fp32.
 */
final class CudaLmHead {
    private CudaLmHead() {}

    /** What forward returns and backward needs: host results plus device xn, rstd, lse and entropy. */
    static final class Saved implements Backend.HeadResult {
        final float[] logp, entropy;
        final int[] rank;
        final CudaTensor xn, rstd, lse, ent;
        final int n;
        /**
         * The backend's kept-logits generation this forward wrote (every block back to back in the "head.kept"
         * scratch buffer, block (r0, c0) at r0 V + rows c0), or 0 when it kept none. A later forward or backward
         * moves the generation on, so the blocks are read at most once and never after being overwritten.
         */
        long keptGeneration;
        /** The tiling the kept blocks were written with. */
        int keptTile, keptChunk;

        Saved(float[] logp, float[] entropy, int[] rank, CudaTensor xn, CudaTensor rstd, CudaTensor lse, CudaTensor ent, int n) {
            this.logp = logp;
            this.entropy = entropy;
            this.rank = rank;
            this.xn = xn;
            this.rstd = rstd;
            this.lse = lse;
            this.ent = ent;
            this.n = n;
        }

        @Override
        public float[] logp() {
            return logp;
        }

        @Override
        public float[] entropy() {
            return entropy;
        }

        @Override
        public int[] rank() {
            return rank;
        }
    }

    static Saved forward(CudaBackend be, CudaTensor h, CudaTensor normW, float eps, CudaTensor w, int[] targets,
                         boolean wantEntropy, boolean wantRank, boolean forBackward) {
        int N = h.rowCount(), D = h.rowLength(), V = w.dim(0);
        checkShapes(h, normW, w, targets, N, D, V);
        CudaTensor xn = be.zeros(w.dtype(), N, D);
        CudaTensor rstd = be.zeros(DType.F32, N);
        CudaTensor lse = be.zeros(DType.F32, N);
        CudaTensor ent = be.zeros(DType.F32, N);
        float[] logp = new float[N];
        float[] entropy = wantEntropy ? new float[N] : null;
        int[] rank = wantRank ? new int[N] : null;
        if (N == 0) return new Saved(logp, entropy, rank, xn, rstd, lse, ent, 0);

        be.launch(Kernels.RMSNORM_FWD, (N + 7) / 8, 1, 0, xn.address(), xn.dtype().flag(), rstd.address(), 0,
                h.address(), h.dtype().flag(), normW.address(), normW.dtype().flag(), N, D, eps);
        long tg = be.ints("head.targets", targets, N).address;
        long tdot = be.scratch("head.tdot", 4L * N).address;
        long rowMax = be.scratch("head.max", 4L * N).address;
        long sumExp = be.scratch("head.S", 8L * N).address;
        long sumShifted = be.scratch("head.T", 8L * N).address;
        long tlogit = be.scratch("head.tlogit", 4L * N).address;
        Gpu.Memory above = be.scratch("head.above", 4L * N);
        be.launch(Kernels.LM_TARGET_DOT, (N + 7) / 8, 1, 0, tdot, xn.address(), xn.dtype().flag(), w.address(), w.dtype().flag(),
                tg, N, D);
        be.launch(Kernels.LM_INIT, CudaBackend.grid(N), 1, 0, rowMax, sumExp, sumShifted, tlogit, above.address, N);

        int chunk = Math.min(be.headVocabChunk, V);
        int tile = Math.min(be.headRowTile, N);
        long kept = forBackward ? keep(be, N, V) : 0;
        long block = kept != 0 ? 0 : be.scratch("head.block", 4L * tile * chunk).address;
        for (int r0 = 0; r0 < N; r0 += tile) {
            int rows = Math.min(tile, N - r0);
            for (int c0 = 0; c0 < V; c0 += chunk) {
                int cw = Math.min(chunk, V - c0);
                long b = kept != 0 ? blockAt(kept, r0, c0, rows, V) : block;
                be.gemm(false, true, rows, cw, D, 1f, CudaBackend.mat(xn, (long) r0 * D, D), CudaBackend.mat(w, (long) c0 * D, D),
                        0f, new CudaBackend.Mat(b, DType.F32, cw));
                be.launch(Kernels.LM_FOLD, rows, 1, 0, b, cw, r0, c0, tg, tdot, rowMax, sumExp, sumShifted, tlogit, above.address);
            }
        }
        Gpu.Memory logpDev = be.scratch("head.logp", 4L * N);
        Gpu.Memory rankDev = be.scratch("head.rank", 4L * N);
        be.launch(Kernels.LM_FINISH, CudaBackend.grid(N), 1, 0, lse.address(), ent.address(), logpDev.address, rankDev.address, tg,
                rowMax, sumExp, sumShifted, tlogit, above.address, N);
        be.downloadInto(logp, logpDev, N);
        if (entropy != null) be.downloadInto(entropy, ent.memory, N);
        if (rank != null) be.downloadInto(rank, rankDev, N);
        Saved saved = new Saved(logp, entropy, rank, xn, rstd, lse, ent, N);
        if (kept != 0) {
            saved.keptGeneration = be.headKeptGeneration;
            saved.keptTile = tile;
            saved.keptChunk = chunk;
        }
        return saved;
    }

    /**
     * The address of the kept-logits buffer (a scratch buffer reused across steps) when the budget allows and the
     * device has the memory, else 0. Either way the generation moves on: blocks an earlier forward kept are stale.
     */
    private static long keep(CudaBackend be, int N, int V) {
        be.headKeptGeneration++;
        long bytes = 4L * N * V;
        if (bytes > be.headKeepLogitsBytes) return 0;
        try {
            return be.scratch("head.kept", bytes).address;
        } catch (CudaFailure e) {
            if (e.code() != 2) throw e;
            return 0; // out of memory even after reclaiming: recompute in the backward
        }
    }

    /** Block (r0, c0) of rows x cw logits inside the kept buffer: tiles of rows one after another, chunks back to back in a tile. */
    private static long blockAt(long kept, int r0, int c0, int rows, int V) {
        return kept + 4L * ((long) r0 * V + (long) rows * c0);
    }

    static void backward(CudaBackend be, CudaTensor dh, CudaTensor dNormW, CudaTensor dW, float[] dLogp, float[] dEntropy,
                         Saved s, CudaTensor h, CudaTensor normW, CudaTensor w, int[] targets) {
        int N = h.rowCount(), D = h.rowLength(), V = w.dim(0);
        checkShapes(h, normW, w, targets, N, D, V);
        if (s.n != N) throw new IllegalArgumentException("lmHeadBackward: saved result has " + s.n + " rows, h has " + N);
        if (dLogp.length < N) throw new IllegalArgumentException("dLogp has " + dLogp.length + " entries, need " + N);
        if (dEntropy != null && dEntropy.length < N) throw new IllegalArgumentException("dEntropy has " + dEntropy.length + " entries, need " + N);
        if (dh != null && dh.numel() < (long) N * D) throw new IllegalArgumentException("dh is smaller than h");
        if (dNormW != null && dNormW.numel() != D) throw new IllegalArgumentException("dNormW must have " + D + " entries");
        if (dW != null && dW.numel() != (long) V * D) throw new IllegalArgumentException("dW must be [" + V + ", " + D + "]");
        if (N == 0) return;

        long tg = be.ints("head.targets", targets, N).address;
        long dlp = be.floats("head.dLogp", dLogp, N).address;
        Long dent = dEntropy == null ? null : be.floats("head.dEntropy", dEntropy, N).address;
        boolean needDxn = dh != null || dNormW != null;
        CudaTensor dxn = be.scratchTensor("head.dxn", DType.F32, N, D);
        if (needDxn) be.memsetZero(dxn.memory, 4L * N * D);

        int chunk = Math.min(be.headVocabChunk, V);
        int tile = Math.min(be.headRowTile, N);
        // the forward's blocks when it kept them and nothing has written there since (in fp32 the d-logits overwrite
        // them, so they are used once), else each block is recomputed: the same GEMM, so the same bits
        boolean reuse = s.keptGeneration != 0 && s.keptGeneration == be.headKeptGeneration && s.keptTile == tile && s.keptChunk == chunk;
        be.headKeptGeneration++;
        long kept = reuse ? be.scratch("head.kept", 4L * N * V).address : 0;
        long scratchBlock = kept != 0 ? 0 : be.scratch("head.block", 4L * tile * chunk).address;
        DType gType = w.dtype();
        long gradBlock = gType == DType.F32 ? 0 : be.scratch("head.gradBlock", 2L * tile * chunk).address;
        for (int r0 = 0; r0 < N; r0 += tile) {
            int rows = Math.min(tile, N - r0);
            for (int c0 = 0; c0 < V; c0 += chunk) {
                int cw = Math.min(chunk, V - c0);
                long block = kept != 0 ? blockAt(kept, r0, c0, rows, V) : scratchBlock;
                if (kept == 0) {
                    be.gemm(false, true, rows, cw, D, 1f, CudaBackend.mat(s.xn, (long) r0 * D, D), CudaBackend.mat(w, (long) c0 * D, D),
                            0f, new CudaBackend.Mat(block, DType.F32, cw));
                }
                long grad = gType == DType.F32 ? block : gradBlock;
                be.launch(Kernels.LM_DLOGITS, rows, 1, 0, grad, gType.flag(), block, rows, cw, r0, c0,
                        tg, dlp, dent, s.lse.address(), s.ent.address());
                CudaBackend.Mat g = new CudaBackend.Mat(grad, gType, cw);
                if (needDxn) {
                    be.gemm(false, false, rows, D, cw, 1f, g, CudaBackend.mat(w, (long) c0 * D, D), 1f, CudaBackend.mat(dxn, (long) r0 * D, D));
                }
                if (dW != null) {
                    be.gemm(true, false, cw, D, rows, 1f, g, CudaBackend.mat(s.xn, (long) r0 * D, D), 1f, CudaBackend.mat(dW, (long) c0 * D, D));
                }
            }
        }
        if (needDxn) {
            if (dh != null) {
                be.launch(Kernels.RMSNORM_BWD_DX, (N + 7) / 8, 1, 0, dh.address(), dh.dtype().flag(), dxn.address(), 0, h.address(),
                        h.dtype().flag(), normW.address(), normW.dtype().flag(), s.rstd.address(), 0, N, D, 0);
            }
            if (dNormW != null) CudaDense.columnSums(be, dNormW, dxn, h, s.rstd, N, D);
        }
    }

    private static void checkShapes(CudaTensor h, CudaTensor normW, CudaTensor w, int[] targets, int N, int D, int V) {
        if (w.rowLength() != D || normW.numel() != D) {
            throw new IllegalArgumentException("lmHead: h is [" + N + ", " + D + "], normW " + normW + ", W " + w + " (need [V, " + D + "])");
        }
        if (targets.length < N) throw new IllegalArgumentException("targets.length " + targets.length + " < N = " + N);
        for (int n = 0; n < N; n++) {
            if (targets[n] >= V) {
                throw new IllegalArgumentException("target " + targets[n] + " at position " + n + " is outside the vocabulary [0, " + V + ")");
            }
        }
    }
}
