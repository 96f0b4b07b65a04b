package rift.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.recipe.RecipeFixtures.error;
import static rift.recipe.RecipeFixtures.resource;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** key.path=value command-line overrides, as torchtune and verl take them. */
class RecipeOverridesTest {
    private static final Path MINIMAL = resource("grpo_minimal.yaml");

    private static Recipe load(String... overrides) {
        return Recipe.load(MINIMAL, List.of(overrides));
    }

    private static void assertHas(String message, String part) {
        assertTrue(message.contains(part), "expected '" + part + "' in:\n" + message);
    }

    @Test
    void nestedScalarsOfEveryType() {
        Recipe r = load("schedule.max_steps=6", "checkpoint.every=3", "run_dir=out/x", "optim.lr=3e-6",
                "grpo.mask_truncated_completions=true", "grpo.loss_agg=seq-mean-token-mean", "seed=42");
        assertEquals(6, r.schedule().maxSteps());
        assertEquals(3, r.checkpoint().every());
        assertEquals("out/x", r.runDir());
        assertEquals(3e-6, r.optim().lr());
        assertTrue(r.grpo().maskTruncatedCompletions());
        assertEquals(GrpoConfig.LossAgg.SEQ_MEAN_TOKEN_MEAN, r.grpo().lossAgg());
        assertEquals(42L, r.seed());
    }

    @Test
    void keysTheFileDoesNotMentionCanBeOverridden() {
        assertEquals(0.28, load("grpo.epsilon_high=0.28").grpo().epsilonHigh());
        assertEquals(List.of("3", "4"), load("data.filter.level=[3, 4]").data().filter().get("level"),
                "free mappings (data.filter) take any key");
    }

    @Test
    void listsAndMappingsAreYaml() {
        Recipe r = load("data.train=[a.jsonl, b.jsonl.gz]", "grpo.stop=['</answer>', '\\n\\n']",
                "grpo.rewards=[{name: correctness, incorrect: -1}, {name: overlong, buffer_len: 64}]",
                "model.config={vocab_size: 10, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16}",
                "model.path=null", "model.tokenizer=tok");
        assertEquals(List.of("a.jsonl", "b.jsonl.gz"), r.data().train());
        assertEquals(List.of("</answer>", "\\n\\n"), r.grpo().stop(), "single quotes keep backslashes");
        assertEquals(List.of(new Reward.Correctness(1.0, 1.0, -1.0), new Reward.Overlong(1.0, 64, 1.0)), r.grpo().rewards());
        assertNull(r.model().path());
        assertEquals(4, r.model().config().headDim());
    }

    @Test
    void overridesApplyInOrderAndMergeIntoSections() {
        Recipe r = load("schedule={max_steps: 5, global_batch: 8}", "schedule.max_steps=7");
        assertEquals(7, r.schedule().maxSteps(), "the later override wins");
        assertEquals(8, r.schedule().globalBatch());
        assertEquals(4, r.schedule().microBatch(), "keys the override does not name keep their values");
    }

    @Test
    void misspelledKeyNamesTheClosestValidKey() {
        assertHas(error(MINIMAL, "schedule.max_step=6"),
                "command line override 'schedule.max_step=6': schedule.max_step: unknown key; did you mean schedule.max_steps?");
    }

    @Test
    void keyWithoutItsSectionIsFound() {
        assertHas(error(MINIMAL, "max_steps=6"),
                "command line override 'max_steps=6': max_steps: unknown key; this key belongs elsewhere: did you mean schedule.max_steps?");
    }

    @Test
    void otherTrainersKeyIsTranslated() {
        assertHas(error(MINIMAL, "learning_rate=1e-5"), "'learning_rate' is TRL's name for rift's optim.lr: write optim.lr");
    }

    @Test
    void wrongTypeNamesTheOverride() {
        assertHas(error(MINIMAL, "grpo.num_generations=many"),
                "command line override 'grpo.num_generations=many': grpo.num_generations: expected an integer, got string \"many\"");
    }

    @Test
    void rangeIsCheckedOnOverrides() {
        assertHas(error(MINIMAL, "grpo.epsilon_low=0"), "command line override 'grpo.epsilon_low=0': grpo.epsilon_low: must be in (0, 1), got 0");
    }

    @Test
    void cannotDescendIntoAScalarOrAList() {
        assertHas(error(MINIMAL, "seed.value=3"), "seed.value: seed is integer and has no key 'value'");
        assertHas(error(MINIMAL, "grpo.rewards.0.weight=2"), "grpo.rewards.0: grpo.rewards is a list, and lists are replaced whole");
    }

    @Test
    void malformedOverrides() {
        assertHas(error(MINIMAL, "schedule.max_steps"), "command line override 'schedule.max_steps': expected key.path=value");
        assertHas(error(MINIMAL, "=3"), "expected key.path=value");
        assertHas(error(MINIMAL, "extends=other.yaml"), "extends cannot be overridden");
        assertHas(error(MINIMAL, "data.train=[a.jsonl"), "command line override 'data.train=[a.jsonl': data.train: YAML syntax error");
    }

    @Test
    void allOverrideProblemsAreReportedTogether() {
        String msg = error(MINIMAL, "schedule.max_step=6", "grpo.temprature=0.7");
        assertHas(msg, "2 problems");
        assertHas(msg, "did you mean grpo.temperature?");
    }

    @Test
    void emptyValueIsNullAndResetsTheDefault() {
        assertEquals(32, load("grpo.mini_batch=4", "grpo.mini_batch=").grpo().miniBatch());
    }
}
