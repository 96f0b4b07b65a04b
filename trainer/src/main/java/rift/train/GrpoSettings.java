package rift.train;

import java.util.ArrayList;
import java.util.List;
import rift.grpo.GrpoLossConfig;
import rift.grpo.RewardSpec;
import rift.recipe.GrpoConfig;
import rift.recipe.Reward;

/** Maps the recipe's grpo section onto the loss library's config (same names, same meanings). */
final class GrpoSettings {
    private GrpoSettings() {}

    static <E extends Enum<E>> E same(Class<E> type, Enum<?> v) {
        return Enum.valueOf(type, v.name());
    }

    static GrpoLossConfig from(GrpoConfig g) {
        List<RewardSpec> rewards = new ArrayList<>();
        for (Reward r : g.rewards()) {
            rewards.add(switch (r) {
                case Reward.Correctness c -> new RewardSpec.Correctness(c.weight(), c.correct(), c.incorrect());
                case Reward.Format f -> new RewardSpec.Format(f.weight(), f.formatted(), f.unformatted());
                case Reward.Overlong o -> new RewardSpec.Overlong(o.weight(), o.bufferLen(), o.penaltyFactor());
            });
        }
        return GrpoLossConfig.builder(g.maxNewTokens())
                .sampling(same(GrpoLossConfig.Sampling.class, g.sampling()))
                .weight(same(GrpoLossConfig.Weight.class, g.weight()))
                .numGenerations(g.numGenerations())
                .scaleRewards(same(GrpoLossConfig.ScaleRewards.class, g.scaleRewards()))
                .epsilonLow(g.epsilonLow()).epsilonHigh(g.epsilonHigh()).clipRatioC(g.clipRatioC())
                .policyLoss(same(GrpoLossConfig.PolicyLoss.class, g.policyLoss()))
                .importanceSamplingLevel(same(GrpoLossConfig.ImportanceSamplingLevel.class, g.importanceSamplingLevel()))
                .lossAgg(same(GrpoLossConfig.LossAgg.class, g.lossAgg()))
                .lossAggConstant(g.lossAgg() == GrpoConfig.LossAgg.SEQ_MEAN_TOKEN_SUM_NORM ? g.lossAggConstant() : null)
                .beta(g.beta())
                .klEstimator(same(GrpoLossConfig.KlEstimator.class, g.klEstimator()))
                .klBiasCorrection(g.klBiasCorrection())
                .klIn(same(GrpoLossConfig.KlIn.class, g.klIn()))
                .entropyCoef(g.entropyCoef())
                .topEntropyQuantile(g.topEntropyQuantile())
                .maskTruncatedCompletions(g.maskTruncatedCompletions())
                .dynamicSampling(g.dynamicSampling()).maxSamplingTries(g.maxSamplingTries())
                .rewards(rewards)
                .build();
    }
}
