package rift.bench;

/**
 * The bytes the CUDA fused LM head forward (rift.kernels.cuda.CudaLmHead) moves through device memory,
 * counted from its traffic pattern: RMSNorm reads h [N, D] and writes xn [N, D] (in W's type); the
 * target-logit dot reads xn and one W row per token; then for every tile of headRowTile rows and every
 * chunk of headVocabChunk vocabulary rows, cuBLAS reads the xn tile and the W chunk and writes an fp32
 * logits block, which rift_lm_fold reads back (the block, tile x chunk x 4 bytes, is 128 MiB at the
 * defaults: larger than any GPU's L2, so the round trip is real HBM traffic). So W is read once per
 * row tile, xn once per vocabulary chunk, and the [N, V] fp32 logits pass through memory twice. With a
 * smaller tiling (-Drift.cuda.headTiles) a block can fit L2, and the round trip is then an upper bound.
 * Per-row statistics (a few words per row and block) and the host copies are counted as "rows".
 *
 * <p>{@link #fused()} is what a kernel that kept each logits block on chip would need at least: h in,
 * W once, the per-row outputs.
 */
record HeadTraffic(int n, int d, int v, int wBytes, int tiles, int chunks, long hIn, long xnOut, long targetDot, long weightReads,
                   long xnReads, long logitsRoundTrip, long rows) {
    static HeadTraffic of(int n, int d, int v, int hBytes, int wBytes, int rowTile, int vocabChunk) {
        long nd = (long) n * d;
        int tiles = (n + rowTile - 1) / rowTile, chunks = (v + vocabChunk - 1) / vocabChunk;
        long weightReads = (long) tiles * v * d * wBytes;
        long xnReads = (long) chunks * nd * wBytes;
        long logits = 2L * 4 * n * v;
        // rstd, lse, entropy, log-prob, rank and targets (4 bytes each per row); the fold's running max, sums
        // (two doubles), target logit and count read and written once per block
        long rows = 6L * 4 * n + (long) chunks * 2 * (4 + 8 + 8 + 4 + 4) * n + (long) d * wBytes;
        return new HeadTraffic(n, d, v, wBytes, tiles, chunks, nd * hBytes, nd * wBytes, 2 * nd * wBytes, weightReads, xnReads, logits, rows);
    }

    long total() {
        return hIn + xnOut + targetDot + weightReads + xnReads + logitsRoundTrip + rows;
    }

    /** h in, W read once, targets in and log-probs out: the least any implementation moves. */
    long fused() {
        return hIn + (long) v * d * wBytes + 8L * n;
    }

    /** 2 N D V: the logits GEMM (the fold's exp/log work is not counted). */
    double flops() {
        return 2.0 * n * d * v;
    }
}
