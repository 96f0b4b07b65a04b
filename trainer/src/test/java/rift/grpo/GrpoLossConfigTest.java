package rift.grpo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import rift.grpo.GrpoLossConfig.KlEstimator;
import rift.grpo.GrpoLossConfig.KlIn;
import rift.grpo.GrpoLossConfig.LossAgg;
import rift.grpo.GrpoLossConfig.Weight;
import rift.kernels.RiftException;

class GrpoLossConfigTest {
    @Test
    void defaultsMirrorTheRecipe() {
        GrpoLossConfig c = GrpoLossConfig.builder(512).build();
        assertEquals(GrpoLossConfig.Sampling.POLICY, c.sampling());
        assertEquals(Weight.ADVANTAGE, c.weight());
        assertEquals(8, c.numGenerations());
        assertEquals(GrpoLossConfig.ScaleRewards.GROUP, c.scaleRewards());
        assertEquals(0.2, c.epsilonLow());
        assertEquals(0.2, c.epsilonHigh());
        assertNull(c.clipRatioC());
        assertEquals(LossAgg.TOKEN_MEAN, c.lossAgg());
        assertNull(c.lossAggConstant());
        assertEquals(0.0, c.beta());
        assertEquals(KlEstimator.K3, c.klEstimator());
        assertEquals(KlIn.LOSS, c.klIn());
        assertEquals(List.of(RewardSpec.Correctness.binary(1.0)), c.rewards());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void recipeSpellingsParse() {
        assertEquals(LossAgg.SEQ_MEAN_TOKEN_SUM_NORM, Keyed.parse(LossAgg.class, "grpo.loss_agg", "seq-mean-token-sum-norm"));
        assertEquals(Weight.REJECT, Keyed.parse(Weight.class, "grpo.weight", "reject"));
        assertEquals(GrpoLossConfig.Sampling.DATASET, Keyed.parse(GrpoLossConfig.Sampling.class, "grpo.sampling", "dataset"));
        var e = assertThrows(RiftException.class, () -> Keyed.parse(LossAgg.class, "grpo.loss_agg", "token_mean"));
        assertEquals("grpo.loss_agg: 'token_mean' is not allowed; allowed values: token-mean, seq-mean-token-mean,"
                + " seq-mean-token-sum, seq-mean-token-sum-norm", e.getMessage());
    }

    @Test
    void badValuesNameTheRecipeKey() {
        assertKey("grpo.epsilon_low", () -> GrpoLossConfig.builder(8).epsilonLow(1.0).build());
        assertKey("grpo.epsilon_high", () -> GrpoLossConfig.builder(8).epsilonHigh(0).build());
        assertKey("grpo.clip_ratio_c", () -> GrpoLossConfig.builder(8).clipRatioC(1.0).build());
        assertKey("grpo.loss_agg_constant", () -> GrpoLossConfig.builder(8).lossAggConstant(100.0).build());
        assertKey("grpo.loss_agg_constant", () -> GrpoLossConfig.builder(8).lossAgg(LossAgg.SEQ_MEAN_TOKEN_SUM_NORM).lossAggConstant(-1.0).build());
        assertKey("grpo.kl_estimator", () -> GrpoLossConfig.builder(8).beta(0.1).klEstimator(KlEstimator.K1).build());
        assertKey("grpo.num_generations", () -> GrpoLossConfig.builder(8).numGenerations(1).build());
        assertKey("grpo.beta", () -> GrpoLossConfig.builder(8).beta(-0.1).build());
        assertKey("grpo.max_sampling_tries", () -> GrpoLossConfig.builder(8).maxSamplingTries(0).build());
        assertKey("grpo.rewards", () -> GrpoLossConfig.builder(8).rewards(List.of()).build());
        // allowed: k1 in the reward, G = 1 with reject, the Dr. GRPO constant with its mode
        GrpoLossConfig.builder(8).beta(0.1).klEstimator(KlEstimator.K1).klIn(KlIn.REWARD).build();
        GrpoLossConfig.builder(8).numGenerations(1).weight(Weight.REJECT).build();
        assertEquals(300.0, GrpoLossConfig.builder(8).lossAgg(LossAgg.SEQ_MEAN_TOKEN_SUM_NORM).lossAggConstant(300.0).build().lossAggConstant());
    }

    static void assertKey(String key, org.junit.jupiter.api.function.Executable build) {
        var e = assertThrows(RiftException.class, build);
        assertTrue(e.getMessage().startsWith(key + ":"), e.getMessage());
    }
}
