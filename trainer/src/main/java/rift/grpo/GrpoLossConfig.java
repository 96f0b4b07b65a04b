package rift.grpo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import rift.kernels.RiftException;

/**
 * Every setting the GRPO loss family, the advantages and the rewards read. Field names mirror the recipe's
 * {@code grpo.*} keys one to one (snake_case there, camelCase here) so the trainer maps a parsed recipe
 * straight into this record; enum constants parse from the recipe spelling with {@link Keyed#parse}.
 * The compact constructor checks what the formulas need and names the recipe key of a bad value.
 *
 * @param sampling                 where completions come from (paper Eq. 3 q): the policy or the dataset's solutions
 * @param weight                   per-completion weight of the likelihood gradient (paper Eq. 3 w)
 * @param numGenerations           completions per prompt (group size G)
 * @param scaleRewards             advantage normalisation (see {@link Advantages})
 * @param epsilonLow               ratio clipped below at 1 - epsilon_low
 * @param epsilonHigh              ratio clipped above at 1 + epsilon_high
 * @param clipRatioC               dual clip constant c (> 1) for negative advantages; null: off
 * @param policyLoss               ppo: the clipped surrogate; cispo: the clipped, detached ratio times log pi (MiniMax-M1)
 * @param importanceSamplingLevel  token: one ratio per token (GRPO, PPO); sequence: one per completion (GSPO)
 * @param lossAgg                  how per-token losses become the step loss (see {@link Normaliser})
 * @param lossAggConstant          Dr. GRPO constant of seq-mean-token-sum-norm; null there means max_new_tokens
 * @param beta                     KL coefficient; 0: no KL and no reference model
 * @param klEstimator              k1 / k2 / k3 (see {@link Kl})
 * @param klIn                     KL as a loss term or folded into the reward (see {@link KlInReward})
 * @param klBiasCorrection         the KL loss term of a token times its importance ratio pi / pi_old (TRL's
 *                                 use_bias_correction_kl, DeepSeek-V3.2), the ratio's gradient included
 * @param entropyCoef              entropy bonus: entropy_coef x agg(entropy) is subtracted from the loss
 * @param topEntropyQuantile       the policy-gradient term only on the top fraction of the step's tokens by entropy
 *                                 (see {@link EntropyMask}); 1: every token
 * @param maskTruncatedCompletions truncated completions get no loss (DAPO overlong filtering)
 * @param dynamicSampling          drop zero-std groups and refill (see {@link DynamicSampling})
 * @param maxSamplingTries         generation rounds per step with dynamic sampling
 * @param maxNewTokens             longest completion (L_max of the overlong reward, default Dr. GRPO constant)
 * @param rewards                  the reward functions with weights (see {@link RewardRegistry})
 */
public record GrpoLossConfig(
        Sampling sampling,
        Weight weight,
        int numGenerations,
        ScaleRewards scaleRewards,
        double epsilonLow,
        double epsilonHigh,
        Double clipRatioC,
        PolicyLoss policyLoss,
        ImportanceSamplingLevel importanceSamplingLevel,
        LossAgg lossAgg,
        Double lossAggConstant,
        double beta,
        KlEstimator klEstimator,
        KlIn klIn,
        boolean klBiasCorrection,
        double entropyCoef,
        double topEntropyQuantile,
        boolean maskTruncatedCompletions,
        boolean dynamicSampling,
        int maxSamplingTries,
        int maxNewTokens,
        List<RewardSpec> rewards) {

    public GrpoLossConfig {
        if (sampling == null || weight == null || scaleRewards == null || policyLoss == null || importanceSamplingLevel == null || lossAgg == null
                || klEstimator == null || klIn == null)
            throw new IllegalArgumentException("enum settings must not be null");
        rewards = List.copyOf(rewards);
        if (maxNewTokens < 1) bad("grpo.max_new_tokens", maxNewTokens + " must be at least 1");
        if (numGenerations < 1) bad("grpo.num_generations", numGenerations + " must be at least 1");
        if (weight == Weight.ADVANTAGE && numGenerations < 2)
            bad("grpo.num_generations", numGenerations + " completion per prompt, but weight: advantage compares"
                    + " completions within a group, which needs at least 2: set it to 2 or more, or use weight: reject / one");
        if (!(epsilonLow > 0 && epsilonLow < 1)) bad("grpo.epsilon_low", epsilonLow + " is outside (0, 1)");
        if (!(epsilonHigh > 0) || Double.isInfinite(epsilonHigh)) bad("grpo.epsilon_high", epsilonHigh + " must be a positive number");
        if (clipRatioC != null && !(clipRatioC > 1 && !clipRatioC.isInfinite()))
            bad("grpo.clip_ratio_c", clipRatioC + " must be greater than 1 (verl asserts the same), or null for no dual clip");
        if (lossAggConstant != null && lossAgg != LossAgg.SEQ_MEAN_TOKEN_SUM_NORM)
            bad("grpo.loss_agg_constant", "is only used with loss_agg: seq-mean-token-sum-norm, but loss_agg is "
                    + lossAgg.key() + ": remove it or change loss_agg");
        if (lossAgg == LossAgg.SEQ_MEAN_TOKEN_SUM_NORM && lossAggConstant == null) lossAggConstant = (double) maxNewTokens;
        if (lossAggConstant != null && !(lossAggConstant > 0 && !lossAggConstant.isInfinite()))
            bad("grpo.loss_agg_constant", lossAggConstant + " must be a positive number");
        if (!(beta >= 0) || Double.isInfinite(beta)) bad("grpo.beta", beta + " must be a number >= 0");
        if (beta > 0 && klIn == KlIn.LOSS && klEstimator == KlEstimator.K1)
            bad("grpo.kl_estimator", "k1 as a loss term has zero expected gradient, so beta would do nothing: use"
                    + " kl_estimator: k3 (or k2), or kl_in: reward");
        if (klBiasCorrection && !(beta > 0 && klIn == KlIn.LOSS))
            bad("grpo.kl_bias_correction", "corrects the KL loss term, but there is none (beta " + beta + ", kl_in "
                    + klIn.key() + "): set beta > 0 with kl_in: loss, or remove it");
        if (policyLoss == PolicyLoss.CISPO && importanceSamplingLevel == ImportanceSamplingLevel.SEQUENCE)
            bad("grpo.policy_loss", "cispo weighs each token by its own clipped ratio; importance_sampling_level: sequence"
                    + " is GSPO's: use one of the two");
        if (policyLoss == PolicyLoss.CISPO && clipRatioC != null)
            bad("grpo.clip_ratio_c", "the dual clip bounds the ppo surrogate; cispo already bounds its weight by epsilon_low /"
                    + " epsilon_high: remove it");
        if (!(topEntropyQuantile > 0 && topEntropyQuantile <= 1))
            bad("grpo.top_entropy_quantile", topEntropyQuantile + " is outside (0, 1] (1 keeps every token)");
        if (!Double.isFinite(entropyCoef)) bad("grpo.entropy_coef", entropyCoef + " must be a finite number");
        if (maxSamplingTries < 1) bad("grpo.max_sampling_tries", maxSamplingTries + " must be at least 1");
        checkRewards(rewards, maxNewTokens);
    }

    private static void checkRewards(List<RewardSpec> rewards, int maxNewTokens) {
        if (rewards.isEmpty()) bad("grpo.rewards", "is empty: list at least one reward, e.g. [{name: correctness}]");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rewards.size(); i++) {
            RewardSpec r = rewards.get(i);
            if (!seen.add(r.name())) bad("grpo.rewards[" + i + "]", "reward '" + r.name() + "' is listed twice: merge them");
            if (!Double.isFinite(r.weight())) bad("grpo.rewards[" + i + "].weight", r.weight() + " must be a finite number");
            if (r instanceof RewardSpec.Overlong o) {
                if (o.bufferLen() < 1 || o.bufferLen() > maxNewTokens)
                    bad("grpo.rewards[" + i + "].buffer_len", o.bufferLen() + " must be in [1, max_new_tokens = " + maxNewTokens + "]");
                if (!(o.penaltyFactor() >= 0) || Double.isInfinite(o.penaltyFactor()))
                    bad("grpo.rewards[" + i + "].penalty_factor", o.penaltyFactor() + " must be a number >= 0");
            }
        }
        // open-instruct (PR #659, trainers.md §1 notes): the format reward is only paid on a verified answer,
        // so it means nothing without the correctness reward beside it.
        if (seen.contains("format") && !seen.contains("correctness"))
            bad("grpo.rewards", "lists format without correctness: the format reward is only added to correct answers"
                    + " (as open-instruct does), so add {name: correctness} or remove format");
    }

    private static void bad(String field, String why) {
        throw new RiftException(field + ": " + why);
    }

    /** TRL / recipe defaults with the given completion length; the only reward is binary correctness. */
    public static Builder builder(int maxNewTokens) {
        return new Builder(maxNewTokens);
    }

    public Builder toBuilder() {
        Builder b = new Builder(maxNewTokens);
        b.sampling = sampling; b.weight = weight; b.numGenerations = numGenerations; b.scaleRewards = scaleRewards;
        b.epsilonLow = epsilonLow; b.epsilonHigh = epsilonHigh; b.clipRatioC = clipRatioC;
        b.importanceSamplingLevel = importanceSamplingLevel; b.lossAgg = lossAgg;
        b.lossAggConstant = lossAgg == LossAgg.SEQ_MEAN_TOKEN_SUM_NORM ? lossAggConstant : null;
        b.beta = beta; b.klEstimator = klEstimator; b.klIn = klIn; b.klBiasCorrection = klBiasCorrection; b.entropyCoef = entropyCoef;
        b.topEntropyQuantile = topEntropyQuantile; b.policyLoss = policyLoss;
        b.maskTruncatedCompletions = maskTruncatedCompletions; b.dynamicSampling = dynamicSampling;
        b.maxSamplingTries = maxSamplingTries; b.rewards = new ArrayList<>(rewards);
        return b;
    }

    /** Mutable builder for tests and for the trainer's mapping; starts at the recipe defaults. */
    public static final class Builder {
        private Sampling sampling = Sampling.POLICY;
        private Weight weight = Weight.ADVANTAGE;
        private int numGenerations = 8;
        private ScaleRewards scaleRewards = ScaleRewards.GROUP;
        private double epsilonLow = 0.2, epsilonHigh = 0.2;
        private Double clipRatioC;
        private PolicyLoss policyLoss = PolicyLoss.PPO;
        private ImportanceSamplingLevel importanceSamplingLevel = ImportanceSamplingLevel.TOKEN;
        private LossAgg lossAgg = LossAgg.TOKEN_MEAN;
        private Double lossAggConstant;
        private double beta;
        private KlEstimator klEstimator = KlEstimator.K3;
        private KlIn klIn = KlIn.LOSS;
        private boolean klBiasCorrection;
        private double entropyCoef;
        private double topEntropyQuantile = 1.0;
        private boolean maskTruncatedCompletions, dynamicSampling;
        private int maxSamplingTries = 10;
        private int maxNewTokens;
        private List<RewardSpec> rewards = new ArrayList<>(List.of(RewardSpec.Correctness.binary(1.0)));

        private Builder(int maxNewTokens) {
            this.maxNewTokens = maxNewTokens;
        }

        public Builder sampling(Sampling v) { sampling = v; return this; }
        public Builder weight(Weight v) { weight = v; return this; }
        public Builder numGenerations(int v) { numGenerations = v; return this; }
        public Builder scaleRewards(ScaleRewards v) { scaleRewards = v; return this; }
        public Builder epsilonLow(double v) { epsilonLow = v; return this; }
        public Builder epsilonHigh(double v) { epsilonHigh = v; return this; }
        public Builder clipRatioC(Double v) { clipRatioC = v; return this; }
        public Builder policyLoss(PolicyLoss v) { policyLoss = v; return this; }
        public Builder importanceSamplingLevel(ImportanceSamplingLevel v) { importanceSamplingLevel = v; return this; }
        public Builder lossAgg(LossAgg v) { lossAgg = v; return this; }
        public Builder lossAggConstant(Double v) { lossAggConstant = v; return this; }
        public Builder beta(double v) { beta = v; return this; }
        public Builder klEstimator(KlEstimator v) { klEstimator = v; return this; }
        public Builder klIn(KlIn v) { klIn = v; return this; }
        public Builder klBiasCorrection(boolean v) { klBiasCorrection = v; return this; }
        public Builder entropyCoef(double v) { entropyCoef = v; return this; }
        public Builder topEntropyQuantile(double v) { topEntropyQuantile = v; return this; }
        public Builder maskTruncatedCompletions(boolean v) { maskTruncatedCompletions = v; return this; }
        public Builder dynamicSampling(boolean v) { dynamicSampling = v; return this; }
        public Builder maxSamplingTries(int v) { maxSamplingTries = v; return this; }
        public Builder maxNewTokens(int v) { maxNewTokens = v; return this; }
        public Builder rewards(List<RewardSpec> v) { rewards = new ArrayList<>(v); return this; }

        public GrpoLossConfig build() {
            return new GrpoLossConfig(sampling, weight, numGenerations, scaleRewards, epsilonLow, epsilonHigh, clipRatioC,
                    policyLoss, importanceSamplingLevel, lossAgg, lossAggConstant, beta, klEstimator, klIn, klBiasCorrection, entropyCoef, topEntropyQuantile, maskTruncatedCompletions,
                    dynamicSampling, maxSamplingTries, maxNewTokens, rewards);
        }
    }

    /** Paper Eq. 3, q: who writes the completions. */
    public enum Sampling implements Keyed {
        /** On-policy: the policy samples (RL, on-policy SFT). */
        POLICY("policy"),
        /** Off-policy: the dataset's solutions (SFT, off-policy RL). */
        DATASET("dataset");

        private final String key;
        Sampling(String key) { this.key = key; }
        @Override public String key() { return key; }
    }

    /** Paper Eq. 3, w: the weight of each completion's log-likelihood gradient (see {@link Advantages#weights}). */
    public enum Weight implements Keyed {
        /** Group-relative advantage (GRPO). */
        ADVANTAGE("advantage"),
        /** 1 for every completion (SFT on the samples). */
        ONE("one"),
        /** 1 if the verifier accepted the completion, else 0 (rejection-sampled / on-policy SFT). */
        REJECT("reject");

        private final String key;
        Weight(String key) { this.key = key; }
        @Override public String key() { return key; }
    }

    /** Advantage normalisation (TRL scale_rewards). */
    public enum ScaleRewards implements Keyed {
        GROUP("group"), BATCH("batch"), NONE("none");

        private final String key;
        ScaleRewards(String key) { this.key = key; }
        @Override public String key() { return key; }
    }

    /** Which probability ratio the clipped surrogate uses (TRL importance_sampling_level; see {@link GrpoLoss}). */
    /** The per-token policy-gradient term (see {@link GrpoLoss}). */
    public enum PolicyLoss implements Keyed {
        PPO("ppo"), CISPO("cispo");

        private final String key;
        PolicyLoss(String key) { this.key = key; }
        @Override public String key() { return key; }
    }

    public enum ImportanceSamplingLevel implements Keyed {
        TOKEN("token"), SEQUENCE("sequence");

        private final String key;
        ImportanceSamplingLevel(String key) { this.key = key; }
        @Override public String key() { return key; }
    }

    /** Loss aggregation (verl loss_agg_mode). */
    public enum LossAgg implements Keyed {
        TOKEN_MEAN("token-mean"), SEQ_MEAN_TOKEN_MEAN("seq-mean-token-mean"), SEQ_MEAN_TOKEN_SUM("seq-mean-token-sum"),
        SEQ_MEAN_TOKEN_SUM_NORM("seq-mean-token-sum-norm");

        private final String key;
        LossAgg(String key) { this.key = key; }
        @Override public String key() { return key; }
    }

    /** Schulman's KL estimators, d = log pi - log pi_ref. */
    public enum KlEstimator implements Keyed {
        K1("k1"), K2("k2"), K3("k3"), ABS("abs"), K1_PLUS("k1-plus"), K3_PLUS("k3-plus");

        private final String key;
        KlEstimator(String key) { this.key = key; }
        @Override public String key() { return key; }
    }

    /** Where the KL term goes: the loss (GRPO) or the reward (PPO/RLHF, verl use_kl_in_reward). */
    public enum KlIn implements Keyed {
        LOSS("loss"), REWARD("reward");

        private final String key;
        KlIn(String key) { this.key = key; }
        @Override public String key() { return key; }
    }
}
