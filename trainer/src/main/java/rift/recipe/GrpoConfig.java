package rift.recipe;

import java.util.List;

/**
 * Group Relative Policy Optimization and the paper's ablations of it; used when {@code method: grpo}.
 * Names follow TRL's GRPOConfig where TRL has the setting, else verl's.
 */
@Doc("GRPO settings, used when `method: grpo`. Each step samples `num_generations` completions for"
        + " each of schedule.global_batch prompts, scores them with `rewards`, turns rewards into"
        + " advantages within each group, and takes `mu` x (global_batch / mini_batch) optimizer steps on"
        + " the clipped objective. `sampling` and `weight` switch to the paper's ablations"
        + " (Eq. 3: on-/off-policy SFT and RL).")
public record GrpoConfig(
        @Doc(value = "Where completions come from.", dflt = "policy")
        Sampling sampling,

        @Doc(value = "Per-completion weight of the log-likelihood gradient.", dflt = "advantage")
        Weight weight,

        @Doc(value = "Completions per prompt (the group size G); at least 2 with weight: advantage.",
                dflt = "8", range = "[1, inf)",
                aka = {"num_generations (TRL)", "rollout.n (verl)", "grpo_samples (torchtune)"})
        int numGenerations,

        @Doc(value = "Sampling temperature; log-probabilities for the loss use the same temperature.",
                dflt = "1.0", range = "(0, inf)", aka = {"temperature (TRL, verl)"})
        double temperature,

        @Doc(value = "Nucleus sampling: keep the smallest set of tokens with this much probability; 1.0: off.",
                dflt = "1.0", range = "(0, 1]", aka = {"top_p (TRL, verl)"})
        double topP,

        @Doc(value = "Keep only the k most likely tokens; 0: off (verl writes -1).", dflt = "0",
                range = "[0, inf)", aka = {"top_k (TRL, verl)"})
        int topK,

        @Doc(value = "Drop tokens less likely than min_p x the most likely one; 0.0: off.", dflt = "0.0",
                range = "[0, 1)", aka = {"min_p (TRL)"})
        double minP,

        @Doc(value = "Longest completion in tokens; a completion that reaches it is truncated.",
                dflt = "512", range = "[1, inf)",
                aka = {"max_completion_length (TRL)", "response_length (verl)", "max_generated_tokens (torchtune)"})
        int maxNewTokens,

        @Doc(value = "Strings that end a completion (kept in it), in addition to the tokenizer's"
                + " end-of-sequence tokens.", dflt = "[]", aka = {"stop (vLLM)"})
        List<String> stop,

        @Doc(value = "Reward functions, summed with their weights. Each element names one with `name:`"
                + " (correctness, format, overlong; see Reward sections below).",
                dflt = "[{name: correctness}]", aka = {"reward_funcs (TRL)", "reward_weights (TRL)"})
        List<Reward> rewards,

        @Doc(value = "How the correctness and format rewards find the final answer in a completion.",
                dflt = "math")
        VerifierMode verifierMode,

        @Doc(value = "Wall-clock limit for verifying one completion; a timeout counts as incorrect.",
                dflt = "5000", range = "[1, inf)")
        int verifierTimeoutMs,

        @Doc(value = "Advantage normalisation: A = (r - group mean) / (std + a small epsilon), with the std of the"
                + " group, of the whole batch, or none (Dr. GRPO).", dflt = "group",
                aka = {"scale_rewards (TRL)", "norm_adv_by_std_in_grpo (verl)"})
        ScaleRewards scaleRewards,

        @Doc(value = "DAPO dynamic sampling: drop groups whose rewards are all equal (zero advantage)"
                + " and sample more prompts until the batch is full.", dflt = "false",
                aka = {"filter_groups.enable (verl)", "dynamic_filtering_enable (OpenRLHF)"})
        boolean dynamicSampling,

        @Doc(value = "With dynamic_sampling: generation rounds per step before training on a batch"
                + " that is still not full.", dflt = "10", range = "[1, inf)",
                aka = {"filter_groups.max_num_gen_batches (verl)"})
        int maxSamplingTries,

        @Doc(value = "DAPO overlong filtering: completions cut at max_new_tokens (no stop/EOS) get no"
                + " loss.", dflt = "false", aka = {"mask_truncated_completions (TRL)"})
        boolean maskTruncatedCompletions,

        @Doc(value = "Lower clip: the ratio pi/pi_old is clipped below at 1 - epsilon_low.", dflt = "0.2",
                range = "(0, 1)", aka = {"epsilon (TRL)", "clip_ratio_low (verl)"})
        double epsilonLow,

        @Doc(value = "Upper clip: clipped above at 1 + epsilon_high (DAPO clip-higher uses 0.28). null: the same"
                + " as epsilon_low (symmetric clipping), as TRL's epsilon_high: None.",
                dflt = "null", range = "(0, inf)", aka = {"epsilon_high (TRL)", "clip_ratio_high (verl)"})
        Double epsilonHigh,

        @Doc(value = "Dual clip for negative advantages: the loss of a token is at most clip_ratio_c x |A|."
                + " null: off (verl's default is 3.0). TRL's delta (INTELLECT-2 two-sided clip) gives the same"
                + " loss and gradient when delta > 1 + epsilon_high, the range TRL recommends.", dflt = "null",
                range = "(1, inf)", aka = {"clip_ratio_c (verl)", "delta (TRL)"})
        Double clipRatioC,

        @Doc(value = "Which probability ratio is clipped: one per token (GRPO, PPO) or one per completion, the"
                + " geometric mean of its token ratios (GSPO; TRL's docs pair it with loss_agg:"
                + " seq-mean-token-mean and epsilons of 3e-4 / 4e-4). With mu = 1 and one optimizer step per"
                + " rollout batch the ratio is 1 either way, and both levels give the same gradient.",
                dflt = "token", aka = {"importance_sampling_level (TRL)", "policy_loss.loss_mode (verl, gspo)"})
        ImportanceSamplingLevel importanceSamplingLevel,

        @Doc(value = "The per-token policy-gradient term: ppo (GRPO's clipped surrogate) or cispo (MiniMax-M1:"
                + " -sg(clip(ratio, 1 - epsilon_low, 1 + epsilon_high)) x A x log pi, so no token loses its gradient).",
                dflt = "ppo", aka = {"policy_loss.loss_mode (verl)"})
        PolicyLoss policyLoss,

        @Doc(value = "How per-token losses become the step's loss.", dflt = "token-mean",
                aka = {"loss_agg_mode (verl)", "loss_type (TRL)"})
        LossAgg lossAgg,

        @Doc(value = "Constant normaliser of seq-mean-token-sum-norm (Dr. GRPO); only allowed with"
                + " that loss_agg. null: max_new_tokens.", dflt = "null", range = "(0, inf)",
                aka = {"loss_scale_factor (verl)"})
        Double lossAggConstant,

        @Doc(value = "KL coefficient against the initial (reference) model; 0.0: no KL and no"
                + " reference model.", dflt = "0.0", range = "[0, inf)",
                aka = {"beta (TRL)", "kl_loss_coef (verl)", "kl_coef (verl)"})
        double beta,

        @Doc(value = "KL estimator (Schulman): k1 = d, k2 = d^2/2, k3 = exp(-d) - 1 + d, with d = log"
                + " pi - log pi_ref; abs = |d|; k1-plus and k3-plus report k1 or k3 but take k2's gradient"
                + " (verl's straight-through k1+ / k3+).", dflt = "k3", aka = {"kl_loss_type (verl)", "kl_penalty (verl)"})
        KlEstimator klEstimator,

        @Doc(value = "Where the KL term goes.", dflt = "loss", aka = {"use_kl_loss (verl)", "use_kl_in_reward (verl)"})
        KlIn klIn,

        @Doc(value = "Multiply each token's KL loss term by its importance ratio pi / pi_old (the completion's ratio"
                + " with importance_sampling_level: sequence), the ratio's gradient included: the KL gradient stays"
                + " unbiased when the samples come from pi_old (DeepSeek-V3.2). Needs beta > 0 and kl_in: loss.",
                dflt = "false", aka = {"use_bias_correction_kl (TRL)"})
        boolean klBiasCorrection,

        @Doc(value = "Entropy bonus coefficient: entropy_coef x mean token entropy is subtracted from"
                + " the loss; 0.0: off.", dflt = "0.0", aka = {"entropy_coef (TRL)", "entropy_coeff (verl)"})
        double entropyCoef,

        @Doc(value = "Keep the policy-gradient term only on the tokens whose entropy is in this top fraction of the"
                + " step's loss tokens (the 80/20 paper, Wang et al. 2025; TRL's top_entropy_quantile); the KL and"
                + " entropy terms and the loss normaliser still count every token. 1.0: every token. The entropies"
                + " come from one no-grad forward of the step's completions under the policy before its first update"
                + " (at the sampling temperature), and the threshold is their quantile over the whole step, not per"
                + " micro-batch as in TRL, so micro_batch does not change the result; every update of the step uses"
                + " that mask.", dflt = "1.0", range = "(0, 1]", aka = {"top_entropy_quantile (TRL)"})
        double topEntropyQuantile,

        @Doc(value = "Policy updates per rollout batch (mu): passes over the sampled batch.", dflt = "1",
                range = "[1, inf)", aka = {"num_iterations (TRL)", "ppo_epochs (verl)"})
        int mu,

        @Doc(value = "Prompts per optimizer step (their completions included); must divide"
                + " schedule.global_batch. null: schedule.global_batch (one step per rollout batch).",
                dflt = "null", range = "[1, inf)", aka = {"ppo_mini_batch_size (verl)"})
        Integer miniBatch,

        @Doc(value = "Write every completion of each step (prompt, completion text, tokens, finish reason,"
                + " correct, reward, advantage) to run_dir/completions/step-N.jsonl, to debug the reward on real"
                + " outputs.", dflt = "false", aka = {"log_completions (TRL)"})
        boolean logCompletions) {

    public GrpoConfig {
        stop = List.copyOf(stop);
        rewards = List.copyOf(rewards);
        if (epsilonHigh == null) epsilonHigh = epsilonLow; // TRL: epsilon_high None -> epsilon
        if (lossAgg == LossAgg.SEQ_MEAN_TOKEN_SUM_NORM && lossAggConstant == null) lossAggConstant = (double) maxNewTokens;
    }

    public enum Sampling {
        @Doc("On-policy: the policy samples the completions (RL, on-policy SFT).")
        POLICY,
        @Doc("Off-policy: completions are the dataset's solutions (data.fields.solution).")
        DATASET
    }

    public enum Weight {
        @Doc("The group-relative advantage (GRPO).")
        ADVANTAGE,
        @Doc("1 for every completion (plain likelihood, as SFT).")
        ONE,
        @Doc("1 for correct completions, 0 otherwise (rejection sampling; on-policy SFT with sampling: policy).")
        REJECT
    }

    public enum VerifierMode {
        @Doc("Last \\boxed{...} of the completion, compared with the gold answer as mathematics.")
        MATH,
        @Doc("The number after '####' (else the last number) of the completion, compared as a number.")
        GSM8K
    }

    public enum ScaleRewards {
        @Doc(value = "Divide by the group's standard deviation (GRPO).", aka = {"true (TRL scale_rewards)"})
        GROUP,
        @Doc("Divide by the standard deviation of the whole batch (the mean stays the group's, as TRL's batch).")
        BATCH,
        @Doc(value = "Do not divide (Dr. GRPO).", aka = {"false (TRL scale_rewards)"})
        NONE
    }

    public enum PolicyLoss {
        @Doc(value = "-min(ratio A, clip(ratio, 1 - epsilon_low, 1 + epsilon_high) A), with clip_ratio_c's dual clip (GRPO, PPO,"
                + " DAPO).", aka = {"vanilla (verl)"})
        PPO,
        @Doc(value = "-sg(clip(ratio, 1 - epsilon_low, 1 + epsilon_high)) A log pi (CISPO, MiniMax-M1). The paper sets no lower"
                + " bound (epsilon_low near 1 comes closest) and a large epsilon_high. TRL's cispo caps the ratio at"
                + " epsilon_high itself, rift at 1 + epsilon_high.", aka = {"cispo (TRL loss_type)"})
        CISPO
    }

    public enum ImportanceSamplingLevel {
        @Doc("pi / pi_old of each token (GRPO, PPO).")
        TOKEN,
        @Doc("exp(mean over the completion's tokens of log pi - log pi_old), shared by all its tokens (GSPO).")
        SEQUENCE
    }

    public enum LossAgg {
        @Doc(value = "Sum over all completion tokens of the step / their number (DAPO; TRL dapo, verl token-mean)."
                + " TRL's bnpo divides by the tokens of each micro-batch instead; rift always uses the whole"
                + " step's count.", aka = {"dapo (TRL loss_type)", "bnpo (TRL loss_type)"})
        TOKEN_MEAN,
        @Doc(value = "Mean over completions of each completion's token mean (original GRPO; TRL grpo).",
                aka = {"grpo (TRL loss_type)"})
        SEQ_MEAN_TOKEN_MEAN,
        @Doc("Mean over completions of each completion's token sum (verl seq-mean-token-sum): long completions"
                + " weigh more.")
        SEQ_MEAN_TOKEN_SUM,
        @Doc(value = "Sum over all completion tokens / (completions x loss_agg_constant) (Dr. GRPO; TRL dr_grpo).",
                aka = {"dr_grpo (TRL loss_type)"})
        SEQ_MEAN_TOKEN_SUM_NORM
    }

    public enum KlEstimator {
        @Doc(value = "d: unbiased but noisy; its expected gradient as a loss is zero, so use it only with kl_in: reward.",
                aka = {"kl (verl)"})
        K1,
        @Doc(value = "d^2 / 2: biased, low variance; its on-policy gradient is the KL gradient.", aka = {"mse (verl)"})
        K2,
        @Doc(value = "exp(-d) - 1 + d: unbiased, low variance, never negative (verl low_var_kl, TRL).",
                aka = {"low_var_kl (verl)"})
        K3,
        @Doc(value = "|d| (verl abs).", aka = {"abs (verl)"})
        ABS,
        @Doc(value = "The value of k1, the gradient of k2 (verl's straight-through k1+).", aka = {"k1+ (verl)", "kl+ (verl)"})
        K1_PLUS,
        @Doc(value = "The value of k3, the gradient of k2 (verl's straight-through k3+): k3's penalty without its"
                + " biased gradient.", aka = {"k3+ (verl)", "low_var_kl+ (verl)"})
        K3_PLUS
    }

    public enum KlIn {
        @Doc("Add beta x KL to the loss (GRPO paper; verl use_kl_loss).")
        LOSS,
        @Doc("Subtract beta x KL from each token's reward (PPO/RLHF; verl use_kl_in_reward).")
        REWARD
    }
}
