package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The fused final RMSNorm + LM head + log-softmax, chunked over the vocabulary so the [N, V] logits are
 * never materialised whole (Qwen3's vocabulary is 151,936): only an [rows, vocabChunk] block exists at
 * a time. For each token n with a target (targets[n] >= 0) it returns the log-prob of the target, and
 * for every token the entropy of the softmax and, optionally, the rank of the target (1 = the largest
 * logit; ties counted in the target's favour: rank = 1 + #{j : logit_j > logit_target}).
 *
 * <p>h [N, D] is the last residual stream (before the final norm); normW [D]; W [V, D] is the LM head
 * (the embedding table when tied). Cross-entropy is -logp. Logits and per-chunk sums are float, with
 * the online max/sum-exp trick per row; entropy uses H = log Z - sum p*logit computed online.
 *
 * <p>How: xn = RmsNorm(h) is kept. Tokens go in tiles of {@code rowTile} rows; for each tile and each
 * vocabulary chunk [c0, c1) one Gemm makes the logits block xn_tile @ W[c0:c1]^T, and each row folds
 * the block into its running max m, S = sum exp(l - m) and T = sum exp(l - m) (l - m) (S and T in
 * double across chunks, rescaled when m grows), so lse = m + log S and H = log S - T / S. The target
 * logit for the rank is a dot product taken before the chunk loop; the target's own logit is never
 * counted against itself, and logp uses the target's value from the logits block, the same number
 * that went into lse. Backward recomputes each block and turns it into dlogits in place:
 * dl_j = dLogp (onehot_j - p_j) - dEntropy p_j (log p_j + H), then dxn += dl @ W[c0:c1] and
 * dW[c0:c1] += dl^T @ xn_tile (two Gemms; dW chunks are accumulated tile after tile, a fixed order),
 * and finally the RMSNorm backward takes dxn to dh and dNormW.
 */
public final class LmHead {
    /** Tokens per tile: the logits scratch is [ROW_TILE, vocabChunk] floats. */
    static final int ROW_TILE = 256;
    private static final int FL = VecMath.FL;

    private LmHead() {}

    /**
     * Saved by forward for backward. xn [N, D] normalised hidden states, rstd [N], lse [N] log-sum-exp;
     * logp [N] and entropy [N] are copies of what forward returned (backward reads the entropy).
     */
    public static final class Saved {
        public float[] xn, rstd, lse, logp, entropy;
        public int N, D, V;
    }

    /**
     * @param logp    [N] out: log p(targets[n]); 0 where targets[n] < 0
     * @param entropy [N] out: entropy of row n (nats); may be null to skip
     * @param rank    [N] out: rank of the target; may be null to skip (0 where targets[n] < 0)
     */
    public static Saved forward(float[] logp, float[] entropy, int[] rank, float[] h, int N, int D, float[] normW,
                                float eps, float[] W, int V, int[] targets, int vocabChunk) {
        return forward(logp, entropy, rank, h, N, D, normW, eps, W, V, targets, vocabChunk, ROW_TILE);
    }

    /** As {@link #forward(float[], float[], int[], float[], int, int, float[], float, float[], int, int[], int)} with a given row tile (tests). */
    static Saved forward(float[] logp, float[] entropy, int[] rank, float[] h, int N, int D, float[] normW,
                         float eps, float[] W, int V, int[] targets, int vocabChunk, int rowTile) {
        checkShapes(h, N, D, normW, W, V, targets, vocabChunk, rowTile);
        Vec.checkLength("logp", logp, 0, N);
        if (entropy != null) Vec.checkLength("entropy", entropy, 0, N);
        if (rank != null && rank.length < N) throw new IllegalArgumentException("rank.length " + rank.length + " < N = " + N);

        Saved s = new Saved();
        s.N = N;
        s.D = D;
        s.V = V;
        s.xn = new float[N * D];
        s.rstd = new float[N];
        s.lse = new float[N];
        s.logp = new float[N]; // own copies: backward must not see later changes to the caller's arrays
        s.entropy = new float[N];
        RmsNorm.forward(s.xn, s.rstd, h, normW, N, D, eps);

        // The rank threshold: each target logit by a dot product, before any block exists.
        float[] targetDot = new float[N];
        Parallel.forRange(N, Math.max(1, 4096 / D), (c, a, b) -> {
            for (int n = a; n < b; n++) {
                targetDot[n] = targets[n] >= 0 ? VecMath.dot(s.xn, n * D, W, targets[n] * D, D) : 0f;
            }
        });

        float[] rowMax = new float[N];
        java.util.Arrays.fill(rowMax, Float.NEGATIVE_INFINITY);
        double[] sumExp = new double[N], sumExpShifted = new double[N];
        float[] targetLogit = new float[N];
        int[] above = new int[N];

        int chunk = Math.min(vocabChunk, V);
        int tile = Math.min(rowTile, Math.max(1, N));
        float[] block = new float[tile * chunk];
        for (int r0 = 0; r0 < N; r0 += tile) {
            int rows = Math.min(tile, N - r0);
            for (int c0 = 0; c0 < V; c0 += chunk) {
                int cw = Math.min(chunk, V - c0);
                Gemm.sgemm(false, true, rows, cw, D, 1f, s.xn, r0 * D, D, W, c0 * D, D, 0f, block, 0, cw);
                final int fr0 = r0, fc0 = c0;
                Parallel.forRange(rows, Math.max(1, 4096 / cw), (c, a, b) -> {
                    for (int i = a; i < b; i++) {
                        foldBlockRow(block, i * cw, cw, fr0 + i, fc0, targets[fr0 + i], targetDot,
                                rowMax, sumExp, sumExpShifted, targetLogit, above);
                    }
                });
            }
        }

        for (int n = 0; n < N; n++) {
            double logS = StrictMath.log(sumExp[n]);
            s.lse[n] = (float) (rowMax[n] + logS);
            s.entropy[n] = (float) (logS - sumExpShifted[n] / sumExp[n]);
            s.logp[n] = targets[n] >= 0 ? targetLogit[n] - s.lse[n] : 0f;
            if (rank != null) rank[n] = targets[n] >= 0 ? 1 + above[n] : 0;
        }
        System.arraycopy(s.logp, 0, logp, 0, N);
        if (entropy != null) System.arraycopy(s.entropy, 0, entropy, 0, N);
        return s;
    }

    /** Folds one row of a logits block (vocabulary [c0, c0+cw)) into row n's running statistics. */
    static void foldBlockRow(float[] block, int o, int cw, int n, int c0, int target, float[] targetDot,
                                     float[] rowMax, double[] sumExp, double[] sumExpShifted,
                                     float[] targetLogit, int[] above) {
        int vecEnd = VecMath.FS.loopBound(cw);
        boolean hasTarget = target >= 0;
        float tl = targetDot[n];
        FloatVector maxV = FloatVector.broadcast(VecMath.FS, Float.NEGATIVE_INFINITY);
        int count = 0;
        int j = 0;
        for (; j < vecEnd; j += FL) {
            FloatVector l = FloatVector.fromArray(VecMath.FS, block, o + j);
            maxV = maxV.max(l);
            if (hasTarget) count += l.compare(VectorOperators.GT, tl).trueCount();
        }
        float chunkMax = Float.NEGATIVE_INFINITY;
        for (float x : maxV.toArray()) chunkMax = Math.max(chunkMax, x);
        for (; j < cw; j++) {
            float l = block[o + j];
            chunkMax = Math.max(chunkMax, l);
            if (hasTarget && l > tl) count++;
        }
        if (hasTarget && target >= c0 && target < c0 + cw) {
            float own = block[o + target - c0];
            targetLogit[n] = own;
            if (own > tl) count--; // the target is never ranked against itself
        }
        above[n] += count;

        float oldMax = rowMax[n];
        float m = Math.max(oldMax, chunkMax);
        FloatVector mV = FloatVector.broadcast(VecMath.FS, m);
        FloatVector sV = FloatVector.zero(VecMath.FS), tV = FloatVector.zero(VecMath.FS);
        j = 0;
        for (; j < vecEnd; j += FL) {
            FloatVector z = FloatVector.fromArray(VecMath.FS, block, o + j).sub(mV);
            FloatVector e = VecMath.exp(z);
            sV = sV.add(e);
            tV = e.fma(z, tV);
        }
        float se = VecMath.sumLanes(sV), te = VecMath.sumLanes(tV);
        for (; j < cw; j++) {
            float z = block[o + j] - m;
            float e = VecMath.exp(z);
            se += e;
            te = Math.fma(e, z, te);
        }
        // Rescale the earlier chunks' S and T to the new max: T' = sum e' (l - m) = r (T + S (oldMax - m)).
        double S = sumExp[n], T = sumExpShifted[n];
        if (S > 0) {
            double shift = (double) oldMax - m;
            double r = StrictMath.exp(shift);
            T = r * (T + S * shift);
            S = r * S;
        }
        sumExp[n] = S + se;
        sumExpShifted[n] = T + te;
        rowMax[n] = m;
    }

    /**
     * Backward given dLogp [N] (d loss / d logp[n]) and dEntropy [N] (may be null): dh [N, D] +=,
     * dNormW [D] +=, dW [V, D] += (deterministic: each dW chunk is accumulated by one Gemm per row
     * tile, tiles in order; dNormW by RmsNorm's per-chunk partials). dLogp is ignored where
     * targets[n] < 0.
     */
    public static void backward(float[] dh, float[] dNormW, float[] dW, float[] dLogp, float[] dEntropy,
                                Saved s, float[] h, float[] normW, float[] W, int[] targets, int vocabChunk) {
        backward(dh, dNormW, dW, dLogp, dEntropy, s, h, normW, W, targets, vocabChunk, ROW_TILE);
    }

    static void backward(float[] dh, float[] dNormW, float[] dW, float[] dLogp, float[] dEntropy,
                         Saved s, float[] h, float[] normW, float[] W, int[] targets, int vocabChunk, int rowTile) {
        int N = s.N, D = s.D, V = s.V;
        checkShapes(h, N, D, normW, W, V, targets, vocabChunk, rowTile);
        Vec.checkLength("dh", dh, 0, N * D);
        Vec.checkLength("dNormW", dNormW, 0, D);
        Vec.checkLength("dW", dW, 0, V * D);
        Vec.checkLength("dLogp", dLogp, 0, N);
        if (dEntropy != null) Vec.checkLength("dEntropy", dEntropy, 0, N);

        float[] dxn = new float[N * D];
        int chunk = Math.min(vocabChunk, V);
        int tile = Math.min(rowTile, Math.max(1, N));
        float[] block = new float[tile * chunk];
        for (int r0 = 0; r0 < N; r0 += tile) {
            int rows = Math.min(tile, N - r0);
            for (int c0 = 0; c0 < V; c0 += chunk) {
                int cw = Math.min(chunk, V - c0);
                Gemm.sgemm(false, true, rows, cw, D, 1f, s.xn, r0 * D, D, W, c0 * D, D, 0f, block, 0, cw);
                final int fr0 = r0, fc0 = c0;
                Parallel.forRange(rows, Math.max(1, 4096 / cw), (c, a, b) -> {
                    for (int i = a; i < b; i++) {
                        int n = fr0 + i;
                        float dlp = targets[n] >= 0 ? dLogp[n] : 0f;
                        float dent = dEntropy != null ? dEntropy[n] : 0f;
                        dlogitsRow(block, i * cw, cw, fc0, targets[n], dlp, dent, s.lse[n], s.entropy[n]);
                    }
                });
                Gemm.sgemm(false, false, rows, D, cw, 1f, block, 0, cw, W, c0 * D, D, 1f, dxn, r0 * D, D);
                Gemm.sgemm(true, false, cw, D, rows, 1f, block, 0, cw, s.xn, r0 * D, D, 1f, dW, c0 * D, D);
            }
        }
        RmsNorm.backward(dh, dNormW, dxn, h, normW, s.rstd, N, D);
    }

    /**
     * Replaces one row of logits l (vocabulary [c0, c0+cw)) by dl_j = dlp (onehot_j - p_j)
     * - dent p_j (log p_j + H), with p_j = exp(l_j - lse) and log p_j = l_j - lse.
     */
    private static void dlogitsRow(float[] block, int o, int cw, int c0, int target, float dlp, float dent,
                                   float lse, float H) {
        if (dlp == 0f && dent == 0f) {
            java.util.Arrays.fill(block, o, o + cw, 0f);
            return;
        }
        int vecEnd = VecMath.FS.loopBound(cw);
        int j = 0;
        for (; j < vecEnd; j += FL) {
            FloatVector logP = FloatVector.fromArray(VecMath.FS, block, o + j).sub(lse);
            FloatVector p = VecMath.exp(logP);
            FloatVector coef = logP.add(H).fma(dent, dlp); // dlp + dent (log p + H)
            p.neg().mul(coef).intoArray(block, o + j);
        }
        for (; j < cw; j++) {
            float logP = block[o + j] - lse;
            float p = VecMath.exp(logP);
            float coef = Math.fma(logP + H, dent, dlp);
            block[o + j] = -p * coef;
        }
        if (target >= c0 && target < c0 + cw) block[o + target - c0] += dlp;
    }

    private static void checkShapes(float[] h, int N, int D, float[] normW, float[] W, int V, int[] targets,
                                    int vocabChunk, int rowTile) {
        if (N < 0 || D <= 0 || V <= 0) throw new IllegalArgumentException("bad shape N=" + N + " D=" + D + " V=" + V);
        if (vocabChunk < 1) throw new IllegalArgumentException("vocabChunk must be >= 1, got " + vocabChunk);
        if (rowTile < 1) throw new IllegalArgumentException("rowTile must be >= 1, got " + rowTile);
        Vec.checkLength("h", h, 0, N * D);
        Vec.checkLength("normW", normW, 0, D);
        Vec.checkLength("W", W, 0, V * D);
        if (targets.length < N) throw new IllegalArgumentException("targets.length " + targets.length + " < N = " + N);
        for (int n = 0; n < N; n++) {
            if (targets[n] >= V) {
                throw new IllegalArgumentException("target " + targets[n] + " at position " + n + " is outside the vocabulary [0, " + V + ")");
            }
        }
    }
}
