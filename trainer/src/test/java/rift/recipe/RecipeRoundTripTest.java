package rift.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.recipe.RecipeFixtures.resource;
import static rift.recipe.RecipeFixtures.write;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** toYaml() writes every key; loading it back gives the same recipe and hash. */
class RecipeRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"grpo_minimal.yaml", "sft_minimal.yaml", "grpo_full.yaml", "arms/dr_grpo_small.yaml"})
    void resolvedYamlLoadsToTheSameRecipeAndHash(String name) {
        Recipe original = Recipe.load(resource(name));
        String yaml = original.toYaml();
        Recipe again = Recipe.load(write(dir, "resolved.yaml", yaml));
        assertEquals(original.hash(), again.hash(), yaml);
        assertEquals(yaml, again.toYaml());
        // the active section round-trips exactly (the inactive one is not written)
        assertEquals(original.isGrpo() ? original.grpo() : original.sft(), again.isGrpo() ? again.grpo() : again.sft());
        assertEquals(original.data(), again.data());
        assertEquals(original.model(), again.model());
    }

    @Test
    void resolvedYamlHasEveryKeyOfTheActiveMethod() {
        String yaml = Recipe.load(resource("grpo_minimal.yaml")).toYaml();
        for (String key : Schema.allKeys().keySet()) {
            if (key.startsWith("sft.") || key.equals("sft") || key.contains("[") || key.startsWith("model.config.")) continue;
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            assertTrue(yaml.contains(leaf + ":"), "resolved YAML lacks " + key + ":\n" + yaml);
        }
        assertFalse(yaml.contains("sft:"), "the section of the other method is left out");
        assertFalse(yaml.contains("extends"), yaml);
        assertTrue(yaml.startsWith(RecipeYaml.HEADER));
    }

    @Test
    void awkwardStringsSurviveTheRoundTrip() {
        Path p = write(dir, "s.yaml", """
                method: grpo
                model: {path: "models/yes"}
                data:
                  train: ["null.jsonl", "1e5.jsonl", "#x.jsonl"]
                  filter: {level: [3, "4", "true", "Level 5"], type: ["a: b"]}
                  prompt_template: "Q: {prompt}\\n  A: \\\\boxed{} 'quoted' \\"double\\"\\n"
                grpo:
                  stop: ["yes", "no", "~", "- x", "{y}", "[z]", "\\t"]
                optim: {lr: 1.0e-6}
                run_dir: "on"
                """);
        Recipe r = Recipe.load(p);
        assertEquals("Q: {prompt}\n  A: \\boxed{} 'quoted' \"double\"\n", r.data().promptTemplate());
        assertEquals(List.of("yes", "no", "~", "- x", "{y}", "[z]", "\t"), r.grpo().stop());
        Recipe again = Recipe.load(write(dir, "again.yaml", r.toYaml()));
        assertEquals(r, again);
        assertEquals(r.hash(), again.hash());
    }

    @Test
    void hashIgnoresLayoutButNotValues() {
        Recipe a = Recipe.load(resource("grpo_minimal.yaml"));
        Path sameValuesOtherLayout = write(dir, "grpo_minimal.yaml", """
                optim: {lr: 0.000001}
                data: {train: [data/train.jsonl], format: jsonl}
                model: {path: models/tiny}
                method: grpo
                grpo: {num_generations: 8}   # a default, written out
                """);
        assertEquals(a.hash(), Recipe.load(sameValuesOtherLayout).hash());
        assertEquals(Recipe.load(resource("grpo_minimal.yaml"), List.of("data.filter={a: [1], b: [2]}")).hash(),
                Recipe.load(resource("grpo_minimal.yaml"), List.of("data.filter={b: [2], a: [1]}")).hash(),
                "data.filter keys are sorted");
        assertNotEquals(a.hash(), Recipe.load(resource("grpo_minimal.yaml"), List.of("grpo.top_k=50")).hash());
        assertEquals(64, a.hash().length());
    }

    @Test
    void hashIgnoresTheRunDirectory() {
        // where a run writes does not change what it trains: train --resume-from into another run_dir is allowed
        Recipe a = Recipe.load(resource("sft_minimal.yaml"));
        Recipe elsewhere = Recipe.load(resource("sft_minimal.yaml"), List.of("run_dir=/tmp/elsewhere"));
        assertEquals(a.hash(), elsewhere.hash());
        assertNotEquals(a.toYaml(), elsewhere.toYaml());
        assertNotEquals(a.hash(), Recipe.load(resource("sft_minimal.yaml"), List.of("seed=99")).hash());
    }

    @Test
    void hashIgnoresTheSectionOfTheOtherMethod() {
        Recipe sft = Recipe.load(resource("sft_minimal.yaml"));
        Recipe sftWithGrpoKeys = Recipe.load(resource("sft_minimal.yaml"), List.of("grpo.temperature=0.5"));
        assertEquals(sft.hash(), sftWithGrpoKeys.hash());
    }

    @Test
    void inactiveSectionKeysAreWarnedAbout() {
        var loaded = RecipeLoader.load(resource("sft_minimal.yaml"), List.of("grpo.temperature=0.5"));
        assertEquals(List.of("command line override 'grpo.temperature=0.5': grpo.temperature is set but method is sft,"
                + " so the grpo section is ignored"), loaded.warnings());
    }
}
