package rift.grpo;

import rift.grpo.GrpoLossConfig.LossAgg;

/**
 * The denominator of the step loss, fixed ONCE per optimizer step before its first micro-batch, from the
 * whole step's loss masks (trainers.md §0 point 1: every trainer shipped the per-micro-batch version as a
 * bug). Each masked token of completion i gets the weight {@link #tokenWeight}, so the step loss is
 * L = sum_i sum_t m_{i,t} * weight_i * l_{i,t}, summed over micro-batches in any split.
 * <pre>
 *   token-mean               weight_i = 1 / T                T = masked tokens of the step (>= 1)
 *   seq-mean-token-mean      weight_i = 1 / (T_i * S)        T_i = masked tokens of completion i (0 -> weight 0)
 *   seq-mean-token-sum       weight_i = 1 / S                (verl: each completion's token sum, mean over completions)
 *   seq-mean-token-sum-norm  weight_i = 1 / (C * S)          C = loss_agg_constant (default max_new_tokens)
 * </pre>
 * S = all completions of the step, fully masked ones included (they add 0 to the numerator). This is
 * verl's agg_loss with its global batch info (trainers.md §2.2 lines 232-235; verl core_algos.agg_loss, where
 * global_batch_size = ppo_mini_batch_size x rollout.n counts every sequence) and TRL dapo / grpo / dr_grpo
 * (§2.1 lines 184-187) taken over the whole step rather than per micro-batch. T = 0 (everything masked) gives
 * a zero loss instead of verl's 0/0.
 * <p>
 * seq-mean-token-sum-norm follows Dr. GRPO (sail-sg/understand-r1-zero: per-sequence masked_sum / constant,
 * then mean over sequences) and TRL dr_grpo (sum / (B * max_completion_length)). verl's mode of the same name
 * differs: it computes sum_i sum_t m l / loss_scale_factor per micro-batch with no division by the number of
 * sequences (loss_scale_factor defaults to the micro-batch's padded response length, not a constant). verl's
 * legacy actor then multiplies by 1/gradient_accumulation (dp_actor.py), giving b x this mode (b = completions
 * per micro-batch); its newer engine path (workers/utils/losses.py, engine forward_backward_batch) sums the
 * micro-batch losses as they are, giving S x this mode (before DDP's average over ranks). To reproduce a verl
 * run, set C = verl's loss_scale_factor / b (legacy) or / S (engine).
 */
public record Normaliser(LossAgg mode, long tokens, int sequences, double constant) {

    public Normaliser {
        if (tokens < 0 || sequences < 0) throw new IllegalArgumentException("negative counts");
        if (mode == LossAgg.SEQ_MEAN_TOKEN_SUM_NORM && !(constant > 0)) throw new IllegalArgumentException("constant must be > 0");
    }

    /** From the masked token count of every completion of the step. */
    public static Normaliser forStep(GrpoLossConfig config, int[] maskedTokensPerCompletion) {
        long t = 0;
        for (int n : maskedTokensPerCompletion) {
            if (n < 0) throw new IllegalArgumentException("negative token count " + n);
            t += n;
        }
        double c = config.lossAgg() == LossAgg.SEQ_MEAN_TOKEN_SUM_NORM ? config.lossAggConstant() : 0.0;
        return new Normaliser(config.lossAgg(), t, maskedTokensPerCompletion.length, c);
    }

    /** From completion lengths and truncation flags, applying grpo.mask_truncated_completions. */
    public static Normaliser forStep(GrpoLossConfig config, int[] completionLengths, boolean[] truncated) {
        if (completionLengths.length != truncated.length) throw new IllegalArgumentException("lengths and flags differ in count");
        int[] masked = new int[completionLengths.length];
        for (int i = 0; i < masked.length; i++) masked[i] = config.maskTruncatedCompletions() && truncated[i] ? 0 : completionLengths[i];
        return forStep(config, masked);
    }

    /** Weight of each masked token of a completion with {@code completionMaskedTokens} masked tokens. */
    public double tokenWeight(int completionMaskedTokens) {
        double s = Math.max(sequences, 1);
        return switch (mode) {
            case TOKEN_MEAN -> 1.0 / Math.max(tokens, 1);
            case SEQ_MEAN_TOKEN_MEAN -> completionMaskedTokens == 0 ? 0.0 : 1.0 / ((double) completionMaskedTokens * s);
            case SEQ_MEAN_TOKEN_SUM -> 1.0 / s;
            case SEQ_MEAN_TOKEN_SUM_NORM -> 1.0 / (constant * s);
        };
    }
}
