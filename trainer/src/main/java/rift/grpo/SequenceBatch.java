package rift.grpo;

/**
 * One micro-batch of whole completions for {@link GrpoLoss}, flattened like rift.model.TokenBatch: S
 * completions, their tokens one after another, completion s owning tokens [seqStart[s], seqStart[s+1]).
 * Only completion tokens are here (the trainer drops prompt positions). A completion is never split across
 * micro-batches (seq-mean-token-mean needs its whole token count).
 *
 * @param seqStart  S+1 offsets, 0 first, N last
 * @param logp      per token: log pi_theta of the sampled token (current policy, the forward just run)
 * @param oldLogp   per token: log pi_old, the policy that sampled (rollout); equal to logp on the first pass
 * @param refLogp   per token: log pi_ref, or null (needed when beta > 0 with kl_in: loss)
 * @param entropy   per token: entropy of pi_theta at that position, or null (needed when entropy_coef != 0)
 * @param mask      per token: true when the token is in the loss (see {@link #lossMask})
 * @param advantage per completion: A (or the Eq. 3 weight w, see {@link Advantages#weights})
 * @param pgMask    per token: true when the policy-gradient term applies (grpo.top_entropy_quantile keeps it on
 *                  high-entropy tokens only), or null for every loss token
 */
public record SequenceBatch(int[] seqStart, double[] logp, double[] oldLogp, double[] refLogp, double[] entropy,
                            boolean[] mask, double[] advantage, boolean[] pgMask) {

    /** A batch whose policy-gradient term applies to every loss token. */
    public SequenceBatch(int[] seqStart, double[] logp, double[] oldLogp, double[] refLogp, double[] entropy, boolean[] mask,
                         double[] advantage) {
        this(seqStart, logp, oldLogp, refLogp, entropy, mask, advantage, null);
    }

    public SequenceBatch {
        int s = seqStart.length - 1;
        if (s < 0 || seqStart[0] != 0) throw new IllegalArgumentException("seqStart must start at 0");
        for (int i = 1; i <= s; i++) if (seqStart[i] < seqStart[i - 1]) throw new IllegalArgumentException("seqStart must not decrease");
        int n = seqStart[s];
        check("logp", logp.length, n);
        check("oldLogp", oldLogp.length, n);
        if (refLogp != null) check("refLogp", refLogp.length, n);
        if (entropy != null) check("entropy", entropy.length, n);
        check("mask", mask.length, n);
        check("advantage", advantage.length, s);
        if (pgMask != null) check("pgMask", pgMask.length, n);
    }

    /** Whether the policy-gradient term applies to token t (a loss token the pgMask keeps). */
    public boolean inPolicyGradient(int t) {
        return mask[t] && (pgMask == null || pgMask[t]);
    }

    private static void check(String what, int got, int want) {
        if (got != want) throw new IllegalArgumentException(what + " has " + got + " entries, expected " + want);
    }

    public int sequences() {
        return seqStart.length - 1;
    }

    public int tokens() {
        return seqStart[seqStart.length - 1];
    }

    /** Tokens of completion s that are in the loss. */
    public int maskedTokens(int s) {
        int c = 0;
        for (int t = seqStart[s]; t < seqStart[s + 1]; t++) if (mask[t]) c++;
        return c;
    }

    /**
     * The loss mask: every completion token, except that with {@code maskTruncated} (grpo.mask_truncated_completions,
     * DAPO overlong filtering, TRL trainers.md line 201) a truncated completion's tokens are all out.
     */
    public static boolean[] lossMask(int[] seqStart, boolean[] truncated, boolean maskTruncated) {
        if (truncated.length != seqStart.length - 1)
            throw new IllegalArgumentException(truncated.length + " truncated flags for " + (seqStart.length - 1) + " completions");
        boolean[] m = new boolean[seqStart[seqStart.length - 1]];
        for (int s = 0; s < truncated.length; s++)
            if (!(maskTruncated && truncated[s])) java.util.Arrays.fill(m, seqStart[s], seqStart[s + 1], true);
        return m;
    }

    /** Widens the model's float log-probs (or entropies) for the loss, which works in double. */
    public static double[] widen(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i];
        return out;
    }
}
