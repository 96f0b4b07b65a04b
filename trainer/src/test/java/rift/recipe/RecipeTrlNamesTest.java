package rift.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.recipe.RecipeFixtures.MINIMAL_GRPO;
import static rift.recipe.RecipeFixtures.error;
import static rift.recipe.RecipeFixtures.write;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipe keys that carry a TRL / verl name behave as they do there, and their values spelled TRL's way point to rift's. */
class RecipeTrlNamesTest {
    @TempDir
    Path dir;

    private Recipe load(String yaml, String... overrides) {
        return Recipe.load(write(dir, "r.yaml", yaml), List.of(overrides));
    }

    private static void assertHas(String message, String part) {
        assertTrue(message.contains(part), "expected '" + part + "' in:\n" + message);
    }

    @Test
    void epsilonHighFollowsEpsilonLowUnlessSet() {
        // TRL: epsilon_high None -> epsilon, so setting only the lower clip clips symmetrically
        assertEquals(0.1, load(MINIMAL_GRPO, "grpo.epsilon_low=0.1").grpo().epsilonHigh());
        assertEquals(0.2, load(MINIMAL_GRPO).grpo().epsilonHigh());
        GrpoConfig g = load(MINIMAL_GRPO, "grpo.epsilon_low=0.1", "grpo.epsilon_high=0.28").grpo();
        assertEquals(0.1, g.epsilonLow());
        assertEquals(0.28, g.epsilonHigh());
    }

    @Test
    void importanceSamplingLevelParses() {
        assertEquals(GrpoConfig.ImportanceSamplingLevel.TOKEN, load(MINIMAL_GRPO).grpo().importanceSamplingLevel());
        assertEquals(GrpoConfig.ImportanceSamplingLevel.SEQUENCE,
                load(MINIMAL_GRPO, "grpo.importance_sampling_level=sequence").grpo().importanceSamplingLevel());
        assertEquals(GrpoConfig.LossAgg.SEQ_MEAN_TOKEN_SUM, load(MINIMAL_GRPO, "grpo.loss_agg=seq-mean-token-sum").grpo().lossAgg());
    }

    @Test
    void trlLossTypeValuesNameRiftsValue() {
        Path p = write(dir, "r.yaml", MINIMAL_GRPO + "grpo:\n  loss_agg: dr_grpo\n");
        assertHas(error(p), "r.yaml:9: grpo.loss_agg: 'dr_grpo' is a TRL loss_type value: write seq-mean-token-sum-norm");
        assertHas(error(p, "grpo.loss_agg=dapo"), "'dapo' is a TRL loss_type value: write token-mean");
        assertHas(error(p, "grpo.loss_agg=bnpo"), "'bnpo' is a TRL loss_type value: write token-mean");
        assertHas(error(p, "grpo.loss_agg=grpo"), "'grpo' is a TRL loss_type value: write seq-mean-token-mean");
        assertHas(error(p, "grpo.scale_rewards=false"), "'false' is a TRL scale_rewards value: write none");
        assertHas(error(p, "grpo.scale_rewards=true"), "'true' is a TRL scale_rewards value: write group");
    }

    @Test
    void trlKeyNamesPointToRiftsKeys() {
        Path p = write(dir, "r.yaml", MINIMAL_GRPO);
        assertHas(error(p, "grpo.delta=3.0"), "'delta' is TRL's name for rift's grpo.clip_ratio_c");
        assertHas(error(p, "grpo.epsilon=0.2"), "grpo.epsilon_");
    }

    @Test
    void grpoWarmupCountsOptimizerUpdates() {
        // global_batch 32 / mini_batch 8 x mu 2 = 8 updates per step; 2 steps = 16 updates, so 10 warmup updates fit
        String grpo = MINIMAL_GRPO + "grpo: {mini_batch: 8, mu: 2}\nschedule: {global_batch: 32, micro_batch: 4, max_steps: 2, warmup_steps: 10}\n";
        assertEquals(10, load(grpo).schedule().warmupSteps());
        // update u of W gets lr (u + 1) / W: 16 warmup updates reach the full rate at the 16th, 17 never do
        assertEquals(16, load(grpo, "schedule.warmup_steps=16").schedule().warmupSteps());
        assertHas(error(write(dir, "r.yaml", grpo), "schedule.warmup_steps=17"),
                "schedule.warmup_steps: 17 warmup updates are more than the 16 optimizer updates of schedule.max_steps 2");
    }

    @Test
    void warmupRatioIsAFractionOfTheRunsUpdatesRoundedUp() {
        // Hugging Face: warmup = ceil(warmup_ratio x total optimizer steps)
        ScheduleConfig s = load(MINIMAL_GRPO, "schedule.warmup_ratio=0.1").schedule();
        assertEquals(3, s.warmupUpdates(21));
        assertEquals(10, s.warmupUpdates(100));
        assertEquals(0, load(MINIMAL_GRPO, "schedule.warmup_ratio=0").schedule().warmupUpdates(100));
        assertEquals(7, load(MINIMAL_GRPO, "schedule.warmup_steps=7").schedule().warmupUpdates(100)); // unset ratio: the count
        Path p = write(dir, "r.yaml", MINIMAL_GRPO);
        assertHas(error(p, "schedule.warmup_ratio=0.1", "schedule.warmup_steps=5"), "schedule.warmup_ratio: is set beside schedule.warmup_steps 5");
        assertHas(error(p, "schedule.warmup_ratio=1.0"), "schedule.warmup_ratio");
    }

    @Test
    void verlKlEstimatorNamesPointToRiftsValues() {
        assertEquals(GrpoConfig.KlEstimator.K3_PLUS, load(MINIMAL_GRPO, "grpo.beta=0.01", "grpo.kl_estimator=k3-plus").grpo().klEstimator());
        assertEquals(GrpoConfig.KlEstimator.ABS, load(MINIMAL_GRPO, "grpo.beta=0.01", "grpo.kl_estimator=abs").grpo().klEstimator());
        Path p = write(dir, "r.yaml", MINIMAL_GRPO);
        assertHas(error(p, "grpo.kl_estimator=low_var_kl"), "'low_var_kl' is a verl value: write k3");
        assertHas(error(p, "grpo.kl_estimator=k3+"), "'k3+' is a verl value: write k3-plus");
        assertHas(error(p, "grpo.kl_estimator=mse"), "'mse' is a verl value: write k2");
    }

    @Test
    void klBiasCorrectionNeedsAKlLossTerm() {
        assertTrue(load(MINIMAL_GRPO, "grpo.beta=0.01", "grpo.kl_bias_correction=true").grpo().klBiasCorrection());
        Path p = write(dir, "r.yaml", MINIMAL_GRPO);
        assertHas(error(p, "grpo.kl_bias_correction=true"), "grpo.kl_bias_correction: corrects the KL loss term, but there is none (beta 0.0");
        assertHas(error(p, "grpo.use_bias_correction_kl=true"), "'use_bias_correction_kl' is TRL's name for rift's grpo.kl_bias_correction");
    }

    @Test
    void sftLossTypeParses() {
        String sft = MINIMAL_GRPO.replace("method: grpo", "method: sft");
        assertEquals(SftConfig.LossType.NLL, load(sft).sft().lossType());
        assertEquals(SftConfig.LossType.DFT, load(sft, "sft.loss_type=dft").sft().lossType());
    }

    @Test
    void topEntropyQuantileIsAFractionInZeroOne() {
        assertEquals(1.0, load(MINIMAL_GRPO).grpo().topEntropyQuantile());
        assertEquals(0.2, load(MINIMAL_GRPO, "grpo.top_entropy_quantile=0.2").grpo().topEntropyQuantile());
        Path p = write(dir, "r.yaml", MINIMAL_GRPO);
        assertHas(error(p, "grpo.top_entropy_quantile=0"), "grpo.top_entropy_quantile");
        assertHas(error(p, "grpo.top_entropy_quantile=1.5"), "grpo.top_entropy_quantile");
    }

    @Test
    void policyLossParsesAndRefusesCombinationsItDoesNotDefine() {
        assertEquals(GrpoConfig.PolicyLoss.PPO, load(MINIMAL_GRPO).grpo().policyLoss());
        assertEquals(GrpoConfig.PolicyLoss.CISPO, load(MINIMAL_GRPO, "grpo.policy_loss=cispo").grpo().policyLoss());
        Path p = write(dir, "r.yaml", MINIMAL_GRPO);
        assertHas(error(p, "grpo.policy_loss=vanilla"), "'vanilla' is a verl value: write ppo");
        assertHas(error(p, "grpo.policy_loss=cispo", "grpo.importance_sampling_level=sequence"), "grpo.policy_loss: cispo weighs each token");
        assertHas(error(p, "grpo.policy_loss=cispo", "grpo.clip_ratio_c=3"), "grpo.clip_ratio_c: the dual clip bounds the ppo surrogate");
    }
}
