package rift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.TestPaths;
import rift.kernels.RiftException;
import rift.recipe.Recipe;

/** A recipe's data section, as the recipe loader binds it, turned into a DataSpec and read. */
class RecipeDataTest {
    @TempDir
    Path tmp;

    private Recipe recipe(String data) throws IOException {
        Path f = tmp.resolve("r.yaml");
        Files.writeString(f, "method: sft\nmodel:\n  path: models/tiny\noptim:\n  lr: 2e-5\ndata:\n" + data);
        return Recipe.load(f);
    }

    @Test
    void mathLevels3To5FromARecipe() throws IOException {
        Recipe r = recipe("""
                  train: [data:math/train.jsonl.gz]
                  format: math
                  filter: {level: [3, 4, 5]}
                """);
        DataSpec spec = DataSpec.fromRecipe(r.data(), true);
        assertEquals(List.of(TestPaths.repoRoot().resolve("data/math/train.jsonl.gz")), spec.files());
        assertEquals(new DataSpec.Fields("problem", "answer", "solution"), spec.fields());
        assertEquals(Map.of("level", List.of("3", "4", "5")), spec.filter());
        assertEquals(DataSpec.OnBadRecord.ERROR, spec.onBadRecord());
        MathReader.Result res = MathReader.read(spec);
        assertEquals(5584, res.examples().size());
        assertEquals(2, res.report().empty());
    }

    @Test
    void gsm8kWithRenamedFieldsAndSkip() throws IOException {
        Path f = Files.writeString(tmp.resolve("g.jsonl"), """
                {"q": "2+2?", "a": "2+2=<<2+2=4>>4\\n#### 4"}
                {"q": "broken"
                """);
        Recipe r = recipe("  train: [" + f + "]\n  format: gsm8k\n  fields: {prompt: q, answer: a, solution: a}\n"
                + "  on_bad_record: skip\n");
        MathReader.Result res = MathReader.read(DataSpec.fromRecipe(r.data(), true));
        assertEquals(1, res.examples().size());
        assertEquals("2+2=4\n#### 4", res.examples().getFirst().solution());
        assertEquals(1, res.report().skipped());
    }

    @Test
    void aMissingTrainFileFailsWhenTheSpecIsBuilt() throws IOException {
        Recipe r = recipe("  train: [data:gsm8k/trian.jsonl.gz]\n  format: gsm8k\n");
        RiftException e = assertThrows(RiftException.class, () -> DataSpec.fromRecipe(r.data(), false));
        assertTrue(e.getMessage().contains("test.jsonl.gz, train.jsonl.gz"), e.getMessage());
    }
}
