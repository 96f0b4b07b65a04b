package rift.grpo;

import rift.grpo.GrpoLossConfig.KlEstimator;

/**
 * {@code kl_in: reward}: the KL penalty goes into the reward before advantages (verl use_kl_in_reward,
 * {@code apply_kl_penalty}; trainers.md §2.2 lines 239-241 and §2.4 lines 291-292). verl writes per-token rewards
 * {@code r_t = score_t - beta * k(old_logp_t, ref_logp_t)} (the score sits on the last token) and GRPO then
 * sums them over the completion, so for GRPO's outcome advantage the penalty is sequence-level:
 * <pre>
 *   s_i = score_i - beta * sum_t k(old_logp_{i,t} - ref_logp_{i,t})      over all completion tokens
 * </pre>
 * with the rollout policy's log-probs (old_logp, what sampled the tokens), so it is a constant for the
 * loss: no gradient flows through it. The estimator is the configured one (verl algorithm.kl_penalty,
 * default k1 = the classic RLHF penalty). The sum runs over every completion token, truncated or not (verl's
 * response_mask): mask_truncated_completions only removes a completion from the loss, not from its group.
 */
public final class KlInReward {
    private KlInReward() {}

    /** sum_t k(old[t], ref[t]) for t in [from, to). */
    public static double sequencePenalty(KlEstimator e, double[] oldLogp, double[] refLogp, int from, int to) {
        double s = 0;
        for (int t = from; t < to; t++) s += Kl.value(e, oldLogp[t], refLogp[t]);
        return s;
    }

    /** score_i - beta * penalty_i, in a new array. */
    public static double[] penalise(double[] scores, double[] penalties, double beta) {
        if (scores.length != penalties.length) throw new IllegalArgumentException(scores.length + " scores but " + penalties.length + " penalties");
        double[] out = new double[scores.length];
        for (int i = 0; i < out.length; i++) out[i] = scores[i] - beta * penalties[i];
        return out;
    }
}
