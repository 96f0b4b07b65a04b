package rift.kernels.cpu;

/**
 * The fused final RMSNorm + LM head + log-softmax, chunked over the vocabulary so the [N, V] logits are
 * never materialised whole (Qwen3's vocabulary is 151,936): only an [rows, vocabChunk] block exists at
 * a time. For each token n with a target (targets[n] >= 0) it returns the log-prob of the target, and
 * for every token the entropy of the softmax and, optionally, the rank of the target (1 = the largest
 * logit; ties counted in the target's favour: rank = 1 + #{j : logit_j > logit_target}).
 *
 * <p>h [N, D] is the last residual stream (before the final norm); normW [D]; W [V, D] is the LM head
 * (the embedding table when tied). Cross-entropy is -logp. Everything accumulates in float with the
 * online max/sum-exp trick per row; entropy uses H = log Z - sum p*logit computed online.
 */
public final class LmHead {
    private LmHead() {}

    /** Saved by forward for backward. xn [N, D] normalised hidden states, rstd [N], lse [N] log-sum-exp. */
    public static final class Saved {
        public float[] xn, rstd, lse, logp, entropy;
        public int N, D, V;
    }

    /**
     * @param logp    [N] out: log p(targets[n]); 0 where targets[n] < 0
     * @param entropy [N] out: entropy of row n (nats); may be null to skip
     * @param rank    [N] out: rank of the target; may be null to skip
     */
    public static Saved forward(float[] logp, float[] entropy, int[] rank, float[] h, int N, int D, float[] normW,
                                float eps, float[] W, int V, int[] targets, int vocabChunk) {
        throw new UnsupportedOperationException("pending: LmHead.forward");
    }

    /**
     * Backward given dLogp [N] (d loss / d logp[n]) and dEntropy [N] (may be null): dh [N, D] +=,
     * dNormW [D] +=, dW [V, D] += (deterministic: per-chunk partials summed in fixed order).
     */
    public static void backward(float[] dh, float[] dNormW, float[] dW, float[] dLogp, float[] dEntropy,
                                Saved s, float[] h, float[] normW, float[] W, int[] targets, int vocabChunk) {
        throw new UnsupportedOperationException("pending: LmHead.backward");
    }
}
