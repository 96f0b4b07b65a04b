package rift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.grpo.GrpoLossConfig;
import rift.recipe.Recipe;

/** The recipe's grpo section reaches the loss with the same meaning (the knobs added for TRL / verl parity). */
class GrpoSettingsTest {
    @TempDir
    Path dir;

    private GrpoLossConfig load(String... overrides) throws Exception {
        Path p = dir.resolve("r.yaml");
        Files.writeString(p, """
                method: grpo
                model: {path: models/tiny}
                data: {train: [data/train.jsonl]}
                optim: {lr: 1.0e-6}
                """);
        return GrpoSettings.from(Recipe.load(p, List.of(overrides)).grpo());
    }

    @Test
    void mapsImportanceSamplingLevelLossAggAndClip() throws Exception {
        GrpoLossConfig c = load("grpo.importance_sampling_level=sequence", "grpo.loss_agg=seq-mean-token-sum", "grpo.epsilon_low=3e-4");
        assertEquals(GrpoLossConfig.ImportanceSamplingLevel.SEQUENCE, c.importanceSamplingLevel());
        assertEquals(GrpoLossConfig.LossAgg.SEQ_MEAN_TOKEN_SUM, c.lossAgg());
        assertEquals(3e-4, c.epsilonLow());
        assertEquals(3e-4, c.epsilonHigh(), "epsilon_high unset follows epsilon_low, as TRL's epsilon_high: None");
        GrpoLossConfig d = load();
        assertEquals(GrpoLossConfig.ImportanceSamplingLevel.TOKEN, d.importanceSamplingLevel());
        assertEquals(0.2, d.epsilonHigh());
    }
}
