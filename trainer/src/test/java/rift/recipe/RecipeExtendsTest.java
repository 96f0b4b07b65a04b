package rift.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.recipe.RecipeFixtures.error;
import static rift.recipe.RecipeFixtures.resource;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** extends: chains, deep merge, null resets, cycles, and errors located in base files. */
class RecipeExtendsTest {
    @Test
    void chainOfThreeFilesDeepMerges() {
        // arms/dr_grpo_small.yaml -> common/dr_grpo.yaml -> common/base.yaml
        Recipe r = Recipe.load(resource("arms/dr_grpo_small.yaml"));
        assertEquals(Recipe.Method.GRPO, r.method(), "from base.yaml");
        assertEquals("models/tiny", r.model().path(), "from base.yaml");
        assertEquals(DataConfig.Format.MATH, r.data().format(), "base's data keys survive the arm's data: section");
        assertEquals(GrpoConfig.ScaleRewards.NONE, r.grpo().scaleRewards(), "from dr_grpo.yaml");
        assertEquals(GrpoConfig.LossAgg.SEQ_MEAN_TOKEN_SUM_NORM, r.grpo().lossAgg(), "from dr_grpo.yaml");
        assertEquals(256.0, r.grpo().lossAggConstant(), "derived from base's max_new_tokens");
        assertEquals(2, r.grpo().numGenerations(), "the arm wins over base.yaml");
        assertEquals(16, r.schedule().globalBatch(), "base's schedule keys survive the arm's schedule: section");
        assertEquals(10, r.schedule().maxSteps());
        assertEquals(1L, r.seed());
        assertEquals("runs/dr_grpo_small", r.runDir(), "run_dir is named after the file loaded, not a base");
    }

    @Test
    void listsAreReplacedNotMerged() {
        Recipe r = Recipe.load(resource("arms/dr_grpo_small.yaml"));
        assertEquals(List.of(new Reward.Correctness(1.0, 1.0, -1.0)), r.grpo().rewards(),
                "the arm's rewards list replaces base's [correctness, format]");
    }

    @Test
    void nullResetsABaseValueToTheDefault() {
        Recipe r = Recipe.load(resource("arms/dr_grpo_small.yaml"));
        assertEquals(Map.of(), r.data().filter(), "base.yaml filters level 5; the arm's 'filter: null' clears it");
        Recipe base = Recipe.load(resource("common/base.yaml"));
        assertEquals(Map.of("level", List.of("5")), base.data().filter());
    }

    @Test
    void cycleIsAnErrorThatShowsTheChain() {
        String msg = error(resource("cycle/a.yaml"));
        assertTrue(msg.contains("c.yaml:2: extends: cycle a.yaml -> b.yaml -> c.yaml -> a.yaml"), msg);
    }

    @Test
    void fileExtendingItself() {
        String msg = error(resource("cycle/self.yaml"));
        assertTrue(msg.contains("self.yaml:1: extends: cycle self.yaml -> self.yaml"), msg);
    }

    @Test
    void errorInABaseFileNamesTheBaseFileAndLine() {
        String msg = error(resource("arms/typo_in_base.yaml"));
        assertTrue(msg.contains("common/typo.yaml:8: grpo.num_generation: unknown key; did you mean grpo.num_generations?"), msg);
    }

    @Test
    void missingBaseFileNamesTheExtendsLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var p = RecipeFixtures.write(dir, "arm.yaml", "method: sft\nextends: ../missing/base.yaml\n");
        String msg = error(p);
        assertTrue(msg.contains("arm.yaml:2: extends: base recipe '") && msg.contains("missing/base.yaml' not found"), msg);
    }

    @Test
    void extendsMustBeAPath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var p = RecipeFixtures.write(dir, "arm.yaml", "extends: [a.yaml, b.yaml]\n");
        assertTrue(error(p).contains("arm.yaml:1: extends: expected the path of a base recipe (a string), got a list"));
    }
}
